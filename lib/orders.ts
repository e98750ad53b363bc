import "server-only";
import { prisma, type Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { releaseStock } from "@/lib/inventory";
import { CANCELED_MESSAGE, cancelRefusal, paymentBlocksCancel, planRefund, refundSentMessage } from "@/lib/order-rules";
import { planPaymentUpdate, statusLabel, type OrderPaymentState, type OrderStatus, type PaymentSignal } from "@/lib/order-status";
import { applyDispute } from "@/lib/disputes";
import { queuePaymentEmails } from "@/lib/email/order-emails";
import { PaymentProviderError } from "@/lib/payments/errors";
import type { PaymentEvent } from "@/lib/payments/events";
import { cancelIntent, refundIntent, retrieveIntent, signalOf } from "@/lib/payments/intents";
import { markDiscountPaid } from "@/lib/pricing/discount-uses";
import { fail, type AdminErrorCode, type Failure } from "@/lib/result";

// Where an order is marked paid, refunded or canceled. Webhook events (applied by the inbox's drain,
// lib/payments/inbox.ts), the shopper's return from Stripe and the admin's reconciliation all end in
// applySignal, inside one transaction that holds the order's row lock, so every path reaches the same final
// state and no effect is applied twice.
// No transaction here ever waits on Stripe: Stripe is asked first, and its answer applied afterwards.

// Under load a finalization waits for its rows like a checkout does, instead of failing after Prisma's
// default 2 s / 5 s.
export const FINALIZE_TRANSACTION = { maxWait: 10_000, timeout: 15_000 };

export type ApplyResult = {
  outcome: string;
  orderId: string | null;
  /** Stock changed (released): catalog pages should be revalidated. */
  stockChanged: boolean;
};

type LockedOrder = OrderPaymentState & { id: string; cartId: string; paymentIntentId: string | null };

/**
 * Locks the order for the rest of the transaction and reads it. The cart row is locked first, as checkout
 * does (lockCart in lib/db.ts), so a finalization and a checkout touching the same cart queue behind each
 * other instead of deadlocking. Two statements: this runs once for every webhook event the inbox applies.
 */
async function lockOrder(tx: Tx, where: { id?: string | null; paymentIntentId?: string | null }): Promise<LockedOrder | null> {
  // Finds the order and locks its cart, and only its cart (FOR UPDATE OF c)...
  const found = where.id
    ? await tx.$queryRaw<Array<{ id: string }>>`
        SELECT o.id FROM "Order" o JOIN "Cart" c ON c.id = o."cartId" WHERE o.id = ${where.id} FOR UPDATE OF c`
    : where.paymentIntentId
      ? await tx.$queryRaw<Array<{ id: string }>>`
          SELECT o.id FROM "Order" o JOIN "Cart" c ON c.id = o."cartId" WHERE o."paymentIntentId" = ${where.paymentIntentId} FOR UPDATE OF c`
      : [];
  const id = found[0]?.id;
  if (!id) return null;
  // ...then locks the order's row and reads it as it stands once it is ours.
  const [order] = await tx.$queryRaw<LockedOrder[]>`
    SELECT id, "cartId", status::text AS status, total, currency, "amountRefunded", "stockReserved", "paymentIntentId"
      FROM "Order" WHERE id = ${id} FOR UPDATE`;
  return order ?? null;
}

async function applySignal(
  tx: Tx,
  where: { id?: string | null; paymentIntentId?: string | null },
  signal: PaymentSignal,
  options: { canceledByStaff?: boolean } = {},
): Promise<ApplyResult> {
  const order = await lockOrder(tx, where);
  // Intents without our order (another integration on the same account) are none of our business.
  if (!order) return { outcome: "no matching order", orderId: null, stockChanged: false };
  // An event for an intent that is not the order's (one checkout created but never recorded, see
  // lib/checkout/start.ts) must not touch it.
  if (where.paymentIntentId && order.paymentIntentId && order.paymentIntentId !== where.paymentIntentId) {
    return { outcome: "intent no longer used by the order", orderId: order.id, stockChanged: false };
  }

  const update = planPaymentUpdate(order, signal);
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
    data.reservedAt = null;
  }
  if (update.releaseStock) {
    await releaseStock(tx, await tx.orderItem.findMany({ where: { orderId: order.id }, select: { variantId: true, quantity: true } }));
  }
  if (Object.keys(data).length) await tx.order.update({ where: { id: order.id }, data });
  // A paid order's discount code use is spent for good, whatever happens to the order later (lib/pricing/discount-uses.ts).
  if (update.markPaidNow) await markDiscountPaid(tx, order.id);
  // The emails this change sends, in the same commit (lib/email/order-emails.ts).
  await queuePaymentEmails(tx, {
    orderId: order.id,
    before: order.status,
    amountRefundedBefore: order.amountRefunded,
    update,
    canceledByStaff: options.canceledByStaff,
  });
  // The paid cart is closed: its cookie can never bring it back, and the shopper's next visit starts afresh.
  if (update.closeCart) await tx.$executeRaw`UPDATE "Cart" SET status = 'checked_out', "updatedAt" = now() WHERE id = ${order.cartId}`;
  return { outcome: update.outcome, orderId: order.id, stockChanged: Boolean(update.releaseStock) };
}

/** A Stripe event as the webhook inbox holds it: what lib/payments/events.ts reduced it to. */
export type RecordedEvent = Pick<PaymentEvent, "paymentIntentId" | "orderId" | "signal">;

/**
 * The webhook inbox's apply step: one recorded event's effect on its order, inside the drain's transaction
 * (lib/payments/inbox.ts), which holds the event's row and marks it applied in the same commit, so the
 * effect and "applied" are never one without the other. Locks: the cart, then the order, then products, as
 * checkout takes them. An event that says nothing about a payment only finds its order for the timeline.
 */
export async function applyPaymentEvent(tx: Tx, event: RecordedEvent): Promise<ApplyResult> {
  // A dispute touches no order row, so it takes none of the order's locks.
  if (event.signal?.kind === "dispute") return applyDispute(tx, event.signal);
  if (event.signal) return applySignal(tx, { id: event.orderId, paymentIntentId: event.paymentIntentId }, event.signal);
  if (!event.paymentIntentId) return { outcome: "recorded", orderId: null, stockChanged: false };
  const order = await tx.order.findUnique({ where: { paymentIntentId: event.paymentIntentId }, select: { id: true } });
  return { outcome: "recorded", orderId: order?.id ?? null, stockChanged: false };
}

/**
 * Reads the order's intent from Stripe, then (no transaction open during the read) applies its state in
 * one short transaction, as the webhook inbox would. Used when the shopper returns from payment before the
 * webhook, by checkout when it finds the intent paid or canceled, and by reconciliation to repair a lost
 * webhook.
 * Stripe unreachable: PaymentProviderError, and nothing changed.
 */
export type SyncResult = ApplyResult & { status: OrderStatus | null; paymentError: string | null };

export async function syncOrderWithStripe(orderId: string): Promise<SyncResult> {
  const order = await prisma.order.findUnique({ where: { id: orderId }, select: { paymentIntentId: true } });
  if (!order?.paymentIntentId) {
    return { outcome: "no payment intent", orderId, stockChanged: false, status: null, paymentError: null };
  }
  const intent = await retrieveIntent(order.paymentIntentId);
  const result = await prisma.$transaction(
    (tx) => applySignal(tx, { id: orderId, paymentIntentId: intent.id }, signalOf(intent)),
    FINALIZE_TRANSACTION,
  );
  const after = await prisma.order.findUnique({ where: { id: orderId }, select: { status: true } });
  return { ...result, status: after?.status ?? null, paymentError: intent.lastError };
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
    (tx) =>
      applySignal(
        tx,
        { id: orderId },
        { kind: "intent", status: "canceled", amountReceived: 0, currency: order.currency },
        { canceledByStaff: reason === "requested_by_customer" },
      ),
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
