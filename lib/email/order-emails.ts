import "server-only";
import type { Tx } from "@/lib/db";
import type { OrderPaymentUpdate, OrderStatus } from "@/lib/order-status";
import { absoluteUrl } from "@/lib/site";
import { adminOrderUrl, orderForEmail, queueEmail, staffAddress } from "./outbox";

// Which emails a change of an order's payment sends, written in the transaction that makes the change
// (lib/orders.ts applySignal). Each has a dedupe key naming its cause, so the same news applied twice (a
// webhook and the shopper's return, say) sends one message.
//
// Deliberately silent: a card declined while the shopper is on the checkout page (they see it there), and an
// abandoned checkout released by the expiry sweep (they never paid). Shoppers hear of a failure or a
// cancelation only once a payment was under way (a bank debit), or when staff cancel.

export type PaymentChange = {
  orderId: string;
  /** The order's status before the change. */
  before: OrderStatus;
  amountRefundedBefore: number;
  update: OrderPaymentUpdate;
  /** Staff canceled it: the shopper is told even if no payment was under way. */
  canceledByStaff?: boolean;
};

export async function queuePaymentEmails(tx: Tx, change: PaymentChange): Promise<void> {
  const { orderId, before, update } = change;
  const failed = Boolean(update.recordFailure) && before === "processing";
  const canceled = update.status === "canceled" && (before === "processing" || change.canceledByStaff === true);
  const refunded = update.amountRefunded !== undefined && update.amountRefunded > change.amountRefundedBefore;
  if (update.status !== "paid" && update.status !== "processing" && !failed && !canceled && !refunded) return;

  const order = await orderForEmail(tx, orderId);
  const shopper = (dedupeKey: string, input: Parameters<typeof queueEmail>[1]["input"]) =>
    queueEmail(tx, { dedupeKey, to: order.email, orderId, input });

  if (update.status === "paid") {
    await shopper(`order_confirmed:${orderId}`, { kind: "order_confirmed", order });
    const staff = await staffAddress(tx);
    if (staff)
      await queueEmail(tx, {
        dedupeKey: `staff_new_order:${orderId}`,
        to: staff,
        orderId,
        input: { kind: "staff_new_order", order, adminUrl: adminOrderUrl(order.number) },
      });
  }
  if (update.status === "processing") await shopper(`payment_processing:${orderId}`, { kind: "payment_processing", order });
  if (failed) {
    const { failedAttempts } = await tx.order.findUniqueOrThrow({ where: { id: orderId }, select: { failedAttempts: true } });
    await shopper(`payment_failed:${orderId}:${failedAttempts}`, {
      kind: "payment_failed",
      order,
      reason: update.recordFailure!,
      retryUrl: absoluteUrl("/checkout"),
    });
  }
  if (canceled) await shopper(`order_canceled:${orderId}`, { kind: "order_canceled", order });
  if (refunded) {
    const total = update.amountRefunded!;
    await shopper(`order_refunded:${orderId}:${total}`, {
      kind: "order_refunded",
      order,
      amount: total - change.amountRefundedBefore,
      full: total >= order.totals.total,
    });
  }
}
