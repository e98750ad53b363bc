import "server-only";
import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { releaseStock } from "@/lib/inventory";
import { planPaymentUpdate, type OrderStatus, type PaymentSignal } from "@/lib/order-status";
import type { PaymentEvent } from "@/lib/payments/events";
import { cancelIntent, retrieveIntent, signalOf } from "@/lib/payments/intents";

// Where an order is marked paid, refunded or canceled. Webhook events, the shopper's return from
// Stripe and the admin's reconciliation all end in applySignal, inside one transaction that holds the
// order's row lock, so every path reaches the same final state and no effect is applied twice.

type Tx = Prisma.TransactionClient;

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
  await tx.$queryRaw`SELECT id FROM "Cart" WHERE id = ${found.cartId} FOR UPDATE`;
  await tx.$queryRaw`SELECT id FROM "Order" WHERE id = ${found.id} FOR UPDATE`;
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
  // An event for an intent the order no longer uses (replaced after a cancel) must not touch it.
  if (where.paymentIntentId && order.paymentIntentId && order.paymentIntentId !== where.paymentIntentId) {
    return { outcome: "intent no longer used by the order", orderId: order.id, stockChanged: false };
  }

  const update = planPaymentUpdate(
    { status: order.status, total: order.total, currency: order.currency, amountRefunded: order.amountRefunded, stockReserved: order.stockReserved },
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
 * Reads the order's intent from Stripe and applies its state, as a webhook would. Used when the shopper
 * returns from payment before the webhook and by reconciliation to repair a lost webhook.
 */
export type SyncResult = ApplyResult & { status: OrderStatus | null; paymentError: string | null };

export async function syncOrderWithStripe(orderId: string): Promise<SyncResult> {
  const order = await prisma.order.findUnique({ where: { id: orderId }, select: { paymentIntentId: true } });
  if (!order?.paymentIntentId) {
    return { outcome: "no payment intent", orderId, duplicate: false, stockChanged: false, status: null, paymentError: null };
  }
  const intent = await retrieveIntent(order.paymentIntentId);
  const result = await prisma.$transaction((tx) => applySignal(tx, { id: orderId, paymentIntentId: intent.id }, signalOf(intent)), FINALIZE_TRANSACTION);
  const after = await prisma.order.findUnique({ where: { id: orderId }, select: { status: true } });
  return { ...result, duplicate: false, status: after?.status ?? null, paymentError: intent.lastError };
}

export type CancelOrderResult = { ok: true; stockChanged: boolean } | { ok: false; error: string };

/**
 * Cancels an unpaid order: first its PaymentIntent at Stripe, then (only once Stripe confirms the intent
 * can no longer be paid) the order, releasing its reserved stock. Stock is never released for an intent
 * that might still succeed, so no shopper is ever charged for units that went back on the shelf.
 */
export async function cancelOrder(orderId: string, reason: "abandoned" | "requested_by_customer"): Promise<CancelOrderResult> {
  const order = await prisma.order.findUnique({ where: { id: orderId }, select: { status: true, paymentIntentId: true, currency: true } });
  if (!order) return { ok: false, error: "No such order" };
  if (order.status !== "pending" && order.status !== "processing") {
    return { ok: false, error: `Only unpaid orders can be canceled; this one is ${order.status.replace("_", " ")}` };
  }
  if (order.paymentIntentId) {
    const result = await cancelIntent(order.paymentIntentId, reason);
    if (!result.canceled) {
      // The intent got paid or is being paid: let that finish and say so.
      await syncOrderWithStripe(orderId);
      return { ok: false, error: `The payment is already ${result.status}; the order cannot be canceled` };
    }
  }
  const applied = await prisma.$transaction(
    (tx) => applySignal(tx, { id: orderId }, { kind: "intent", status: "canceled", amountReceived: 0, currency: order.currency }),
    FINALIZE_TRANSACTION,
  );
  return { ok: true, stockChanged: applied.stockChanged };
}

/**
 * Cancels checkouts whose stock reservation has run out. Returns how many were released. Called when a
 * checkout starts and before adding to a cart; a deployment can also call it on a schedule.
 */
export async function releaseExpiredReservations(now = new Date(), limit = 20): Promise<number> {
  const expired = await prisma.order.findMany({
    where: { status: "pending", stockReserved: true, reservedUntil: { lt: now } },
    select: { id: true },
    orderBy: { reservedUntil: "asc" },
    take: limit,
  });
  let released = 0;
  for (const { id } of expired) {
    const result = await cancelOrder(id, "abandoned").catch(() => ({ ok: false as const, error: "" }));
    if (result.ok && result.stockChanged) released += 1;
  }
  return released;
}
