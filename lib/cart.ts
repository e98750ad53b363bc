import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { multiply, sum } from "@/lib/money";

// The cart: rules as pure functions, and the database operations that apply them. Prices and totals always
// come from the current database rows, never from the browser. Callers pass the cart id from the cookie
// (possibly missing or forged) and get back the id the browser should hold from now on.

export const MAX_LINE_QUANTITY = 99;
export const SHOP_CURRENCY = "usd";

export type CartLine = {
  productId: string;
  slug: string;
  name: string;
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

export type CartResult = { ok: true; cart: CartView } | { ok: false; error: string };
/** A result plus the cart id the browser should hold afterwards (null: keep whatever it has). */
export type CartOutcome = { result: CartResult; cartId: string | null };

export function emptyCart(): CartView {
  return { lines: [], itemCount: 0, subtotal: 0, currency: SHOP_CURRENCY };
}

// ---------------------------------------------------------------------------------------------- rules

const CART_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** 256 random bits, base64url: unguessable, so the id alone is the shopper's claim on the cart. */
export function newCartId(): string {
  return randomBytes(32).toString("base64url");
}

/** The cookie's value if it has the shape of an id we issue; anything else is treated as no cart. */
export function parseCartId(raw: unknown): string | null {
  return typeof raw === "string" && CART_ID_PATTERN.test(raw) ? raw : null;
}

const quantityNumber = z
  .number({ error: "Enter a quantity as a whole number" })
  .int("Quantity must be a whole number")
  .min(1, "Quantity must be at least 1")
  .max(MAX_LINE_QUANTITY, `You can order at most ${MAX_LINE_QUANTITY} of an item`);

/** Accepts a number or the text of a form field; "2.5", "", "abc" and "1e3" are refused. */
export const quantitySchema = z
  .union([z.number(), z.string().trim().regex(/^-?\d+(\.\d+)?$/).transform(Number)], {
    error: "Enter a quantity as a whole number",
  })
  .pipe(quantityNumber);

const productIdSchema = z.string({ error: "Unknown product" }).min(1, "Unknown product").max(64, "Unknown product");

export const addItemInput = z.object({ productId: productIdSchema, quantity: quantitySchema.default(1) });
export const setQuantityInput = z.object({ productId: productIdSchema, quantity: quantitySchema });
export const removeItemInput = z.object({ productId: productIdSchema });

/** First error message of a failed parse, for showing next to the field. */
export function firstIssue(error: z.ZodError): string {
  return error.issues[0]?.message ?? "Invalid input";
}

type PurchasableProduct = { name: string; active: boolean; stock: number; currency: string };

/** Why this product is not for sale at all, whatever the stock, or null. */
export function saleProblem(product: Omit<PurchasableProduct, "stock"> | null): string | null {
  if (!product || !product.active) return "This product is not available";
  if (product.currency !== SHOP_CURRENCY) return `This shop sells in ${SHOP_CURRENCY.toUpperCase()} only`;
  return null;
}

/** Why this product cannot be put in a cart at all, or null. */
export function productProblem(product: PurchasableProduct | null): string | null {
  return saleProblem(product) ?? (product && product.stock <= 0 ? `${product.name} is sold out` : null);
}

/** Checks a line's resulting quantity against the line limit and the stock; returns the error or null. */
export function quantityProblem(quantity: number, product: PurchasableProduct): string | null {
  if (!Number.isInteger(quantity)) return "Quantity must be a whole number";
  if (quantity < 1) return "Quantity must be at least 1";
  if (quantity > MAX_LINE_QUANTITY) return `You can order at most ${MAX_LINE_QUANTITY} of an item`;
  if (product.stock <= 0) return `${product.name} is sold out`;
  if (quantity > product.stock) return `Only ${product.stock} of ${product.name} left in stock`;
  return null;
}

export function maxQuantityFor(product: Pick<PurchasableProduct, "active" | "stock">): number {
  return product.active ? Math.max(0, Math.min(product.stock, MAX_LINE_QUANTITY)) : 0;
}

type ItemWithProduct = {
  quantity: number;
  product: PurchasableProduct & { id: string; slug: string; image: string; price: number };
};

/** Lines and totals from current product rows; lines that cannot be bought are shown but not counted. */
export function buildCartView(items: ItemWithProduct[]): CartView {
  const lines: CartLine[] = items.map(({ quantity, product }) => {
    const unavailable = productProblem(product);
    return {
      productId: product.id,
      slug: product.slug,
      name: product.name,
      image: product.image,
      currency: product.currency,
      unitPrice: product.price,
      quantity,
      lineTotal: multiply(product.price, quantity),
      maxQuantity: unavailable ? 0 : maxQuantityFor(product),
      problem: unavailable ?? (quantity > product.stock ? `Only ${product.stock} left in stock: lower the quantity` : null),
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

// ------------------------------------------------------------------------------------------ database

type Tx = Prisma.TransactionClient;

const lineInclude = {
  product: { select: { id: true, slug: true, name: true, image: true, price: true, currency: true, stock: true, active: true } },
} as const;

function failure(error: string): CartOutcome {
  return { result: { ok: false, error }, cartId: null };
}

/**
 * Locks the cart row if it exists and is open. Every mutation of one cart runs after this lock, so two
 * concurrent adds cannot both read the old quantity, and an add cannot slip in while checkout closes the cart.
 */
async function lockOpenCart(tx: Tx, cartId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "Cart" WHERE id = ${cartId} AND status = 'open' FOR UPDATE`;
  return rows.length === 1;
}

/**
 * Units this cart's own checkout holds in reserve (lib/checkout.ts takes them off the shelf). They are
 * this shopper's: the cart's limits count them as available, or a shopper who reserved the last units
 * would be told their own items sold out.
 */
const heldOrders = {
  where: { status: "pending", stockReserved: true },
  select: { items: { select: { productId: true, quantity: true } } },
} as const;

function heldFrom(orders: Array<{ items: Array<{ productId: string; quantity: number }> }>): Map<string, number> {
  const held = new Map<string, number>();
  for (const { productId, quantity } of orders.flatMap((order) => order.items)) held.set(productId, (held.get(productId) ?? 0) + quantity);
  return held;
}

async function heldByCart(db: Tx | typeof prisma, cartId: string): Promise<Map<string, number>> {
  return heldFrom(await db.order.findMany({ where: { cartId, ...heldOrders.where }, select: heldOrders.select }));
}

function withHeld<T extends { id: string; stock: number }>(product: T, held: Map<string, number>): T {
  return { ...product, stock: product.stock + (held.get(product.id) ?? 0) };
}

// A cart's lines and its checkout's reservation, read in one query.
const viewSelect = {
  items: { include: lineInclude, orderBy: { createdAt: "asc" } },
  orders: heldOrders,
} as const;

function viewOf(cart: Prisma.CartGetPayload<{ select: typeof viewSelect }>): CartView {
  const held = heldFrom(cart.orders);
  return buildCartView(cart.items.map((item) => ({ ...item, product: withHeld(item.product, held) })));
}

async function loadView(db: Tx | typeof prisma, cartId: string): Promise<CartView> {
  const cart = await db.cart.findUnique({ where: { id: cartId }, select: viewSelect });
  return cart ? viewOf(cart) : emptyCart();
}

/** The open cart behind the cookie, or an empty cart for a missing, forged, unknown or checked-out id. */
export async function getCart(rawCartId: unknown): Promise<CartView> {
  const cartId = parseCartId(rawCartId);
  if (!cartId) return emptyCart();
  const cart = await prisma.cart.findFirst({ where: { id: cartId, status: "open" }, select: viewSelect });
  return cart ? viewOf(cart) : emptyCart();
}

/**
 * Adds to the quantity already in the cart (the total must stay within stock and 99). Without a usable open
 * cart a new one is created, with a fresh id: a cookie value we did not issue is never adopted as an id.
 */
export async function addItem(rawCartId: unknown, input: unknown): Promise<CartOutcome> {
  const parsed = addItemInput.safeParse(input);
  if (!parsed.success) return failure(firstIssue(parsed.error));
  const { productId, quantity } = parsed.data;
  const existingId = parseCartId(rawCartId);

  return prisma.$transaction(async (tx) => {
    let cartId = existingId && (await lockOpenCart(tx, existingId)) ? existingId : null;
    const row = await tx.product.findUnique({ where: { id: productId } });
    const product = row && cartId ? withHeld(row, await heldByCart(tx, cartId)) : row;
    const unavailable = productProblem(product);
    if (unavailable || !product) return failure(unavailable ?? "This product is not available");

    const inCart = cartId
      ? ((await tx.cartItem.findUnique({ where: { cartId_productId: { cartId, productId } } }))?.quantity ?? 0)
      : 0;
    const problem = quantityProblem(inCart + quantity, product);
    if (problem) return failure(inCart > 0 ? `You already have ${inCart} in your cart. ${problem}` : problem);

    if (!cartId) {
      cartId = newCartId();
      await tx.cart.create({ data: { id: cartId } });
    }
    await tx.cartItem.upsert({
      where: { cartId_productId: { cartId, productId } },
      create: { cartId, productId, quantity },
      update: { quantity: inCart + quantity },
    });
    return { result: { ok: true, cart: await loadView(tx, cartId) }, cartId };
  });
}

/** Sets a line's quantity; the line must already be in the shopper's open cart. */
export async function setItemQuantity(rawCartId: unknown, input: unknown): Promise<CartOutcome> {
  const parsed = setQuantityInput.safeParse(input);
  if (!parsed.success) return failure(firstIssue(parsed.error));
  const { productId, quantity } = parsed.data;
  const cartId = parseCartId(rawCartId);
  if (!cartId) return failure("This item is no longer in your cart");

  return prisma.$transaction(async (tx) => {
    if (!(await lockOpenCart(tx, cartId))) return failure("This item is no longer in your cart");
    const item = await tx.cartItem.findUnique({
      where: { cartId_productId: { cartId, productId } },
      include: lineInclude,
    });
    if (!item) return failure("This item is no longer in your cart");
    const product = withHeld(item.product, await heldByCart(tx, cartId));
    const problem = productProblem(product) ?? quantityProblem(quantity, product);
    if (problem) return failure(problem);
    await tx.cartItem.update({ where: { id: item.id }, data: { quantity } });
    return { result: { ok: true, cart: await loadView(tx, cartId) }, cartId };
  });
}

/** Removes a line; removing something that is not there succeeds with the cart as it is. */
export async function removeItem(rawCartId: unknown, input: unknown): Promise<CartOutcome> {
  const parsed = removeItemInput.safeParse(input);
  if (!parsed.success) return failure(firstIssue(parsed.error));
  const cartId = parseCartId(rawCartId);
  if (!cartId) return { result: { ok: true, cart: emptyCart() }, cartId: null };

  return prisma.$transaction(async (tx) => {
    if (!(await lockOpenCart(tx, cartId))) return { result: { ok: true, cart: emptyCart() }, cartId: null };
    await tx.cartItem.deleteMany({ where: { cartId, productId: parsed.data.productId } });
    return { result: { ok: true, cart: await loadView(tx, cartId) }, cartId };
  });
}
