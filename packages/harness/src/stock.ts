// What a shopper reads about a product's stock on the shop's pages: the badge beside the price on its product
// page, and the badge on its card in a listing (home, category, search), which cards show for every state
// but "In stock". `npm test`, the bench and the chaos run compare it with the database through this module.

/** The labels of the shop's stock states (lib/catalog.ts `stockState`). */
export type StockLabel = "In stock" | "Sold out" | "No longer available" | `Only ${number} left`;

const LABEL = /^(?:In stock|Sold out|No longer available|Only \d+ left)$/;
/** At or below this many units a page says "Only N left" (lib/catalog.ts LOW_STOCK_THRESHOLD). */
const LOW_STOCK_THRESHOLD = 5;

/**
 * The label the shop shows for a stock level: a copy of lib/catalog.ts `stockState`, which the harness cannot
 * import (it is server-only); test/stock-label.test.ts holds the two to the same answers.
 */
export function expectedStockLabel(product: { stock: number; active?: boolean }): StockLabel {
  if (product.active === false) return "No longer available";
  if (product.stock <= 0) return "Sold out";
  if (product.stock <= LOW_STOCK_THRESHOLD) return `Only ${product.stock} left`;
  return "In stock";
}

/** The markup a person sees: scripts hold the same words again as React's payload. */
const visible = (html: string) => html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, "");

function firstLabel(html: string): StockLabel | null {
  for (const [, text] of html.matchAll(/>([^<>]+)</g)) {
    const trimmed = text!.trim();
    if (LABEL.test(trimmed)) return trimmed as StockLabel;
  }
  return null;
}

/** The stock label of a product page (inside its `<article>`), or null when the page shows none. */
export function productPageStock(html: string): StockLabel | null {
  const page = visible(html);
  return firstLabel(page.match(/<article\b[\s\S]*?<\/article>/)?.[0] ?? page);
}

/**
 * The stock label of `slug`'s card on a listing page: its badge, or "In stock" when the card has none; null
 * when the page lists no card linking to /products/`slug`.
 */
export function listingStock(html: string, slug: string): StockLabel | null {
  const page = visible(html);
  const link = page.indexOf(`href="/products/${slug}"`);
  if (link < 0) return null;
  const start = page.lastIndexOf("<li", link);
  const end = page.indexOf("</li>", link);
  if (start < 0 || end < 0) return null;
  return firstLabel(page.slice(start, end)) ?? "In stock";
}
