import "server-only";
import { prisma } from "@/lib/db";
import { isPaid } from "@/lib/order-status";
import { PaymentProviderError } from "@/lib/payments/errors";
import { listIntents, retrieveIntent, type IntentSummary } from "@/lib/payments/intents";

// Compares what Stripe holds with what the shop holds for a period, to catch lost webhooks and drift.
// Repairing applies Stripe's state through the same finalization the webhook uses.

export type DiscrepancyKind = "paid_in_stripe_not_in_shop" | "amount_mismatch" | "paid_in_shop_not_in_stripe" | "intent_without_order";

export type Discrepancy = {
  kind: DiscrepancyKind;
  paymentIntentId: string;
  orderId: string | null;
  orderNumber: string | null;
  detail: string;
  repairable: boolean;
};

export type ReconciliationReport = { intents: number; orders: number; discrepancies: Discrepancy[] };

export async function reconcile(from: Date, to: Date): Promise<ReconciliationReport> {
  const intents = await listIntents(from, to);
  const ours = intents.filter((intent) => intent.orderId);
  const orders = await prisma.order.findMany({
    where: { OR: [{ createdAt: { gte: from, lt: to } }, { paymentIntentId: { in: ours.map((i) => i.id) } }] },
    select: { id: true, number: true, status: true, total: true, currency: true, paymentIntentId: true },
  });
  const byId = new Map(orders.map((o) => [o.id, o]));
  const discrepancies: Discrepancy[] = [];

  for (const intent of ours) {
    const order = byId.get(intent.orderId!);
    if (!order) {
      discrepancies.push({
        kind: "intent_without_order",
        paymentIntentId: intent.id,
        orderId: intent.orderId,
        orderNumber: null,
        detail: `Intent ${intent.status} for ${intent.amount} ${intent.currency} names an order this shop does not have`,
        repairable: false,
      });
      continue;
    }
    // Unpaid intents need nothing, whether the order's own or one checkout created but never recorded.
    if (intent.status !== "succeeded") continue;
    if (intent.amountReceived !== order.total || intent.currency !== order.currency) {
      discrepancies.push({
        kind: "amount_mismatch",
        paymentIntentId: intent.id,
        orderId: order.id,
        orderNumber: order.number,
        detail: `Stripe received ${intent.amountReceived} ${intent.currency}; the order total is ${order.total} ${order.currency}`,
        repairable: false,
      });
    } else if (!isPaid(order.status)) {
      discrepancies.push({
        kind: "paid_in_stripe_not_in_shop",
        paymentIntentId: intent.id,
        orderId: order.id,
        orderNumber: order.number,
        detail: `Stripe shows the payment succeeded; the order is ${order.status} (a lost webhook)`,
        repairable: true,
      });
    }
  }

  // Orders the shop thinks are paid whose intent Stripe does not show as succeeded.
  const byIntent = new Map(intents.map((i) => [i.id, i]));
  for (const order of orders) {
    if (!isPaid(order.status) || !order.paymentIntentId) continue;
    const intent = byIntent.get(order.paymentIntentId) ?? (await intentOrMissing(order.paymentIntentId));
    if (!intent) {
      discrepancies.push({
        kind: "paid_in_shop_not_in_stripe",
        paymentIntentId: order.paymentIntentId,
        orderId: order.id,
        orderNumber: order.number,
        detail: `The order is ${order.status} but Stripe has no such PaymentIntent (another account or mode?)`,
        repairable: false,
      });
    } else if (intent.status !== "succeeded") {
      discrepancies.push({
        kind: "paid_in_shop_not_in_stripe",
        paymentIntentId: intent.id,
        orderId: order.id,
        orderNumber: order.number,
        detail: `The order is ${order.status} but Stripe shows the intent as ${intent.status}`,
        repairable: false,
      });
    }
  }
  return { intents: intents.length, orders: orders.length, discrepancies };
}

/** The intent, or null when Stripe says it does not exist (an order from another account or test mode). */
async function intentOrMissing(paymentIntentId: string): Promise<IntentSummary | null> {
  try {
    return await retrieveIntent(paymentIntentId);
  } catch (error) {
    // Only a refusal means "no such intent"; Stripe unreachable fails the whole comparison, as it should.
    if (error instanceof PaymentProviderError && error.kind === "refused") return null;
    throw error;
  }
}
