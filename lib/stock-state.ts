// What a catalog page says of a stock level. Pure, so client components (the variant picker) use it too;
// lib/catalog.ts keeps the cached reads.

/** At or below this many units the product page says "Only N left". The triggers' SQL uses the same 5. */
export const LOW_STOCK_THRESHOLD = 5;

/** Units as shown (lib/catalog.ts shownStock) and whether it is on sale. */
export type StockLevel = { stock: number; active: boolean };

export type StockState =
  | { kind: "unavailable"; label: string }
  | { kind: "sold_out"; label: string }
  | { kind: "low"; label: string; remaining: number }
  | { kind: "in_stock"; label: string };

export function stockState(product: StockLevel): StockState {
  if (!product.active) return { kind: "unavailable", label: "No longer available" };
  if (product.stock <= 0) return { kind: "sold_out", label: "Sold out" };
  if (product.stock <= LOW_STOCK_THRESHOLD) {
    return { kind: "low", label: `Only ${product.stock} left`, remaining: product.stock };
  }
  return { kind: "in_stock", label: "In stock" };
}

export function isPurchasable(product: StockLevel): boolean {
  const { kind } = stockState(product);
  return kind === "in_stock" || kind === "low";
}
