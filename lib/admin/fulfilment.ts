import "server-only";
import { recordAudit, type Actor } from "@/lib/audit";
import { lockCart, lockOrderRow, prisma, type Tx } from "@/lib/db";
import { orderForEmail, queueEmail } from "@/lib/email/outbox";
import {
  nextFulfilment,
  planReturn,
  planShipment,
  type FulfilmentLine,
  type FulfilmentStatus,
  type RequestedLine,
  type RuleFailure,
} from "@/lib/fulfilment-rules";
import { releaseStock } from "@/lib/inventory";
import { enqueueJob } from "@/lib/jobs/enqueue";
import { formatMoney } from "@/lib/money";
import { FINALIZE_TRANSACTION } from "@/lib/orders";
import type { OrderStatus } from "@/lib/order-status";
import { PaymentProviderError } from "@/lib/payments/errors";
import { refundIntent } from "@/lib/payments/intents";
import { fail, type AdminErrorCode, type Failure } from "@/lib/result";

// Shipments and returns of paid orders (rules in lib/fulfilment-rules.ts). Each change is one transaction
// that holds the order's locks (its cart, then the order, as every order path takes them), so two staff
// members acting on one order queue behind each other and each plans against what the other wrote.
// Effects outside the database leave through the outbox and the job queue in the same commit: the shipped
// email (lib/email/outbox.ts) and the return's refund (lib/jobs/refund-return.ts). No Stripe call here.

export const REFUND_RETURN_QUEUE = "refund-return";
/** Retries of a return's refund at Stripe: 10 s, doubling, about 20 minutes in all. */
export const REFUND_RETRIES = { retryLimit: 7, retryDelay: 10, retryBackoff: true, expireInSeconds: 120 } as const;

type LockedOrder = {
  id: string;
  number: string;
  status: OrderStatus;
  fulfilment: FulfilmentStatus;
  currency: string;
  pricesIncludeTax: boolean;
  total: number;
  amountRefunded: number;
  paymentIntentId: string | null;
};

/** Locks the order (its cart first, see lib/db.ts) and reads it; null: no such order. */
/** What shipping and returns read of an order. */
const ORDER_FIELDS = {
  id: true,
  number: true,
  status: true,
  fulfilment: true,
  currency: true,
  pricesIncludeTax: true,
  total: true,
  amountRefunded: true,
  paymentIntentId: true,
} as const;

async function lockOrder(tx: Tx, orderId: string): Promise<LockedOrder | null> {
  const found = await tx.order.findUnique({ where: { id: orderId }, select: { cartId: true } });
  if (!found) return null;
  await lockCart(tx, found.cartId);
  await lockOrderRow(tx, orderId);
  return tx.order.findUnique({
    where: { id: orderId },
    select: ORDER_FIELDS,
  });
}

/** The order's lines with what has shipped and come back, its shipments and its returns. */
async function fulfilmentState(tx: Tx, orderId: string) {
  const [items, shipments, returns] = await Promise.all([
    tx.orderItem.findMany({
      where: { orderId },
      orderBy: { id: "asc" },
      select: {
        id: true,
        name: true,
        options: true,
        unitPrice: true,
        quantity: true,
        // A return refunds what was paid: the line's price after its share of the discount, with its tax.
        discount: true,
        tax: true,
        variantId: true,
        shipped: { select: { quantity: true } },
        returned: { select: { quantity: true } },
      },
    }),
    tx.shipment.findMany({
      where: { orderId },
      orderBy: { shippedAt: "asc" },
      include: { items: { include: { orderItem: { select: { name: true, options: true } } } } },
    }),
    tx.orderReturn.findMany({
      where: { orderId },
      orderBy: { createdAt: "asc" },
      include: { items: { include: { orderItem: { select: { name: true, options: true } } } } },
    }),
  ]);
  const lines: FulfilmentLine[] = items.map((item) => ({
    orderItemId: item.id,
    name: item.name,
    options: item.options,
    unitPrice: item.unitPrice,
    quantity: item.quantity,
    discount: item.discount,
    tax: item.tax,
    shipped: item.shipped.reduce((n, s) => n + s.quantity, 0),
    returned: item.returned.reduce((n, r) => n + r.quantity, 0),
  }));
  const variants = new Map(items.map((item) => [item.id, item.variantId]));
  return { lines, variants, shipments, returns };
}

/**
 * What the order's refunds already claim: refunded at Stripe (as its webhook told us), plus returns whose
 * refund is still being made. A return refunded at Stripe whose charge.refunded event has not arrived yet
 * is counted in neither for that moment; Stripe then refuses a refund beyond the charge, and that return's
 * refund ends refund_failed rather than over-refunding.
 */
function refundedOrPending(order: LockedOrder, returns: Array<{ status: string; amount: number }>): number {
  const pending = returns.filter((r) => r.status === "refund_pending").reduce((n, r) => n + r.amount, 0);
  return order.amountRefunded + pending;
}

/** The order page's view: lines with what shipped and came back, shipments and returns, newest last. */
export async function orderFulfilment(orderId: string) {
  const order = await prisma.order.findUnique({
    where: { id: orderId },
    select: ORDER_FIELDS,
  });
  if (!order) return null;
  const state = await fulfilmentState(prisma, orderId);
  return { ...order, ...state, refundedOrPending: refundedOrPending(order, state.returns) };
}

export type ShipResult = { ok: true; message: string; shipmentId: string; fulfilment: FulfilmentStatus } | RuleFailure;

/**
 * Records a parcel: its lines, carrier and tracking number; moves the order's fulfilment forward; queues
 * the shipped email (one per shipment: the dedupe key is the shipment's id) and the audit entry, all in one
 * commit. Double submit: the second plan finds the tracking number recorded (duplicate_shipment), or the
 * units shipped (too_many_units), and writes nothing.
 */
export async function shipOrder(
  actor: Actor,
  orderId: string,
  requested: RequestedLine[],
  carrier: string,
  trackingNumber: string,
): Promise<ShipResult> {
  return prisma.$transaction(async (tx) => {
    const order = await lockOrder(tx, orderId);
    if (!order) return fail("not_found", "No such order");
    const state = await fulfilmentState(tx, orderId);
    const plan = planShipment(
      { status: order.status, lines: state.lines, trackingNumbers: state.shipments.map((s) => s.trackingNumber) },
      requested,
      carrier,
      trackingNumber,
    );
    if (!plan.ok) return plan;
    const shipment = await tx.shipment.create({
      data: {
        orderId,
        carrier: plan.carrier,
        trackingNumber: plan.trackingNumber,
        trackingUrl: plan.trackingUrl,
        staffEmail: actor.email,
        items: { create: plan.items.map(({ orderItemId, quantity }) => ({ orderItemId, quantity })) },
      },
    });
    const shippedNow = new Map(plan.items.map((item) => [item.orderItemId, item.quantity]));
    const lines = state.lines.map((line) => ({ ...line, shipped: line.shipped + (shippedNow.get(line.orderItemId) ?? 0) }));
    const fulfilment = nextFulfilment(order.fulfilment, lines, [...state.shipments, shipment]);
    if (fulfilment !== order.fulfilment) await tx.order.update({ where: { id: orderId }, data: { fulfilment } });
    const forEmail = await orderForEmail(tx, orderId);
    await queueEmail(tx, {
      dedupeKey: `order_shipped:${shipment.id}`,
      to: forEmail.email,
      orderId,
      input: {
        kind: "order_shipped",
        order: forEmail,
        shipment: {
          carrier: plan.carrier,
          trackingNumber: plan.trackingNumber,
          trackingUrl: plan.trackingUrl,
          items: plan.items.map(({ name, options, quantity }) => ({ name, options, quantity })),
        },
      },
    });
    await recordAudit(tx, actor, {
      action: "order.ship",
      subjectType: "order",
      subjectId: orderId,
      details: {
        shipmentId: shipment.id,
        carrier: plan.carrier,
        trackingNumber: plan.trackingNumber,
        items: plan.items.map(({ orderItemId, quantity }) => ({ orderItemId, quantity })),
        fulfilment,
      },
    });
    const units = plan.items.reduce((n, item) => n + item.quantity, 0);
    return {
      ok: true,
      message: `Shipped ${units} unit${units === 1 ? "" : "s"} with ${plan.carrier}; the customer is being emailed`,
      shipmentId: shipment.id,
      fulfilment,
    };
  }, FINALIZE_TRANSACTION);
}

export type DeliveredResult = { ok: true; message: string; fulfilment: FulfilmentStatus } | Failure<AdminErrorCode>;

/**
 * Marks a parcel delivered; once every parcel of a fully shipped order is, the order is delivered. Marking
 * it again (a double click, a second tab) changes nothing and says so.
 */
export async function markDelivered(actor: Actor, shipmentId: string): Promise<DeliveredResult> {
  return prisma.$transaction(async (tx) => {
    const found = await tx.shipment.findUnique({ where: { id: shipmentId }, select: { orderId: true } });
    if (!found) return fail("not_found", "No such shipment");
    const order = await lockOrder(tx, found.orderId);
    if (!order) return fail("not_found", "No such order");
    const shipment = await tx.shipment.findUniqueOrThrow({ where: { id: shipmentId } });
    if (shipment.deliveredAt) return { ok: true, message: "Already marked delivered", fulfilment: order.fulfilment };
    await tx.shipment.update({ where: { id: shipmentId }, data: { deliveredAt: new Date() } });
    const state = await fulfilmentState(tx, order.id);
    const fulfilment = nextFulfilment(order.fulfilment, state.lines, state.shipments);
    if (fulfilment !== order.fulfilment) await tx.order.update({ where: { id: order.id }, data: { fulfilment } });
    await recordAudit(tx, actor, {
      action: "order.deliver",
      subjectType: "order",
      subjectId: order.id,
      details: { shipmentId, trackingNumber: shipment.trackingNumber, fulfilment },
    });
    return {
      ok: true,
      message: fulfilment === "delivered" ? "Delivered: the whole order has arrived" : "Parcel marked delivered",
      fulfilment,
    };
  }, FINALIZE_TRANSACTION);
}

export type ReturnResult = { ok: true; message: string; returnId: string; amount: number } | RuleFailure;

/**
 * Records goods coming back: the return and its lines, the units back on their variants' shelves when
 * `restock` (lib/inventory.ts, whose stock change expires the products' catalog cache), the audit entry and
 * the refund job, in one commit. The refund itself is made by the job (lib/jobs/refund-return.ts) after the
 * commit; the order's amountRefunded and the refunded email follow from Stripe's charge.refunded webhook.
 * Double submit: `requestKey` (one per form) is kept in the audit entry; a second submit with it, which
 * waits on the order's lock until the first commits, finds that entry and answers the first return.
 */
export async function recordReturn(
  actor: Actor,
  orderId: string,
  requested: RequestedLine[],
  restock: boolean,
  requestKey: string,
): Promise<ReturnResult> {
  return prisma.$transaction(async (tx) => {
    const order = await lockOrder(tx, orderId);
    if (!order) return fail("not_found", "No such order");
    const earlier = await tx.auditEvent.findFirst({
      where: { subjectType: "order", subjectId: orderId, action: "order.return", details: { path: ["requestKey"], equals: requestKey } },
      select: { details: true },
    });
    const earlierId = (earlier?.details as { returnId?: string } | undefined)?.returnId;
    if (earlierId) {
      const first = await tx.orderReturn.findUniqueOrThrow({ where: { id: earlierId }, select: { id: true, amount: true } });
      return { ok: true, message: "This return is already recorded", returnId: first.id, amount: first.amount };
    }
    const state = await fulfilmentState(tx, orderId);
    const plan = planReturn(
      {
        status: order.status,
        currency: order.currency,
        pricesIncludeTax: order.pricesIncludeTax,
        total: order.total,
        refundedOrPending: refundedOrPending(order, state.returns),
        lines: state.lines,
      },
      requested,
      restock,
    );
    if (!plan.ok) return plan;
    if (!order.paymentIntentId) return fail("not_returnable", "This order has no payment to refund");
    const created = await tx.orderReturn.create({
      data: { orderId, restock, amount: plan.amount, staffEmail: actor.email, items: { create: plan.items } },
    });
    if (restock) {
      // Items whose variant was deleted since have no shelf to go back to; releaseStock skips them.
      await releaseStock(
        tx,
        plan.items.map(({ orderItemId, quantity }) => ({ variantId: state.variants.get(orderItemId) ?? null, quantity })),
      );
    }
    await recordAudit(tx, actor, {
      action: "order.return",
      subjectType: "order",
      subjectId: orderId,
      details: { returnId: created.id, requestKey, restock, amount: plan.amount, items: plan.items },
    });
    // The job exists exactly when the return does. Its queue missing (the job queue still starting): no job
    // is written and the sweep of pending returns (refundPendingReturns) makes the refund.
    await enqueueJob(tx, REFUND_RETURN_QUEUE, { returnId: created.id }, REFUND_RETRIES);
    return {
      ok: true,
      message: `Return recorded${restock ? " and restocked" : ""}; refunding ${formatMoney(plan.amount, order.currency)} through Stripe`,
      returnId: created.id,
      amount: plan.amount,
    };
  }, FINALIZE_TRANSACTION);
}

export type RefundOutcome = "refunded" | "retrying" | "refund_failed" | "not_pending";

const MAX_ERROR_LENGTH = 500;

/**
 * Makes a return's refund at Stripe (the refund-return job's work), with no transaction open during the call.
 * The Idempotency-Key comes from the return's id (and its intent and amount, lib/payments/intents.ts), so a
 * job run twice, a retry after a timeout, or the sweep racing the job all get Stripe's one refund back.
 * Failure modes:
 * - Stripe refuses (e.g. more than the charge has left): the same key would get the same answer, so the
 *   return is refund_failed at once, with Stripe's message.
 * - Stripe unreachable or failing: the error is kept and thrown, so the job queue retries with backoff; the
 *   last attempt (`lastAttempt`) marks the return refund_failed instead.
 * - The process dies after Stripe refunded but before the return is marked: the next attempt gets the same
 *   refund back and marks it then.
 */
export async function refundReturn(returnId: string, { lastAttempt }: { lastAttempt: boolean }): Promise<RefundOutcome> {
  const found = await prisma.orderReturn.findUnique({
    where: { id: returnId },
    select: { status: true, amount: true, order: { select: { paymentIntentId: true } } },
  });
  if (!found || found.status !== "refund_pending") return "not_pending";
  const finish = (data: { status: "refunded"; refundId: string } | { status: "refund_failed"; lastError: string }) =>
    prisma.orderReturn.updateMany({ where: { id: returnId, status: "refund_pending" }, data: { lastError: null, ...data } });
  if (!found.order.paymentIntentId) {
    await finish({ status: "refund_failed", lastError: "The order has no payment to refund" });
    return "refund_failed";
  }
  try {
    const refund = await refundIntent(found.order.paymentIntentId, found.amount, `return-${returnId}`);
    await finish({ status: "refunded", refundId: refund.refundId });
    return "refunded";
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR_LENGTH);
    const refused = error instanceof PaymentProviderError && error.kind === "refused";
    if (refused || lastAttempt) {
      await finish({ status: "refund_failed", lastError: reason });
      return "refund_failed";
    }
    await prisma.orderReturn.updateMany({ where: { id: returnId, status: "refund_pending" }, data: { lastError: reason } });
    throw error;
  }
}

/**
 * The safety net (run every few minutes): returns still waiting for their refund some minutes after they
 * were recorded, whose job was never written (the queue did not exist yet) or was lost, are refunded now.
 * A job still retrying may run at the same moment: the shared idempotency key makes that one refund.
 */
export async function refundPendingReturns(limit = 20): Promise<number> {
  const due = await prisma.orderReturn.findMany({
    where: { status: "refund_pending", createdAt: { lt: new Date(Date.now() - 30 * 60_000) } },
    orderBy: { createdAt: "asc" },
    select: { id: true },
    take: limit,
  });
  let refunded = 0;
  for (const { id } of due) {
    // One at a time; a failure leaves the return for the next sweep and never stops the others.
    const outcome = await refundReturn(id, { lastAttempt: false }).catch(() => "retrying" as const);
    if (outcome === "refunded") refunded += 1;
  }
  return refunded;
}
