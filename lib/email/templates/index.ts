// The shop's email templates: pure functions from what happened to a subject, an HTML part and a plain-text
// part. No database, network or React (Next.js refuses react-dom/server in server code); the outbox
// (lib/email/outbox.ts) renders with them when it queues a message.
import { SITE_NAME } from "@/lib/site";
import { renderMessage, type Message } from "./layout";
import { orderLink, orderShipped } from "./order-messages";
import { orderCanceled, orderConfirmed, orderRefunded, paymentFailed, paymentProcessing } from "./payment-messages";
import { staffDeliveryFailed, staffDisputeOpened, staffLowStock, staffNewOrder } from "./staff-messages";
import type { EmailContent, EmailInput, Shop } from "./types";

export type { EmailContent, EmailInput, OrderForEmail } from "./types";

function message(input: EmailInput, shop: Shop): Message {
  switch (input.kind) {
    case "order_confirmed":
      return orderConfirmed(input, shop);
    case "payment_processing":
      return paymentProcessing(input, shop);
    case "payment_failed":
      return paymentFailed(input, shop);
    case "order_shipped":
      return orderShipped(input, shop);
    case "order_refunded":
      return orderRefunded(input, shop);
    case "order_canceled":
      return orderCanceled(input, shop);
    case "order_link":
      return orderLink(input, shop);
    case "staff_new_order":
      return staffNewOrder(input, shop);
    case "staff_dispute_opened":
      return staffDisputeOpened(input, shop);
    case "staff_low_stock":
      return staffLowStock(input, shop);
    case "staff_delivery_failed":
      return staffDeliveryFailed(input, shop);
  }
}

/** Subject, HTML and text of one email; the shop's name defaults to SITE_NAME. */
export function renderEmail(input: EmailInput, shop: Shop = { name: SITE_NAME }): EmailContent {
  return renderMessage(shop, message(input, shop));
}
