import "server-only";
import type Stripe from "stripe";
import { z } from "zod";
import { stripeEnv } from "@/lib/env";
import type { PaymentSignal } from "@/lib/order-status";
import { stripeClient } from "./client";

/** A verified Stripe event, reduced to what the shop needs to act on it. */
export type PaymentEvent = {
  id: string;
  type: string;
  created: Date;
  paymentIntentId: string | null;
  /** Our order id from the intent's metadata; events for intents that are not ours have none. */
  orderId: string | null;
  signal: PaymentSignal | null;
};

export class WebhookSignatureError extends Error {
  name = "WebhookSignatureError";
}

/** Checks Stripe-Signature over the exact raw body (300 s tolerance) and returns the event. */
export function verifyWebhook(rawBody: string, signature: string | null): Stripe.Event {
  if (!signature) throw new WebhookSignatureError("Missing Stripe-Signature header");
  try {
    return stripeClient().webhooks.constructEvent(rawBody, signature, stripeEnv().STRIPE_WEBHOOK_SECRET);
  } catch (error) {
    throw new WebhookSignatureError(error instanceof Error ? error.message : "Invalid signature");
  }
}

// Only the fields used are parsed; anything else in Stripe's objects is ignored.
const metadataSchema = z.record(z.string(), z.string()).nullish();
const intentSchema = z.object({
  object: z.literal("payment_intent"),
  id: z.string().startsWith("pi_"),
  status: z.enum([
    "requires_payment_method",
    "requires_confirmation",
    "requires_action",
    "processing",
    "requires_capture",
    "succeeded",
    "canceled",
  ]),
  amount_received: z.number().int().nonnegative(),
  currency: z.string().length(3),
  metadata: metadataSchema,
  last_payment_error: z.object({ message: z.string().optional() }).nullish(),
});
const chargeSchema = z.object({
  object: z.literal("charge"),
  payment_intent: z.union([z.string(), z.object({ id: z.string() })]).nullish(),
  paid: z.boolean(),
  captured: z.boolean(),
  amount_captured: z.number().int().nonnegative(),
  amount_refunded: z.number().int().nonnegative(),
  currency: z.string().length(3),
  metadata: metadataSchema,
});

const INTENT_EVENTS = new Set([
  "payment_intent.succeeded",
  "payment_intent.processing",
  "payment_intent.payment_failed",
  "payment_intent.canceled",
  "payment_intent.requires_action",
  "payment_intent.amount_capturable_updated",
]);
const CHARGE_EVENTS = new Set(["charge.succeeded", "charge.captured", "charge.refunded", "charge.updated"]);

export function toPaymentEvent(event: Stripe.Event): PaymentEvent {
  const base = { id: event.id, type: event.type, created: new Date(event.created * 1000) };
  const object: unknown = event.data.object;
  if (INTENT_EVENTS.has(event.type)) {
    const intent = intentSchema.parse(object);
    const failure =
      event.type === "payment_intent.payment_failed" ? { message: intent.last_payment_error?.message ?? "The payment failed." } : undefined;
    return {
      ...base,
      paymentIntentId: intent.id,
      orderId: intent.metadata?.order_id ?? null,
      signal: { kind: "intent", status: intent.status, amountReceived: intent.amount_received, currency: intent.currency, failure },
    };
  }
  if (CHARGE_EVENTS.has(event.type)) {
    const charge = chargeSchema.parse(object);
    const paymentIntentId = typeof charge.payment_intent === "string" ? charge.payment_intent : (charge.payment_intent?.id ?? null);
    return {
      ...base,
      paymentIntentId,
      orderId: charge.metadata?.order_id ?? null,
      signal: {
        kind: "charge",
        paid: charge.paid,
        captured: charge.captured,
        amountCaptured: charge.amount_captured,
        amountRefunded: charge.amount_refunded,
        currency: charge.currency,
      },
    };
  }
  if (event.type.startsWith("refund.")) {
    // Refund events are kept for the timeline; the refunded total arrives with charge.refunded.
    const refund = z.object({ payment_intent: z.string().nullish() }).parse(object);
    return { ...base, paymentIntentId: refund.payment_intent ?? null, orderId: null, signal: null };
  }
  return { ...base, paymentIntentId: null, orderId: null, signal: null };
}
