import { z } from "zod";
import { multiply, sum } from "@/lib/money";
import { SHOP_CURRENCY } from "@/lib/shop-currency";
import type { CartErrorCode, Failure } from "@/lib/result";
import { variantName } from "@/lib/variant-name";

// The cart's rules: what a cart id looks like, which quantities and products a cart accepts (and why not, as
// a code plus a sentence), and how lines and totals are computed from product rows. Pure functions of their
// arguments, newCartId's randomness apart. No database here: lib/cart/store.ts reads the rows and applies
// these rules, so lib/cart/rules.test.ts needs neither a database nor a mock of one.

export const MAX_LINE_QUANTITY = 99;

export type CartLine = {
  productId: string;
  /** What the line is: one variant of the product (its default variant for a product without options). */
  variantId: string;
  sku: string;
  slug: string;
  /** The product's name. */
  name: string;
  /** The variant's options as text, e.g. "Size: M, Colour: Navy"; "" for a product without options. */
  options: string;
  image: string;
  currency: string;
  unitPrice: number;
  quantity: number;
  lineTotal: number;
  /** Largest quantity this line may be set to now: min(stock, 99). 0 when it cannot be bought. */
  maxQuantity: number;
  /** Why the line cannot be checked out as it is, or null. */
  problem: string | null;
};

/** What the shopper may see of a cart; the id stays in the HttpOnly cookie. */
export type CartView = {
  lines: CartLine[];
  /** Units across lines that can be bought; what the header badge shows. */
  itemCount: number;
  subtotal: number;
  currency: string;
};

/** Why a cart change is refused: `code` for programs, `message` for the shopper. */
export type CartProblem = { code: CartErrorCode; message: string };

/** Every cart action's answer. */
export type CartResult = { ok: true; cart: CartView } | Failure<CartErrorCode>;

export function emptyCart(): CartView {
  return { lines: [], itemCount: 0, subtotal: 0, currency: SHOP_CURRENCY };
}

// ---------------------------------------------------------------------------------------------- ids

const CART_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * 256 random bits, base64url: unguessable, so the id alone is the shopper's claim on the cart. Web Crypto, not
 * node:crypto: client components import these rules, and node:crypto would bring a 160 KB polyfill with them.
 */
export function newCartId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** The cookie's value if it has the shape of an id we issue; anything else is treated as no cart. */
export function parseCartId(raw: unknown): string | null {
  return typeof raw === "string" && CART_ID_PATTERN.test(raw) ? raw : null;
}

// -------------------------------------------------------------------------------------------- input

const NOT_A_NUMBER = "Enter a quantity as a whole number";

/**
 * A quantity as a number or the text of a form field; "2.5", "", "abc" and "1e3" are refused. Only the shape
 * is checked here: the limits are quantityProblem's, so each refusal gets its code in one place.
 */
const quantityField = z
  .union(
    [
      z.number(),
      z
        .string()
        .trim()
        .regex(/^-?\d+(\.\d+)?$/)
        .transform(Number),
    ],
    { error: NOT_A_NUMBER },
  )
  .pipe(z.number({ error: NOT_A_NUMBER }).int("Quantity must be a whole number"));

const variantIdField = z.string({ error: "Unknown product" }).min(1, "Unknown product").max(64, "Unknown product");

const addSchema = z.object({ variantId: variantIdField, quantity: quantityField.default(1) });
const setSchema = z.object({ variantId: variantIdField, quantity: quantityField });
const removeSchema = z.object({ variantId: variantIdField });

/** What the browser may send to each cart action (before parsing). */
export type AddItemInput = z.input<typeof addSchema>;
export type SetQuantityInput = z.input<typeof setSchema>;
export type RemoveItemInput = z.input<typeof removeSchema>;

export type Parsed<T> = { ok: true; data: T } | { ok: false; problem: CartProblem };

function parseWith<T extends { variantId: string; quantity?: number }>(schema: z.ZodType<T>, input: unknown): Parsed<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success)
    return { ok: false, problem: { code: "invalid_input", message: parsed.error.issues[0]?.message ?? "Invalid input" } };
  const problem = parsed.data.quantity === undefined ? null : quantityProblem(parsed.data.quantity);
  return problem ? { ok: false, problem } : { ok: true, data: parsed.data };
}

/** An add: a variant id and a quantity within 1..99 (one unit when none is given). */
export function parseAddItem(input: unknown): Parsed<{ variantId: string; quantity: number }> {
  return parseWith(addSchema, input);
}

/** A new quantity for a line: a variant id and a quantity within 1..99. */
export function parseSetQuantity(input: unknown): Parsed<{ variantId: string; quantity: number }> {
  return parseWith(setSchema, input);
}

export function parseRemoveItem(input: unknown): Parsed<{ variantId: string }> {
  return parseWith(removeSchema, input);
}

// -------------------------------------------------------------------------------------------- rules

/**
 * What the rules judge: one variant as the shopper sees it. `name` names it in refusals (the product's name
 * with its options), `active` is false when either the product or the variant is retired, `stock` is the
 * variant's (plus what this cart's own checkout holds of it, where that counts).
 */
type PurchasableProduct = { name: string; active: boolean; stock: number; currency: string };

/** A variant row and its product's row, as lib/cart/store.ts and checkout read them. */
export type VariantRow = {
  id: string;
  sku: string;
  price: number | null;
  stock: number;
  active: boolean;
  options: string;
  weightGrams: number;
};
export type VariantProductRow = {
  id: string;
  slug: string;
  name: string;
  image: string;
  price: number;
  currency: string;
  active: boolean;
  categoryId: string | null;
  taxClass: "standard" | "reduced" | "zero";
};

/** The variant's price: its own, else the product's. */
export function variantPrice(variant: Pick<VariantRow, "price">, product: Pick<VariantProductRow, "price">): number {
  return variant.price ?? product.price;
}

/** A variant and its product as the rules judge them; a missing variant is not purchasable at all. */
export function purchasable(
  variant: Pick<VariantRow, "stock" | "active" | "options">,
  product: Pick<VariantProductRow, "name" | "currency" | "active">,
): PurchasableProduct {
  return {
    name: variantName(product.name, variant.options),
    active: product.active && variant.active,
    stock: variant.stock,
    currency: product.currency,
  };
}

export const NOT_IN_CART: CartProblem = { code: "not_in_cart", message: "This item is no longer in your cart" };
/** An unknown or retired product or variant. */
export const UNAVAILABLE: CartProblem = { code: "unavailable", message: "This product is not available" };
const OVER_LINE_LIMIT: CartProblem = { code: "quantity_limit", message: `You can order at most ${MAX_LINE_QUANTITY} of an item` };

/** Why this product is not for sale at all, whatever the stock, or null. */
export function saleProblem(product: Omit<PurchasableProduct, "stock"> | null): CartProblem | null {
  if (!product || !product.active) return UNAVAILABLE;
  if (product.currency !== SHOP_CURRENCY) {
    return { code: "unavailable", message: `This shop sells in ${SHOP_CURRENCY.toUpperCase()} only` };
  }
  return null;
}

/** Why this product cannot be put in a cart at all, or null. */
export function productProblem(product: PurchasableProduct | null): CartProblem | null {
  return saleProblem(product) ?? (product && product.stock <= 0 ? soldOut(product) : null);
}

function soldOut(product: Pick<PurchasableProduct, "name">): CartProblem {
  return { code: "sold_out", message: `${product.name} is sold out` };
}

/**
 * Why a line cannot hold this quantity, or null. Without a product only the quantity's own limits are
 * checked (a whole number from 1 to 99); with one, also the stock.
 */
export function quantityProblem(quantity: number, product?: PurchasableProduct): CartProblem | null {
  if (!Number.isInteger(quantity)) return { code: "invalid_input", message: "Quantity must be a whole number" };
  if (quantity < 1) return { code: "invalid_input", message: "Quantity must be at least 1" };
  if (quantity > MAX_LINE_QUANTITY) return OVER_LINE_LIMIT;
  if (!product) return null;
  if (product.stock <= 0) return soldOut(product);
  if (quantity > product.stock) {
    return { code: "insufficient_stock", message: `Only ${product.stock} of ${product.name} left in stock` };
  }
  return null;
}

/** Why `adding` more units cannot join the `inCart` already on the line, or null. */
export function addProblem(inCart: number, adding: number, product: PurchasableProduct): CartProblem | null {
  const problem = quantityProblem(inCart + adding, product);
  if (!problem || inCart === 0) return problem;
  return { code: problem.code, message: `You already have ${inCart} in your cart. ${problem.message}` };
}

export function maxQuantityFor(product: Pick<PurchasableProduct, "active" | "stock">): number {
  return product.active ? Math.max(0, Math.min(product.stock, MAX_LINE_QUANTITY)) : 0;
}

/** The most of a product one cart may hold, and the code for asking more: what an add button may offer. */
export function lineLimit(product: Pick<PurchasableProduct, "active" | "stock">): { max: number; code: CartErrorCode } {
  const max = maxQuantityFor(product);
  return { max, code: max < MAX_LINE_QUANTITY ? "insufficient_stock" : "quantity_limit" };
}

/**
 * A refusal told again from its code alone: after a plain form post the browser is redirected, and only the
 * code travels in the address (never a sentence, which anyone could put in a link). Null for a string that
 * is not a cart refusal code.
 */
export function refusalFromCode(code: string, productName?: string): CartProblem | null {
  if (!Object.hasOwn(REFUSALS, code)) return null;
  const known = code as CartErrorCode;
  const message = REFUSALS[known];
  return { code: known, message: productName ? `${productName}: ${message}` : message };
}

// The rules' own sentence where it names neither a product nor a stock level; a general one otherwise.
const REFUSALS: Record<CartErrorCode, string> = {
  invalid_input: `Enter a quantity as a whole number from 1 to ${MAX_LINE_QUANTITY}.`,
  unavailable: `${UNAVAILABLE.message}.`,
  sold_out: "This product is sold out.",
  insufficient_stock: "There are not that many left in stock.",
  quantity_limit: `${OVER_LINE_LIMIT.message}.`,
  not_in_cart: `${NOT_IN_CART.message}.`,
};

// ------------------------------------------------------------------------------------------- totals

/**
 * Units this cart's own checkout holds in reserve, per variant (lib/checkout takes them off the shelf).
 * They are this shopper's: the cart's limits count them as available, or a shopper who reserved the last
 * units would be told their own items sold out. Items whose variant no longer exists hold nothing.
 */
export function heldUnits(orders: Array<{ items: Array<{ variantId: string | null; quantity: number }> }>): Map<string, number> {
  const held = new Map<string, number>();
  for (const { variantId, quantity } of orders.flatMap((order) => order.items)) {
    if (variantId !== null) held.set(variantId, (held.get(variantId) ?? 0) + quantity);
  }
  return held;
}

/** The variant with the units this cart holds in reserve counted back into its stock. */
export function withHeld<T extends { id: string; stock: number }>(variant: T, held: Map<string, number>): T {
  return { ...variant, stock: variant.stock + (held.get(variant.id) ?? 0) };
}

/** A cart line's quantity with its variant's and product's current rows. */
export type ItemWithVariant = { quantity: number; variant: VariantRow; product: VariantProductRow };

/** Lines and totals from current variant and product rows; lines that cannot be bought are shown but not counted. */
export function buildCartView(items: ItemWithVariant[]): CartView {
  const lines: CartLine[] = items.map(({ quantity, variant, product }) => {
    const judged = purchasable(variant, product);
    const unavailable = productProblem(judged);
    const unitPrice = variantPrice(variant, product);
    return {
      productId: product.id,
      variantId: variant.id,
      sku: variant.sku,
      slug: product.slug,
      name: product.name,
      options: variant.options,
      image: product.image,
      currency: product.currency,
      unitPrice,
      quantity,
      lineTotal: multiply(unitPrice, quantity),
      maxQuantity: unavailable ? 0 : maxQuantityFor(judged),
      problem: unavailable?.message ?? (quantity > variant.stock ? `Only ${variant.stock} left in stock: lower the quantity` : null),
    };
  });
  const countable = lines.filter((line) => line.maxQuantity > 0);
  return {
    lines,
    itemCount: countable.reduce((count, line) => count + line.quantity, 0),
    subtotal: sum(...countable.map((line) => line.lineTotal)),
    currency: SHOP_CURRENCY,
  };
}
