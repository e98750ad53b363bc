// What every email to a shopper about their order has in common.
import { orderSummary, shippingAddress, type Block, type Message } from "./layout";
import type { OrderForEmail, Shop } from "./types";

type ShopperParts = {
  /** Without the shop's name; it is added here. */
  subject: string;
  preview: string;
  /** What happened, before the order's details. */
  blocks: Block[];
  /** After the order's details. */
  closing?: Block[];
};

/** Subject, greeting, the news, the order's items, totals and address, and why the shopper gets this. */
export function shopperMessage(shop: Shop, order: OrderForEmail, parts: ShopperParts): Message {
  return {
    subject: `${parts.subject} — ${shop.name}`,
    preview: parts.preview,
    greeting: `Hi ${order.shipping.name},`,
    blocks: [...parts.blocks, orderSummary(order), shippingAddress(order), ...(parts.closing ?? [])],
    footer: `You're receiving this email about order ${order.number}, placed at ${shop.name} with ${order.email}.`,
  };
}

export const viewOrder = (order: OrderForEmail, secondary = false): Block => ({
  type: "action",
  label: "View your order",
  url: order.statusUrl,
  secondary,
});

/** The status link carries a secret: say so wherever it is sent. */
export const privateLinkNote: Block = {
  type: "paragraph",
  text: "The link to your order is private: anyone who has it can see your order and address, so please don't forward this email.",
};

export const refundTiming: Block = {
  type: "paragraph",
  text: "Refunds go back to the original payment method and usually appear on your statement within 5–10 business days.",
};
