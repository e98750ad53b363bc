// Shopper emails about paying for an order: confirmed, bank debit under way, failed, refunded, canceled.
import { money } from "./format";
import type { Message } from "./layout";
import { privateLinkNote, refundTiming, shopperMessage, viewOrder } from "./shopper";
import type { EmailInput, Shop } from "./types";

type Input<K extends EmailInput["kind"]> = Extract<EmailInput, { kind: K }>;

export function orderConfirmed({ order }: Input<"order_confirmed">, shop: Shop): Message {
  return shopperMessage(shop, order, {
    subject: `Order ${order.number} confirmed`,
    preview: `Thank you for your order. We'll email you when it ships.`,
    blocks: [
      { type: "paragraph", text: `Thank you for your order! We've received your payment and are getting order ${order.number} ready.` },
      { type: "paragraph", text: "We'll email you again when it ships." },
      viewOrder(order),
    ],
    closing: [privateLinkNote],
  });
}

export function paymentProcessing({ order }: Input<"payment_processing">, shop: Shop): Message {
  return shopperMessage(shop, order, {
    subject: `Payment processing for order ${order.number}`,
    preview: "Your bank payment is under way; we'll email you when it completes.",
    blocks: [
      {
        type: "paragraph",
        text: `Thank you for order ${order.number}. Your bank payment is under way: bank debits can take a few business days to complete.`,
      },
      { type: "paragraph", text: "We'll email you as soon as the payment has gone through, and ship your order then." },
      viewOrder(order),
    ],
    closing: [privateLinkNote],
  });
}

export function paymentFailed({ order, reason, retryUrl }: Input<"payment_failed">, shop: Shop): Message {
  return shopperMessage(shop, order, {
    subject: `Payment failed for order ${order.number}`,
    preview: "Your payment didn't go through. You can try again.",
    blocks: [
      { type: "paragraph", text: `The payment for order ${order.number} didn't go through, so the order isn't paid yet.` },
      { type: "facts", rows: [{ label: "Reason", value: reason }] },
      { type: "paragraph", text: "You can try again with the same or another payment method." },
      { type: "action", label: "Try again", url: retryUrl },
      viewOrder(order, true),
    ],
    closing: [privateLinkNote],
  });
}

export function orderRefunded({ order, amount, full }: Input<"order_refunded">, shop: Shop): Message {
  const refund = money(amount, order.currency);
  const news = full
    ? `Order ${order.number} has been refunded in full: we've refunded ${refund}.`
    : `We've made a partial refund of ${refund} on order ${order.number}. In all, ${money(order.amountRefunded, order.currency)} of ${money(order.totals.total, order.currency)} has been refunded.`;
  return shopperMessage(shop, order, {
    subject: `Refund of ${refund} for order ${order.number}`,
    preview: news,
    blocks: [{ type: "paragraph", text: news }, refundTiming, viewOrder(order)],
  });
}

export function orderCanceled({ order }: Input<"order_canceled">, shop: Shop): Message {
  const refunded = order.amountRefunded > 0;
  return shopperMessage(shop, order, {
    subject: `Order ${order.number} canceled`,
    preview: `Your order ${order.number} has been canceled.`,
    blocks: [
      { type: "paragraph", text: `Your order ${order.number} has been canceled and won't be shipped.` },
      ...(refunded
        ? [{ type: "paragraph" as const, text: `We've refunded ${money(order.amountRefunded, order.currency)}.` }, refundTiming]
        : []),
      { type: "paragraph", text: `If you didn't expect this, contact us and mention order ${order.number}.` },
      viewOrder(order),
    ],
  });
}
