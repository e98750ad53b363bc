// Notifications for the shop's staff: a new paid order, a dispute, low stock, an email that could not be sent.
// Their subjects start with the shop's name in brackets so a mail filter can sort them.
import { formatDate, humanize, money } from "./format";
import { orderSummary, shippingAddress, type Block, type Message } from "./layout";
import type { EmailInput, Shop } from "./types";

type Input<K extends EmailInput["kind"]> = Extract<EmailInput, { kind: K }>;

function staffMessage(shop: Shop, subject: string, preview: string, blocks: Block[]): Message {
  return {
    subject: `[${shop.name}] ${subject}`,
    preview,
    greeting: null,
    blocks,
    footer: `A notification for the staff of ${shop.name}.`,
  };
}

const openAdmin = (url: string): Block => ({ type: "action", label: "Open in admin", url });

export function staffNewOrder({ order, adminUrl }: Input<"staff_new_order">, shop: Shop): Message {
  const total = money(order.totals.total, order.currency);
  return staffMessage(shop, `New order ${order.number} (${total})`, `${order.email} paid ${total}.`, [
    { type: "paragraph", text: `Order ${order.number} has been paid and is ready to fulfil.` },
    {
      type: "facts",
      rows: [
        { label: "Customer", value: order.email },
        { label: "Total", value: total },
      ],
    },
    openAdmin(adminUrl),
    orderSummary(order, "Items"),
    shippingAddress(order),
  ]);
}

export function staffDisputeOpened({ orderNumber, dispute, adminUrl }: Input<"staff_dispute_opened">, shop: Shop): Message {
  const on = orderNumber ? `order ${orderNumber}` : "a payment";
  const due = dispute.evidenceDueBy ? formatDate(dispute.evidenceDueBy) : null;
  const amount = money(dispute.amount, dispute.currency);
  return staffMessage(shop, `Dispute opened on ${on}${due ? ` — evidence due ${due}` : ""}`, `A customer disputed ${amount}.`, [
    { type: "paragraph", text: `A customer has disputed ${amount} on ${on} with their bank.` },
    {
      type: "paragraph",
      text: due
        ? `Submit evidence by ${due} (UTC); a dispute left without a response is usually lost.`
        : "No deadline for evidence was given; respond from the admin as soon as you can.",
    },
    {
      type: "facts",
      rows: [
        { label: "Order", value: orderNumber ?? "not linked to an order" },
        { label: "Amount", value: amount },
        { label: "Reason", value: humanize(dispute.reason) },
        { label: "Evidence due", value: due ?? "not given" },
        { label: "Dispute", value: dispute.id },
      ],
    },
    openAdmin(adminUrl),
  ]);
}

export function staffLowStock({ variants, adminUrl }: Input<"staff_low_stock">, shop: Shop): Message {
  const count = `${variants.length} ${variants.length === 1 ? "variant" : "variants"}`;
  return staffMessage(shop, `Low stock: ${count}`, `${count} at or below the low-stock threshold.`, [
    { type: "paragraph", text: `${count} ${variants.length === 1 ? "is" : "are"} at or below the low-stock threshold.` },
    {
      type: "table",
      title: "Low stock",
      columns: [{ label: "Variant" }, { label: "SKU" }, { label: "In stock", numeric: true }, { label: "Threshold", numeric: true }],
      rows: variants.map((variant) => [variant.name, variant.sku, String(variant.stock), String(variant.threshold)]),
    },
    openAdmin(adminUrl),
  ]);
}

export function staffDeliveryFailed({ failed, adminUrl }: Input<"staff_delivery_failed">, shop: Shop): Message {
  const order = failed.orderNumber && !failed.subject.includes(failed.orderNumber) ? ` (order ${failed.orderNumber})` : "";
  return staffMessage(shop, `Email delivery failed: ${failed.subject}${order}`, `An email to ${failed.to} could not be delivered.`, [
    { type: "paragraph", text: `An email to ${failed.to} could not be delivered after repeated attempts.` },
    {
      type: "facts",
      rows: [
        { label: "To", value: failed.to },
        { label: "Subject", value: failed.subject },
        { label: "Order", value: failed.orderNumber ?? "none" },
        { label: "Last error", value: failed.lastError },
      ],
    },
    { type: "paragraph", text: "Check the mail server's settings, then send it again from the admin." },
    openAdmin(adminUrl),
  ]);
}
