// Shopper emails about an order after payment: a parcel shipped, a fresh link to the order's status page.
import type { Block, Message } from "./layout";
import { privateLinkNote, shopperMessage, viewOrder } from "./shopper";
import type { EmailInput, Shop } from "./types";

type Input<K extends EmailInput["kind"]> = Extract<EmailInput, { kind: K }>;

export function orderShipped({ order, shipment }: Input<"order_shipped">, shop: Shop): Message {
  // The tracking link is the main action when there is one; the tracking number is always there as text.
  const track: Block[] = shipment.trackingUrl
    ? [{ type: "action", label: "Track your parcel", url: shipment.trackingUrl }, viewOrder(order, true)]
    : [viewOrder(order)];
  return shopperMessage(shop, order, {
    subject: `Order ${order.number} has shipped`,
    preview: `Your order is on its way with ${shipment.carrier}.`,
    blocks: [
      { type: "paragraph", text: `Good news: order ${order.number} is on its way.` },
      {
        type: "facts",
        rows: [
          { label: "Carrier", value: shipment.carrier },
          { label: "Tracking number", value: shipment.trackingNumber },
        ],
      },
      ...track,
      {
        type: "items",
        title: "In this parcel",
        currency: null,
        lines: shipment.items.map((item) => ({ ...item, amount: null })),
        totals: [],
      },
    ],
    closing: [privateLinkNote],
  });
}

export function orderLink({ order }: Input<"order_link">, shop: Shop): Message {
  return shopperMessage(shop, order, {
    subject: `Your link to order ${order.number}`,
    preview: `The link to order ${order.number} you asked for.`,
    blocks: [
      { type: "paragraph", text: `Here is the link to order ${order.number} you asked for. It shows the order's status and details.` },
      viewOrder(order),
      privateLinkNote,
      { type: "paragraph", text: "If you didn't ask for it, you can ignore this email: nothing has changed on your order." },
    ],
  });
}
