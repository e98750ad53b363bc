// Fault switches for webhook delivery and the API (POST /_sandbox/faults), to test a shop against a misbehaving Stripe.
import { z } from "zod";

export const faultsSchema = z
  .object({
    /** Deliver every event twice to each endpoint (at-least-once delivery). */
    duplicate: z.boolean().default(false),
    /** Hold events briefly and deliver each held batch in reverse order. */
    outOfOrder: z.boolean().default(false),
    /** Wait this long before each delivery attempt. */
    delayMs: z.number().int().min(0).max(600_000).default(0),
    /** The first attempt of every delivery is lost (recorded as failed) and then retried on the backoff schedule. */
    dropFirstAttempt: z.boolean().default(false),
    /** Events of these types are never delivered (a lost webhook). */
    dropEventTypes: z.array(z.string()).default([]),
    /** Hold every API request this long before it runs (slow Stripe; makes concurrent idempotent requests collide). */
    apiDelayMs: z.number().int().min(0).max(600_000).default(0),
  })
  .strict();

export type Faults = z.infer<typeof faultsSchema>;

export const noFaults = (): Faults => faultsSchema.parse({});
