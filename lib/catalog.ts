import "server-only";
import { cacheLife, cacheTag, revalidateTag } from "next/cache";
import { prisma } from "@/lib/db";

// Catalog reads are cached ('use cache', Cache Components) under one tag, so catalog pages cost no database
// query per request. Anything that changes products (checkout decrementing stock, admin edits) calls
// revalidateCatalog() afterwards.

export const CATALOG_TAG = "catalog";
/** At or below this many units the product page says "Only N left". */
export const LOW_STOCK_THRESHOLD = 5;

export type CategorySummary = { slug: string; name: string; description: string };

export type ProductSummary = {
  id: string;
  slug: string;
  name: string;
  description: string;
  price: number;
  currency: string;
  image: string;
  stock: number;
  active: boolean;
  featured: boolean;
  category: CategorySummary;
  updatedAt: string;
};

const productSelect = {
  id: true,
  slug: true,
  name: true,
  description: true,
  price: true,
  currency: true,
  image: true,
  stock: true,
  active: true,
  featured: true,
  updatedAt: true,
  category: { select: { slug: true, name: true, description: true } },
} as const;

type ProductRow = Omit<ProductSummary, "updatedAt"> & { updatedAt: Date };

function toSummary(row: ProductRow): ProductSummary {
  // Plain data only: cached values are serialized, and client components receive these objects.
  return { ...row, updatedAt: row.updatedAt.toISOString() };
}

function tagCatalog() {
  cacheTag(CATALOG_TAG);
  // No time-based expiry: the catalog changes only through code that calls revalidateCatalog().
  cacheLife("max");
}

export async function getCategories(): Promise<CategorySummary[]> {
  "use cache";
  tagCatalog();
  return prisma.category.findMany({
    orderBy: [{ position: "asc" }, { name: "asc" }],
    select: { slug: true, name: true, description: true },
  });
}

/** Every active product, ordered for listing; also the corpus that search filters. */
export async function getActiveProducts(): Promise<ProductSummary[]> {
  "use cache";
  tagCatalog();
  const rows = await prisma.product.findMany({
    where: { active: true },
    orderBy: [{ category: { position: "asc" } }, { name: "asc" }],
    select: productSelect,
  });
  return rows.map(toSummary);
}

export async function getFeaturedProducts(): Promise<ProductSummary[]> {
  return (await getActiveProducts()).filter((product) => product.featured);
}

export async function getCategory(slug: string): Promise<{ category: CategorySummary; products: ProductSummary[] } | null> {
  const [categories, products] = await Promise.all([getCategories(), getActiveProducts()]);
  const category = categories.find((candidate) => candidate.slug === slug);
  if (!category) return null;
  return { category, products: products.filter((product) => product.category.slug === slug) };
}

/** A product by slug, inactive ones included: their page stays reachable but cannot be bought. */
export async function getProduct(slug: string): Promise<ProductSummary | null> {
  "use cache";
  tagCatalog();
  const row = await prisma.product.findUnique({ where: { slug }, select: productSelect });
  return row ? toSummary(row) : null;
}

export async function searchCatalog(query: string): Promise<ProductSummary[]> {
  return searchProducts(await getActiveProducts(), query);
}

/**
 * Expires every cached catalog read at once, so the next request reads stock and prices from the database
 * (blocking, never stale). Call from a Server Action or Route Handler after changing products or stock.
 */
export function revalidateCatalog(): void {
  // { expire: 0 } rather than 'max': stale stock would let a shopper see "in stock" for a sold-out product.
  revalidateTag(CATALOG_TAG, { expire: 0 });
}

export type StockState =
  | { kind: "unavailable"; label: string }
  | { kind: "sold_out"; label: string }
  | { kind: "low"; label: string; remaining: number }
  | { kind: "in_stock"; label: string };

export function stockState(product: Pick<ProductSummary, "stock" | "active">): StockState {
  if (!product.active) return { kind: "unavailable", label: "No longer available" };
  if (product.stock <= 0) return { kind: "sold_out", label: "Sold out" };
  if (product.stock <= LOW_STOCK_THRESHOLD) {
    return { kind: "low", label: `Only ${product.stock} left`, remaining: product.stock };
  }
  return { kind: "in_stock", label: "In stock" };
}

export function isPurchasable(product: Pick<ProductSummary, "stock" | "active">): boolean {
  const { kind } = stockState(product);
  return kind === "in_stock" || kind === "low";
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
