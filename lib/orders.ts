import "server-only";
import { lockCart, lockOrderRow, prisma, type Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { releaseStock } from "@/lib/inventory";
import { CANCELED_MESSAGE, cancelRefusal, paymentBlocksCancel, planRefund, refundSentMessage } from "@/lib/order-rules";
import { planPaymentUpdate, statusLabel, type OrderStatus, type PaymentSignal } from "@/lib/order-status";
import { PaymentProviderError } from "@/lib/payments/errors";
import type { PaymentEvent } from "@/lib/payments/events";
import { cancelIntent, refundIntent, retrieveIntent, signalOf } from "@/lib/payments/intents";
import { fail, type AdminErrorCode, type Failure } from "@/lib/result";

// Where an order is marked paid, refunded or canceled. Webhook events, the shopper's return from
// Stripe and the admin's reconciliation all end in applySignal, inside one transaction that holds the
// order's row lock, so every path reaches the same final state and no effect is applied twice.
// No transaction here ever waits on Stripe: Stripe is asked first, and its answer applied afterwards.

// Under load a webhook waits for its rows like a checkout does, instead of failing after Prisma's
// default 2 s / 5 s and leaning on Stripe's retry.
const FINALIZE_TRANSACTION = { maxWait: 10_000, timeout: 15_000 };

export type ApplyResult = {
  outcome: string;
  orderId: string | null;
  duplicate: boolean;
  /** Stock changed (released): catalog pages should be revalidated. */
  stockChanged: boolean;
};

/**
 * Locks the order for the rest of the transaction. The cart row is locked first, as checkout does, so a
 * webhook and a checkout touching the same cart queue behind each other instead of deadlocking.
 */
async function lockOrder(tx: Tx, where: { id?: string | null; paymentIntentId?: string | null }) {
  const key = where.id ? { id: where.id } : where.paymentIntentId ? { paymentIntentId: where.paymentIntentId } : null;
  const found = key ? await tx.order.findFirst({ where: key, select: { id: true, cartId: true } }) : null;
  if (!found) return null;
  await lockCart(tx, found.cartId);
  await lockOrderRow(tx, found.id);
  return tx.order.findUnique({ where: { id: found.id }, include: { items: true } });
}

async function applySignal(
  tx: Tx,
  where: { id?: string | null; paymentIntentId?: string | null },
  signal: PaymentSignal,
): Promise<Omit<ApplyResult, "duplicate">> {
  const order = await lockOrder(tx, where);
  // Intents without our order (another integration on the same account) are none of our business.
  if (!order) return { outcome: "no matching order", orderId: null, stockChanged: false };
  // An event for an intent that is not the order's (one checkout created but never recorded, see
  // lib/checkout/start.ts) must not touch it.
  if (where.paymentIntentId && order.paymentIntentId && order.paymentIntentId !== where.paymentIntentId) {
    return { outcome: "intent no longer used by the order", orderId: order.id, stockChanged: false };
  }

  const update = planPaymentUpdate(
    {
      status: order.status,
      total: order.total,
      currency: order.currency,
      amountRefunded: order.amountRefunded,
      stockReserved: order.stockReserved,
    },
    signal,
  );
  const now = new Date();
  const data: Prisma.OrderUpdateInput = {};
  if (update.status) data.status = update.status;
  if (update.markPaidNow) data.paidAt = now;
  if (update.markCanceledNow) data.canceledAt = now;
  if (update.amountRefunded !== undefined) data.amountRefunded = update.amountRefunded;
  if (update.attention) data.attention = update.attention;
  if (update.recordFailure) {
    data.failedAttempts = { increment: 1 };
    data.lastPaymentError = update.recordFailure;
  }
  // A crash between creating the intent and saving its id leaves the order without it: adopt it here.
  if (!order.paymentIntentId && where.paymentIntentId) data.paymentIntentId = where.paymentIntentId;
  if (update.releaseStock || update.consumeReservation) {
    data.stockReserved = false;
    data.reservedUntil = null;
  }
  if (update.releaseStock) await releaseStock(tx, order.items);
  if (Object.keys(data).length) await tx.order.update({ where: { id: order.id }, data });
  // The paid cart is closed: its cookie can never bring it back, and the shopper's next visit starts afresh.
  if (update.closeCart) await tx.cart.update({ where: { id: order.cartId }, data: { status: "checked_out" } });
  return { outcome: update.outcome, orderId: order.id, stockChanged: Boolean(update.releaseStock) };
}

/**
 * Applies a verified Stripe event exactly once: the event id is recorded in the same transaction that
 * applies its effect, so a redelivery finds it and does nothing, and a failure leaves neither behind.
 */
export async function applyPaymentEvent(event: PaymentEvent): Promise<ApplyResult> {
  return prisma.$transaction(async (tx) => {
    const inserted = await tx.$executeRaw`
      INSERT INTO "StripeEvent" (id, type, "paymentIntentId", "createdAt")
      VALUES (${event.id}, ${event.type}, ${event.paymentIntentId}, ${event.created})
      ON CONFLICT (id) DO NOTHING`;
    if (inserted === 0) return { outcome: "duplicate", orderId: null, duplicate: true, stockChanged: false };

    let result: Omit<ApplyResult, "duplicate"> = { outcome: "recorded", orderId: null, stockChanged: false };
    if (event.signal) {
      result = await applySignal(tx, { id: event.orderId, paymentIntentId: event.paymentIntentId }, event.signal);
    } else if (event.paymentIntentId) {
      const order = await tx.order.findUnique({ where: { paymentIntentId: event.paymentIntentId }, select: { id: true } });
      result = { ...result, orderId: order?.id ?? null };
    }
    await tx.stripeEvent.update({
      where: { id: event.id },
      data: { orderId: result.orderId, processedAt: new Date(), outcome: result.outcome },
    });
    return { ...result, duplicate: false };
  }, FINALIZE_TRANSACTION);
}

/**
 * Reads the order's intent from Stripe, then (no transaction open during the read) applies its state in
 * one short transaction, as a webhook would. Used when the shopper returns from payment before the webhook,
 * by checkout when it finds the intent paid or canceled, and by reconciliation to repair a lost webhook.
 * Stripe unreachable: PaymentProviderError, and nothing changed.
 */
export type SyncResult = ApplyResult & { status: OrderStatus | null; paymentError: string | null };

export async function syncOrderWithStripe(orderId: string): Promise<SyncResult> {
  const order = await prisma.order.findUnique({ where: { id: orderId }, select: { paymentIntentId: true } });
  if (!order?.paymentIntentId) {
    return { outcome: "no payment intent", orderId, duplicate: false, stockChanged: false, status: null, paymentError: null };
  }
  const intent = await retrieveIntent(order.paymentIntentId);
  const result = await prisma.$transaction(
    (tx) => applySignal(tx, { id: orderId, paymentIntentId: intent.id }, signalOf(intent)),
    FINALIZE_TRANSACTION,
  );
  const after = await prisma.order.findUnique({ where: { id: orderId }, select: { status: true } });
  return { ...result, duplicate: false, status: after?.status ?? null, paymentError: intent.lastError };
}

/** What a staff action on an order (or the expiry sweep) gets back; the admin actions hand it on as is. */
export type OrderActionResult = { ok: true; message: string; stockChanged: boolean } | Failure<AdminErrorCode>;

function providerFailure(error: PaymentProviderError): Failure<AdminErrorCode> {
  return error.kind === "refused"
    ? fail("payment_provider_refused", `Stripe: ${error.message}`)
    : fail("payment_provider_unavailable", "Stripe could not be reached and may or may not have acted; trying again is safe.");
}

/**
 * Cancels an unpaid order: first its PaymentIntent at Stripe, then (only once Stripe confirms the intent
 * can no longer be paid) the order, releasing its reserved stock. Stock is never released for an intent
 * that might still succeed, so no shopper is ever charged for units that went back on the shelf.
 */
export async function cancelOrder(orderId: string, reason: "abandoned" | "requested_by_customer"): Promise<OrderActionResult> {
  const order = await prisma.order.findUnique({ where: { id: orderId }, select: { status: true, paymentIntentId: true, currency: true } });
  if (!order) return fail("not_found", "No such order");
  const refusal = cancelRefusal(order);
  if (refusal) return refusal;
  try {
    if (order.paymentIntentId) {
      // Outside any transaction. Stripe late or failing: nothing changed here, the order stays open. The
      // process dying after Stripe canceled: payment_intent.canceled's webhook finishes the job.
      const result = await cancelIntent(order.paymentIntentId, reason);
      if (!result.canceled) {
        // The intent got paid or is being paid: let that finish and say so.
        await syncOrderWithStripe(orderId);
        return paymentBlocksCancel(result.status);
      }
    }
  } catch (error) {
    if (error instanceof PaymentProviderError) return providerFailure(error);
    throw error;
  }
  // A pending order with no intent yet (checkout's Stripe call still under way) is canceled here alone;
  // lib/checkout then finds it canceled and never records or hands out the intent it was creating.
  const applied = await prisma.$transaction(
    (tx) => applySignal(tx, { id: orderId }, { kind: "intent", status: "canceled", amountReceived: 0, currency: order.currency }),
    FINALIZE_TRANSACTION,
  );
  return { ok: true, message: CANCELED_MESSAGE, stockChanged: applied.stockChanged };
}

/**
 * Refunds `amountText` (major units, as staff type it) of a paid order at Stripe. The order itself changes
 * when Stripe's charge.refunded event arrives. `requestKey` identifies the staff member's confirmation:
 * sending the same one again (a double submit, a retry after Stripe was unreachable) refunds once.
 */
export async function refundOrder(orderId: string, amountText: string, requestKey: string): Promise<OrderActionResult> {
  const order = await prisma.order.findUnique({
    where: { id: orderId },
    select: { status: true, total: true, amountRefunded: true, currency: true, paymentIntentId: true },
  });
  if (!order) return fail("not_found", "No such order");
  const plan = planRefund(order, amountText);
  if (!plan.ok) return plan;
  try {
    const refund = await refundIntent(plan.paymentIntentId, plan.amount, requestKey);
    return { ok: true, message: refundSentMessage(plan.amount, order.currency, refund), stockChanged: false };
  } catch (error) {
    if (error instanceof PaymentProviderError) return providerFailure(error);
    throw error;
  }
}

/**
 * Re-runs the webhook's finalization for one order from Stripe's current state (reconciliation's repair of a
 * lost webhook). Stripe unreachable or refusing: a failure code, and nothing changed.
 */
export async function repairOrder(orderId: string): Promise<OrderActionResult> {
  try {
    const result = await syncOrderWithStripe(orderId);
    if (!result.status) return fail("not_found", "No order with a payment at Stripe to repair from");
    return { ok: true, message: `Order is now ${statusLabel(result.status)} (${result.outcome})`, stockChanged: result.stockChanged };
  } catch (error) {
    if (error instanceof PaymentProviderError) return providerFailure(error);
    throw error;
  }
}

/**
 * Cancels checkouts whose stock reservation has run out, oldest first, at most `limit` per call. Returns how
 * many were released. Run every minute by the job queue (lib/jobs/release-expired-reservations.ts); a
 * backlog beyond the limit is left to the next run.
 */
export async function releaseExpiredReservations(now = new Date(), limit = 100): Promise<number> {
  const expired = await prisma.order.findMany({
    where: { status: "pending", stockReserved: true, reservedUntil: { lt: now } },
    select: { id: true },
    orderBy: { reservedUntil: "asc" },
    take: limit,
  });
  let released = 0;
  for (const { id } of expired) {
    // One by one, each its own Stripe call then its own short transaction. A failure leaves that order for
    // the next sweep and never stops the others.
    const result = await cancelOrder(id, "abandoned").catch((error: unknown) => {
      console.error(`orders: releasing expired order ${id} failed:`, error);
      return null;
    });
    if (result?.ok && result.stockChanged) released += 1;
  }
  return released;
}
