import "server-only";
import { cacheLife, cacheTag } from "next/cache";
import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { lineLimit, MAX_LINE_QUANTITY } from "@/lib/cart/rules";
import { LOW_STOCK_THRESHOLD, stockState, type StockLevel } from "@/lib/stock-state";

// Catalog reads are cached ('use cache'), so catalog pages cost no database query per request and are
// prerendered whole. Each read is tagged with what it shows: `product:<id>` for every product in it,
// `category:<id>` for a category's list, `products` for lists of the whole catalog and for lookups that
// found nothing, `categories` for the navigation. The database expires those tags itself: triggers on
// Product, ProductVariant, ProductOption(Value), ProductImage and Category (migrations 20261130140000_cache_tags,
// 20261130160000_product_variants and 20261130180000_catalog_admin) call cache_invalidate() whenever what a page
// shows changes, in the same transaction as the change, and every app instance hears of it (cache/tag-store.mjs).
// So no code path has to remember to revalidate, and a sale of the last unit on one instance turns the product
// "Sold out" on all of them.
//
// The triggers compare stock as pages show it: each variant's exact count up to LOW_STOCK_THRESHOLD, "in
// stock" above. Cached reads therefore hold no more than that (shownStock), per variant and for the
// product's sum over its active variants, or a page could bake in a count that no invalidation follows.
// (While every variant's shown count stays the same, so does the shown sum: min(sum, 6) only depends on
// each min(stock, 6).)

export type CategorySummary = { id: string; slug: string; name: string; description: string };

export type ProductSummary = {
  id: string;
  slug: string;
  name: string;
  description: string;
  price: number;
  currency: string;
  /** The legacy picture (a path under /public), shown while the product has no uploaded images. */
  image: string;
  /** Uploaded images in position order (lib/images/pictures.ts picks what a page shows). */
  images: ProductImageSummary[];
  /**
   * Units as shown, over the product's active variants: exact up to LOW_STOCK_THRESHOLD,
   * LOW_STOCK_THRESHOLD + 1 for anything more.
   */
  stock: number;
  active: boolean;
  featured: boolean;
  category: CategorySummary;
  /** What is sold, in position order: one default variant for a product without options. */
  variants: VariantSummary[];
  /** The product's options in position order, each with its values in position order; none without options. */
  options: Array<{ id: string; name: string; values: Array<{ id: string; value: string }> }>;
};

/** An uploaded image: its content's sha256 (its URL, through lib/images/loader.ts), alt text and stored size. */
export type ProductImageSummary = { sha256: string; alt: string; width: number; height: number };

export type VariantSummary = {
  id: string;
  sku: string;
  /** What it costs: its own price, else the product's. */
  price: number;
  /** Units as shown (shownStock). */
  stock: number;
  active: boolean;
  /** The ids of its option values. */
  values: string[];
};

const categorySelect = { id: true, slug: true, name: true, description: true } as const;

const productSelect = {
  id: true,
  slug: true,
  name: true,
  description: true,
  price: true,
  currency: true,
  image: true,
  images: {
    select: { alt: true, blob: { select: { sha256: true, width: true, height: true } } },
    orderBy: [{ position: "asc" }, { id: "asc" }],
  },
  active: true,
  featured: true,
  category: { select: categorySelect },
  variants: {
    select: { id: true, sku: true, price: true, stock: true, active: true, values: { select: { valueId: true } } },
    orderBy: [{ position: "asc" }, { sku: "asc" }],
  },
  options: {
    select: { id: true, name: true, values: { select: { id: true, value: true }, orderBy: [{ position: "asc" }, { value: "asc" }] } },
    orderBy: [{ position: "asc" }, { name: "asc" }],
  },
} as const satisfies Prisma.ProductSelect;

type ProductRow = Prisma.ProductGetPayload<{ select: typeof productSelect }>;

/** What a page may show of a stock level (see the triggers above). */
export function shownStock(stock: number): number {
  return Math.min(stock, LOW_STOCK_THRESHOLD + 1);
}

function toSummary({ variants, images, ...row }: ProductRow): ProductSummary {
  // Plain data only: cached values are serialized, and client components receive these objects.
  const onSale = variants.filter((variant) => variant.active);
  return {
    ...row,
    images: images.map((image) => ({ alt: image.alt, ...image.blob })),
    stock: shownStock(onSale.reduce((units, variant) => units + variant.stock, 0)),
    variants: variants.map((variant) => ({
      id: variant.id,
      sku: variant.sku,
      price: variant.price ?? row.price,
      stock: shownStock(variant.stock),
      active: variant.active,
      values: variant.values.map((value) => value.valueId),
    })),
  };
}

/** A variant's options as text, "Size: M, Colour: Navy", in the product's option order; "" without options. */
export function variantOptions(product: Pick<ProductSummary, "options">, variant: Pick<VariantSummary, "values">): string {
  return product.options
    .flatMap((option) => {
      const value = option.values.find((candidate) => variant.values.includes(candidate.id));
      return value ? [`${option.name}: ${value.value}`] : [];
    })
    .join(", ");
}

// Next keeps at most 128 tags per cacheTag() call.
const TAGS_PER_CALL = 128;

/**
 * How long catalog reads, and so catalog pages, live. The shop's own caches never need time: the triggers
 * expire what changed at once. The times are for caches the triggers cannot reach: a page's Cache-Control
 * says `s-maxage=5`, so a CDN in front asks again after five seconds (and may serve its copy once more
 * while it does), and the browser's router reuses a page for `stale` seconds (30 is Next's minimum).
 * Each instance re-renders a page at most once per `revalidate`, in the background, when it is asked for.
 */
const CATALOG_LIFE = { stale: 30, revalidate: 5, expire: 24 * 60 * 60 };

/** Tags the running 'use cache' read and gives it the catalog's life. */
function tagRead(tags: string[]): void {
  for (let i = 0; i < tags.length; i += TAGS_PER_CALL) cacheTag(...tags.slice(i, i + TAGS_PER_CALL));
  cacheLife(CATALOG_LIFE);
}

const productTags = (products: Array<{ id: string }>) => products.map((product) => `product:${product.id}`);

const listOrder = [{ category: { position: "asc" } }, { name: "asc" }] as const;

export async function getCategories(): Promise<CategorySummary[]> {
  "use cache";
  tagRead(["categories"]);
  // Archived categories leave the navigation, the sitemap and the prerendered category pages.
  return prisma.category.findMany({ where: { active: true }, orderBy: [{ position: "asc" }, { name: "asc" }], select: categorySelect });
}

/** Every active product, ordered for listing: the static params of product pages and the search corpus. */
export async function getActiveProducts(): Promise<ProductSummary[]> {
  "use cache";
  const rows = await prisma.product.findMany({ where: { active: true }, orderBy: [...listOrder], select: productSelect });
  tagRead(["products", ...productTags(rows)]);
  return rows.map(toSummary);
}

export async function getFeaturedProducts(): Promise<ProductSummary[]> {
  "use cache";
  const rows = await prisma.product.findMany({ where: { active: true, featured: true }, orderBy: [...listOrder], select: productSelect });
  tagRead(["products", ...productTags(rows)]);
  return rows.map(toSummary);
}

export async function getCategory(slug: string): Promise<{ category: CategorySummary; products: ProductSummary[] } | null> {
  "use cache";
  // An archived category is not found; archiving, restoring or renaming one expires `categories`.
  const category = await prisma.category.findFirst({ where: { slug, active: true }, select: categorySelect });
  if (!category) {
    tagRead(["categories"]);
    return null;
  }
  const rows = await prisma.product.findMany({
    where: { active: true, categoryId: category.id },
    orderBy: { name: "asc" },
    select: productSelect,
  });
  tagRead(["categories", `category:${category.id}`, ...productTags(rows)]);
  return { category, products: rows.map(toSummary) };
}

/**
 * The current slug of the active category that had `slug` before, or null. Every rename, archive or restore
 * changes the Category row and so expires `categories`: a cached answer never outlives one.
 */
export async function getCategoryRedirect(slug: string): Promise<string | null> {
  "use cache";
  const row = await prisma.categorySlug.findUnique({ where: { slug }, select: { category: { select: { slug: true, active: true } } } });
  tagRead(["categories"]);
  return row?.category.active ? row.category.slug : null;
}

/** A product by slug, inactive ones included: their page stays reachable but cannot be bought. */
export async function getProduct(slug: string): Promise<ProductSummary | null> {
  "use cache";
  const row = await prisma.product.findUnique({ where: { slug }, select: productSelect });
  // Not found: a product created (or renamed) to this slug later expires `products`.
  tagRead(row ? [`product:${row.id}`] : ["products"]);
  return row ? toSummary(row) : null;
}

/**
 * The current slug of the product that had `slug` before (a rename keeps old links working), or null.
 * A rename expires `products` (the Product trigger), so a cached "no such old slug" answer never outlives one.
 */
export async function getProductRedirect(slug: string): Promise<string | null> {
  "use cache";
  const row = await prisma.productSlug.findUnique({ where: { slug }, select: { product: { select: { id: true, slug: true } } } });
  tagRead(row ? [`product:${row.product.id}`, "products"] : ["products"]);
  return row?.product.slug ?? null;
}

/** Cached per normalized query, so a repeated search costs no database query. */
export async function searchCatalog(query: string): Promise<ProductSummary[]> {
  "use cache";
  const products = await getActiveProducts();
  const results = searchProducts(products, query);
  tagRead(["products", ...productTags(results)]);
  return results;
}

/**
 * The most one cart may hold, as far as a catalog page can tell: the exact stock when it is low, otherwise
 * the per-line maximum (the server refuses anything over the real stock with its own message).
 */
export function shownLineLimit(product: StockLevel): ReturnType<typeof lineLimit> {
  return lineLimit({ active: product.active, stock: stockState(product).kind === "low" ? product.stock : MAX_LINE_QUANTITY });
}

/** Normalises a raw ?q= value: trimmed, inner whitespace collapsed, at most 100 characters. */
export function normalizeQuery(raw: string | string[] | undefined): string {
  const value = Array.isArray(raw) ? (raw[0] ?? "") : (raw ?? "");
  return value.trim().replace(/\s+/g, " ").slice(0, 100);
}

/**
 * Case-insensitive match of every word of the query against name or description; products whose name holds
 * every word come first. The query is only ever compared as text, so input such as `'; DROP TABLE` is a
 * search for those characters and nothing else.
 */
export function searchProducts<T extends Pick<ProductSummary, "name" | "description">>(products: T[], query: string): T[] {
  const words = normalizeQuery(query).toLocaleLowerCase("en-US").split(" ").filter(Boolean);
  if (words.length === 0) return [];
  const byName: T[] = [];
  const byDescription: T[] = [];
  for (const product of products) {
    const name = product.name.toLocaleLowerCase("en-US");
    const text = `${name} ${product.description.toLocaleLowerCase("en-US")}`;
    if (words.every((word) => name.includes(word))) byName.push(product);
    else if (words.every((word) => text.includes(word))) byDescription.push(product);
  }
  return [...byName, ...byDescription];
}
