// What staff may do to an order, as pure functions: refunds and cancelation. lib/orders.ts applies them
// (reads the order, calls Stripe, writes); lib/order-rules.test.ts checks them without a database.
import { formatMoney, parseMajorUnits } from "@/lib/money";
import { isOpen, isPaid, statusLabel, type OrderStatus } from "@/lib/order-status";
import { fail, type AdminErrorCode, type Failure } from "@/lib/result";

export type RefundableOrder = {
  status: OrderStatus;
  total: number;
  amountRefunded: number;
  currency: string;
  paymentIntentId: string | null;
};

export type RefundPlan = { ok: true; paymentIntentId: string; amount: number };

/**
 * The refund a staff member asked for, checked: the order is paid, the amount (typed in major units, e.g.
 * "12.50") parses in the order's currency, is above zero and within what has not been refunded yet.
 */
export function planRefund(order: RefundableOrder, amountText: string): RefundPlan | Failure<AdminErrorCode> {
  if (!isPaid(order.status) || !order.paymentIntentId) {
    return fail("not_refundable", `Only paid orders can be refunded; this one is ${statusLabel(order.status)}`);
  }
  const refundable = order.total - order.amountRefunded;
  if (refundable <= 0) return fail("not_refundable", "This order is already refunded in full");
  const amount = parseMajorUnits(amountText, order.currency);
  if (amount === null || amount <= 0) return fail("invalid_input", "Enter a refund amount greater than zero");
  if (amount > refundable) return fail("amount_too_large", `At most ${formatMoney(refundable, order.currency)} can still be refunded`);
  return { ok: true, paymentIntentId: order.paymentIntentId, amount };
}

export function refundSentMessage(amount: number, currency: string, refund: { refundId: string; status: string | null }): string {
  return `Refund of ${formatMoney(amount, currency)} sent to Stripe (${refund.refundId}, ${refund.status ?? "pending"}). The order updates when Stripe confirms it.`;
}

/** Why an order cannot be canceled as it stands in the shop, or null: only unpaid (open) orders can. */
export function cancelRefusal(order: { status: OrderStatus }): Failure<AdminErrorCode> | null {
  if (!isOpen(order.status)) return fail("not_cancelable", `Only unpaid orders can be canceled; this one is ${statusLabel(order.status)}`);
  return null;
}

/** Stripe would not cancel the payment because it went, or is going, through: the order stays as it is. */
export function paymentBlocksCancel(intentStatus: string): Failure<AdminErrorCode> {
  return fail(
    "not_cancelable",
    intentStatus === "succeeded"
      ? "The payment already went through, so the order cannot be canceled; refund it instead"
      : `The payment is ${intentStatus.replaceAll("_", " ")}, so the order cannot be canceled now`,
  );
}

export const CANCELED_MESSAGE = "Order canceled; its payment was canceled and reserved stock released.";
