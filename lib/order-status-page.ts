import "server-only";
import { prisma } from "@/lib/db";
import { hashOrderToken } from "@/lib/order-links";
import type { OrderStatus } from "@/lib/order-status";
import { storedTotals, type OrderTotals } from "@/lib/pricing/receipt";
import { shippingAddressOf } from "@/lib/shipping-address";
import { isOrderTokenShape, maskedAddress, maskEmail, type Fulfilment } from "@/lib/order-view-rules";

// What the shopper's order status page shows for a link's token (app/orders/status/[token]). Only the
// token's hash is stored (lib/order-links.ts): the token is hashed and looked up, and an unknown, malformed
// or expired token gives the same null, so the page never says whether an order exists. Everything returned
// is safe to show to whoever holds the link: the address comes masked (lib/order-view-rules.ts).

export type OrderView = {
  number: string;
  status: OrderStatus;
  fulfilment: Fulfilment;
  placedAt: Date;
  currency: string;
  items: Array<{ id: string; name: string; options: string; quantity: number; unitPrice: number }>;
  /** Subtotal, discount, shipping, taxes and total as the order stored them (rendered by totalsRows). */
  totals: OrderTotals;
  amountRefunded: number;
  /** One entry per line, e.g. ["G… T…", "500 Ho…", "San Francisco, CA, 94•••", "United States"]. */
  address: string[];
  /** Where the order's emails go, masked. */
  email: string;
  shipments: Array<{
    id: string;
    carrier: string;
    trackingNumber: string;
    trackingUrl: string | null;
    shippedAt: Date;
    deliveredAt: Date | null;
    items: Array<{ name: string; options: string; quantity: number }>;
  }>;
};

/** The order a link opens at `now`, or null when the link is not valid (unknown, malformed or expired). */
export async function orderForToken(token: string, now: Date): Promise<OrderView | null> {
  if (!isOrderTokenShape(token)) return null;
  const access = await prisma.orderAccessToken.findUnique({
    where: { tokenHash: hashOrderToken(token) },
    select: {
      expiresAt: true,
      order: {
        include: {
          items: { select: { id: true, name: true, options: true, quantity: true, unitPrice: true }, orderBy: { id: "asc" } },
          shipments: {
            include: { items: { select: { orderItemId: true, quantity: true } } },
            orderBy: { shippedAt: "asc" },
          },
        },
      },
    },
  });
  if (!access || access.expiresAt <= now) return null;
  const { order } = access;
  const itemsById = new Map(order.items.map((item) => [item.id, item]));
  return {
    number: order.number,
    status: order.status,
    fulfilment: order.fulfilment,
    placedAt: order.createdAt,
    currency: order.currency,
    items: order.items,
    totals: storedTotals(order),
    amountRefunded: order.amountRefunded,
    address: maskedAddress(shippingAddressOf(order)),
    email: maskEmail(order.email),
    shipments: order.shipments.map((shipment) => ({
      id: shipment.id,
      carrier: shipment.carrier,
      trackingNumber: shipment.trackingNumber,
      trackingUrl: shipment.trackingUrl,
      shippedAt: shipment.shippedAt,
      deliveredAt: shipment.deliveredAt,
      items: shipment.items.flatMap((line) => {
        const item = itemsById.get(line.orderItemId);
        return item ? [{ name: item.name, options: item.options, quantity: line.quantity }] : [];
      }),
    })),
  };
}
