import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import type Stripe from "stripe";
import type { PaymentSignal } from "@/lib/order-status";
import { stripeClient } from "./client";

/** The order as the payments module needs it to charge for it. */
export type ChargeableOrder = {
  id: string;
  number: string;
  cartId: string;
  email: string;
  total: number;
  currency: string;
  paymentIntentId: string | null;
  shipping: {
    name: string;
    line1: string;
    line2: string | null;
    city: string;
    state: string | null;
    postalCode: string;
    country: string;
  };
};

export type IntentForCheckout =
  | { ok: true; paymentIntentId: string; clientSecret: string; amount: number; currency: string }
  | { ok: false; reason: "already_paying" | "already_paid"; paymentIntentId: string };

// Statuses in which the amount may still change and the shopper may still pay.
const PAYABLE: ReadonlySet<Stripe.PaymentIntent.Status> = new Set(["requires_payment_method", "requires_confirmation", "requires_action"]);

function statementSuffix(orderNumber: string): string {
  // Stripe: Latin letters/digits, at least one letter, none of < > \ ' " *, prefix + suffix within 22.
  return orderNumber.replace(/[^A-Za-z0-9]/g, "").slice(0, 12);
}

function intentParams(order: ChargeableOrder) {
  return {
    amount: order.total,
    currency: order.currency,
    description: `Order ${order.number}`,
    receipt_email: order.email,
    metadata: { order_id: order.id, order_number: order.number, cart_id: order.cartId },
    shipping: {
      name: order.shipping.name,
      address: {
        line1: order.shipping.line1,
        line2: order.shipping.line2 ?? "",
        city: order.shipping.city,
        state: order.shipping.state ?? "",
        postal_code: order.shipping.postalCode,
        country: order.shipping.country,
      },
    },
    statement_descriptor_suffix: statementSuffix(order.number),
  } satisfies Stripe.PaymentIntentUpdateParams;
}

function idempotencyKey(purpose: string, ...parts: unknown[]): string {
  return `${purpose}-${createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 40)}`;
}

/**
 * Returns a PaymentIntent that charges exactly the order's current total: the existing one (its amount
 * updated if the cart changed) while it can still be paid, otherwise a new one. The create carries an
 * Idempotency-Key derived from the order, its contents and the intent it replaces, so a double submit or
 * a retry after a timeout yields one intent.
 */
export async function intentForOrder(order: ChargeableOrder): Promise<IntentForCheckout> {
  const stripe = stripeClient();
  const params = intentParams(order);
  if (order.paymentIntentId) {
    const existing = await stripe.paymentIntents.retrieve(order.paymentIntentId);
    if (existing.status === "succeeded") return { ok: false, reason: "already_paid", paymentIntentId: existing.id };
    if (existing.status === "processing" || existing.status === "requires_capture") {
      return { ok: false, reason: "already_paying", paymentIntentId: existing.id };
    }
    if (PAYABLE.has(existing.status)) {
      const changed =
        existing.amount !== params.amount ||
        existing.currency !== params.currency ||
        existing.receipt_email !== params.receipt_email ||
        existing.shipping?.address?.line1 !== params.shipping.address.line1 ||
        existing.shipping?.address?.postal_code !== params.shipping.address.postal_code ||
        existing.shipping?.name !== params.shipping.name;
      const intent = changed
        ? await stripe.paymentIntents.update(existing.id, params, { idempotencyKey: idempotencyKey("pi-update", existing.id, params) })
        : existing;
      return { ok: true, paymentIntentId: intent.id, clientSecret: intent.client_secret!, amount: intent.amount, currency: intent.currency };
    }
    // canceled: fall through to a fresh intent.
  }
  const created = await stripe.paymentIntents.create(
    { ...params, automatic_payment_methods: { enabled: true } },
    { idempotencyKey: idempotencyKey("pi-create", order.id, order.paymentIntentId, params) },
  );
  return { ok: true, paymentIntentId: created.id, clientSecret: created.client_secret!, amount: created.amount, currency: created.currency };
}

export type IntentSummary = {
  id: string;
  status: Stripe.PaymentIntent.Status;
  amount: number;
  amountReceived: number;
  currency: string;
  orderId: string | null;
  created: Date;
  lastError: string | null;
};

function summarize(intent: Stripe.PaymentIntent): IntentSummary {
  return {
    id: intent.id,
    status: intent.status,
    amount: intent.amount,
    amountReceived: intent.amount_received,
    currency: intent.currency,
    orderId: intent.metadata?.order_id ?? null,
    created: new Date(intent.created * 1000),
    lastError: intent.last_payment_error?.message ?? null,
  };
}

export async function retrieveIntent(paymentIntentId: string): Promise<IntentSummary> {
  return summarize(await stripeClient().paymentIntents.retrieve(paymentIntentId));
}

/** The intent's state as a payment signal, for the same finalization the webhook uses. */
export function signalOf(intent: IntentSummary): PaymentSignal {
  return { kind: "intent", status: intent.status, amountReceived: intent.amountReceived, currency: intent.currency };
}

export type CancelResult = { canceled: true } | { canceled: false; status: Stripe.PaymentIntent.Status };

/** Cancels an intent unless it is already beyond cancelation; says what state it is in then. */
export async function cancelIntent(paymentIntentId: string, reason: "abandoned" | "requested_by_customer"): Promise<CancelResult> {
  const stripe = stripeClient();
  const intent = await stripe.paymentIntents.retrieve(paymentIntentId);
  if (intent.status === "canceled") return { canceled: true };
  if (!["requires_payment_method", "requires_confirmation", "requires_action", "requires_capture"].includes(intent.status)) {
    return { canceled: false, status: intent.status };
  }
  try {
    await stripe.paymentIntents.cancel(paymentIntentId, { cancellation_reason: reason });
    return { canceled: true };
  } catch (error) {
    // The shopper may have paid between the retrieve and the cancel: report the state Stripe has now.
    const now = await stripe.paymentIntents.retrieve(paymentIntentId);
    if (now.status === "canceled") return { canceled: true };
    if (now.status === "succeeded" || now.status === "processing") return { canceled: false, status: now.status };
    throw error;
  }
}

/** Refunds part or all of an intent's payment. The order changes when Stripe's refund event arrives. */
export async function refundIntent(paymentIntentId: string, amount: number, requestKey: string): Promise<{ refundId: string; status: string | null }> {
  const refund = await stripeClient().refunds.create(
    { payment_intent: paymentIntentId, amount, reason: "requested_by_customer" },
    { idempotencyKey: idempotencyKey("refund", paymentIntentId, amount, requestKey) },
  );
  return { refundId: refund.id, status: refund.status };
}

/** Every intent created in [from, to), newest first, following Stripe's pagination. */
export async function listIntents(from: Date, to: Date): Promise<IntentSummary[]> {
  const result: IntentSummary[] = [];
  const params = { created: { gte: Math.floor(from.getTime() / 1000), lt: Math.floor(to.getTime() / 1000) }, limit: 100 };
  for await (const intent of stripeClient().paymentIntents.list(params)) result.push(summarize(intent));
  return result;
}

/** Whether the browser holds this intent's client secret (it came back from Stripe's redirect with it). */
export async function holdsClientSecret(paymentIntentId: string, clientSecret: string): Promise<boolean> {
  const intent = await stripeClient().paymentIntents.retrieve(paymentIntentId);
  const expected = Buffer.from(intent.client_secret ?? "");
  const given = Buffer.from(clientSecret);
  return expected.length > 0 && expected.length === given.length && timingSafeEqual(expected, given);
}
