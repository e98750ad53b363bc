import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import type Stripe from "stripe";
import type { PaymentSignal } from "@/lib/order-status";
import { differingFields, intentParams, type ChargeableOrder } from "./charge";
import { stripeCall, stripeClient, stripeErrorCode, toProviderError } from "./client";
import { PaymentProviderError } from "./errors";

// PaymentIntents and refunds for the shop's orders. Every function here answers the shop's own outcomes;
// a Stripe failure leaves as a PaymentProviderError (lib/payments/errors.ts), never as a Stripe error.

/** Where an order's existing intent stands once checkout has tried to bring it to the order's charge. */
export type IntentForOrder =
  /** It can be paid and now charges exactly the order (amount, contact, shipping). */
  | { kind: "payable"; paymentIntentId: string; clientSecret: string }
  /** Paid, or a payment is under way: it must not change, and neither may the order. */
  | { kind: "paid_or_paying"; status: Stripe.PaymentIntent.Status }
  /** Canceled at Stripe: the order can never be paid with it. */
  | { kind: "canceled" };

// Statuses in which the amount may still change and the shopper may still pay.
const PAYABLE: ReadonlySet<Stripe.PaymentIntent.Status> = new Set(["requires_payment_method", "requires_confirmation", "requires_action"]);

function standing(intent: Stripe.PaymentIntent): IntentForOrder {
  if (PAYABLE.has(intent.status)) return { kind: "payable", paymentIntentId: intent.id, clientSecret: intent.client_secret! };
  return intent.status === "canceled" ? { kind: "canceled" } : { kind: "paid_or_paying", status: intent.status };
}

function idempotencyKey(purpose: string, ...parts: unknown[]): string {
  return `${purpose}-${createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 40)}`;
}

/**
 * Brings an order's existing intent to the order's charge while it can still be paid. Stripe refuses to
 * change the amount of an intent that is paid or being paid, so a payment that lands between our read and
 * our update is reported as paid_or_paying, never overwritten. Failures: PaymentProviderError.
 */
export async function updateIntentForOrder(paymentIntentId: string, order: ChargeableOrder): Promise<IntentForOrder> {
  const stripe = stripeClient();
  const params = intentParams(order);
  const existing = await stripeCall("retrieve the PaymentIntent", () => stripe.paymentIntents.retrieve(paymentIntentId));
  const now = standing(existing);
  if (now.kind !== "payable" || differingFields(existing, params).length === 0) return now;
  try {
    // No Idempotency-Key of ours: the update sets absolute values, so repeating it is harmless (the SDK keys
    // its own retries). A key derived from the contents would replay a stale answer when a cart returns to
    // an earlier state within Stripe's 24 hours.
    return standing(await stripe.paymentIntents.update(existing.id, params));
  } catch (error) {
    if (stripeErrorCode(error) !== "payment_intent_unexpected_state") throw toProviderError(error, "update the PaymentIntent");
    // Confirmed (or canceled) between our read and our update: report the state Stripe has now.
    const after = standing(await stripeCall("retrieve the PaymentIntent", () => stripe.paymentIntents.retrieve(paymentIntentId)));
    if (after.kind === "payable") throw toProviderError(error, "update the PaymentIntent");
    return after;
  }
}

/**
 * Creates the intent for an order that has none. The Idempotency-Key is derived from the order id and the
 * charge, so a double submit, an SDK retry after a timeout, or the next attempt after a crash before the id
 * was saved all get the same intent back. Failures: PaymentProviderError.
 */
export async function createIntentForOrder(order: ChargeableOrder): Promise<{ paymentIntentId: string; clientSecret: string }> {
  const params = intentParams(order);
  const created = await stripeCall("create the PaymentIntent", () =>
    stripeClient().paymentIntents.create(
      { ...params, automatic_payment_methods: { enabled: true } },
      { idempotencyKey: idempotencyKey("pi-create", order.id, params) },
    ),
  );
  return { paymentIntentId: created.id, clientSecret: created.client_secret! };
}

export type IntentSummary = {
  id: string;
  status: Stripe.PaymentIntent.Status;
  amount: number;
  amountReceived: number;
  currency: string;
  orderId: string | null;
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
    lastError: intent.last_payment_error?.message ?? null,
  };
}

export async function retrieveIntent(paymentIntentId: string): Promise<IntentSummary> {
  return summarize(await stripeCall("retrieve the PaymentIntent", () => stripeClient().paymentIntents.retrieve(paymentIntentId)));
}

/** The intent's state as a payment signal, for the same finalization the webhook uses. */
export function signalOf(intent: IntentSummary): PaymentSignal {
  return { kind: "intent", status: intent.status, amountReceived: intent.amountReceived, currency: intent.currency };
}

export type CancelResult = { canceled: true } | { canceled: false; status: Stripe.PaymentIntent.Status };

const CANCELABLE: ReadonlySet<Stripe.PaymentIntent.Status> = new Set([...PAYABLE, "requires_capture"]);

/**
 * Cancels an intent unless it is already beyond cancelation (then says its status). Failures:
 * PaymentProviderError.
 */
export async function cancelIntent(
  paymentIntentId: string,
  reason: "abandoned" | "requested_by_customer" | "duplicate",
): Promise<CancelResult> {
  const stripe = stripeClient();
  const retrieve = () => stripeCall("retrieve the PaymentIntent", () => stripe.paymentIntents.retrieve(paymentIntentId));
  const intent = await retrieve();
  if (intent.status === "canceled") return { canceled: true };
  if (!CANCELABLE.has(intent.status)) return { canceled: false, status: intent.status };
  try {
    await stripe.paymentIntents.cancel(paymentIntentId, { cancellation_reason: reason });
    return { canceled: true };
  } catch (error) {
    // The shopper may have paid between the retrieve and the cancel: report the state Stripe has now.
    const now = await retrieve();
    if (now.status === "canceled") return { canceled: true };
    if (now.status === "succeeded" || now.status === "processing") return { canceled: false, status: now.status };
    throw toProviderError(error, "cancel the PaymentIntent");
  }
}

/**
 * Refunds part or all of an intent's payment; the order changes when Stripe's refund event arrives. The
 * Idempotency-Key comes from the staff member's confirmation, so a retry of the same one refunds once.
 * Failures: PaymentProviderError (refused: Stripe's message says why).
 */
export async function refundIntent(
  paymentIntentId: string,
  amount: number,
  requestKey: string,
): Promise<{ refundId: string; status: string | null }> {
  const refund = await stripeCall("create the refund", () =>
    stripeClient().refunds.create(
      { payment_intent: paymentIntentId, amount, reason: "requested_by_customer" },
      { idempotencyKey: idempotencyKey("refund", paymentIntentId, amount, requestKey) },
    ),
  );
  return { refundId: refund.id, status: refund.status };
}

/** Every intent created in [from, to), newest first, following Stripe's pagination. */
export async function listIntents(from: Date, to: Date): Promise<IntentSummary[]> {
  const result: IntentSummary[] = [];
  const params = { created: { gte: Math.floor(from.getTime() / 1000), lt: Math.floor(to.getTime() / 1000) }, limit: 100 };
  await stripeCall("list PaymentIntents", async () => {
    for await (const intent of stripeClient().paymentIntents.list(params)) result.push(summarize(intent));
  });
  return result;
}

/** Whether the browser holds this intent's client secret (it came back from Stripe's redirect with it). */
export async function holdsClientSecret(paymentIntentId: string, clientSecret: string): Promise<boolean> {
  let intent: Stripe.PaymentIntent;
  try {
    intent = await stripeCall("retrieve the PaymentIntent", () => stripeClient().paymentIntents.retrieve(paymentIntentId));
  } catch (error) {
    // An id Stripe does not know proves nothing; Stripe being unreachable is an error for the page.
    if (error instanceof PaymentProviderError && error.kind === "refused") return false;
    throw error;
  }
  const expected = Buffer.from(intent.client_secret ?? "");
  const given = Buffer.from(clientSecret);
  return expected.length > 0 && expected.length === given.length && timingSafeEqual(expected, given);
}
