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

const idOf = (value: string | { id: string }) => (typeof value === "string" ? value : value.id);
const disputeSchema = z.object({
  object: z.literal("dispute"),
  id: z.string().min(1),
  charge: z.union([z.string(), z.object({ id: z.string() })]),
  payment_intent: z.union([z.string(), z.object({ id: z.string() })]).nullish(),
  amount: z.number().int().nonnegative(),
  currency: z.string().length(3),
  reason: z.string(),
  status: z.string(),
  evidence_details: z.object({ due_by: z.number().int().nullish() }).nullish(),
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
// A dispute's funds events (funds_withdrawn, funds_reinstated) only go on the timeline: the dispute's status says it all.
const DISPUTE_EVENTS = new Set(["charge.dispute.created", "charge.dispute.updated", "charge.dispute.closed"]);

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
  if (DISPUTE_EVENTS.has(event.type)) {
    const dispute = disputeSchema.parse(object);
    const paymentIntentId = dispute.payment_intent ? idOf(dispute.payment_intent) : null;
    const dueBy = dispute.evidence_details?.due_by;
    return {
      ...base,
      paymentIntentId,
      // A dispute carries no metadata of ours: lib/disputes.ts finds the order by its intent.
      orderId: null,
      signal: {
        kind: "dispute",
        disputeId: dispute.id,
        chargeId: idOf(dispute.charge),
        paymentIntentId,
        amount: dispute.amount,
        currency: dispute.currency,
        reason: dispute.reason,
        status: dispute.status,
        evidenceDueBy: dueBy ? new Date(dueBy * 1000).toISOString() : null,
        eventCreated: base.created.toISOString(),
      },
    };
  }
  if (event.type.startsWith("charge.dispute.")) {
    const dispute = z.object({ payment_intent: z.union([z.string(), z.object({ id: z.string() })]).nullish() }).parse(object);
    return { ...base, paymentIntentId: dispute.payment_intent ? idOf(dispute.payment_intent) : null, orderId: null, signal: null };
  }
  if (event.type.startsWith("refund.")) {
    // Refund events are kept for the timeline; the refunded total arrives with charge.refunded.
    const refund = z.object({ payment_intent: z.string().nullish() }).parse(object);
    return { ...base, paymentIntentId: refund.payment_intent ?? null, orderId: null, signal: null };
  }
  return { ...base, paymentIntentId: null, orderId: null, signal: null };
}
