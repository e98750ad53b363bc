// Shipping methods and their prices, in the shop's currency's minor unit. One table, used by the
// checkout form and by the server when it prices an order.
export const SHIPPING_METHODS = {
  standard: { label: "Standard (3–5 business days)", price: 500, freeFrom: 7500 },
  express: { label: "Express (1–2 business days)", price: 1500, freeFrom: null },
} as const satisfies Record<string, { label: string; price: number; freeFrom: number | null }>;

export type ShippingMethodId = keyof typeof SHIPPING_METHODS;
export const SHIPPING_METHOD_IDS = Object.keys(SHIPPING_METHODS) as [ShippingMethodId, ...ShippingMethodId[]];

/** Price of a method for a given subtotal: standard shipping is free from a threshold. */
export function shippingCost(method: ShippingMethodId, subtotal: number): number {
  const { price, freeFrom } = SHIPPING_METHODS[method];
  return freeFrom !== null && subtotal >= freeFrom ? 0 : price;
}
