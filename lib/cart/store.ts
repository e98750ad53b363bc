import "server-only";
import { cache } from "react";
import { lockCart, prisma, type Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { fail } from "@/lib/result";
import {
  addProblem,
  buildCartView,
  emptyCart,
  heldUnits,
  newCartId,
  NOT_IN_CART,
  parseAddItem,
  parseCartId,
  parseRemoveItem,
  parseSetQuantity,
  productProblem,
  quantityProblem,
  withHeld,
  UNAVAILABLE,
  type CartProblem,
  type CartResult,
  type CartView,
} from "@/lib/cart/rules";

// The cart in the database: reads and the three changes, each applying lib/cart/rules.ts to the current rows
// inside one transaction that holds the cart's row lock. Prices and totals always come from those rows, never
// from the browser. Callers pass the cart id from the cookie (possibly missing or forged) and get back the id
// the browser should hold from now on.

/** A result plus the cart id the browser should hold afterwards (null: keep whatever it has). */
export type CartOutcome = { result: CartResult; cartId: string | null };

function refused(problem: CartProblem): CartOutcome {
  return { result: fail(problem.code, problem.message), cartId: null };
}

const lineInclude = {
  product: { select: { id: true, slug: true, name: true, image: true, price: true, currency: true, stock: true, active: true } },
} as const;

/** The pending orders of a cart whose stock is reserved: what heldUnits counts back as the cart's own. */
const heldOrders = {
  where: { status: "pending", stockReserved: true },
  select: { items: { select: { productId: true, quantity: true } } },
} as const;

async function heldByCart(tx: Tx, cartId: string): Promise<Map<string, number>> {
  return heldUnits(await tx.order.findMany({ where: { cartId, ...heldOrders.where }, select: heldOrders.select }));
}

// A cart's lines and its checkout's reservation, read in one query.
const viewSelect = {
  items: { include: lineInclude, orderBy: { createdAt: "asc" } },
  orders: heldOrders,
} as const;

function viewOf(cart: Prisma.CartGetPayload<{ select: typeof viewSelect }>): CartView {
  const held = heldUnits(cart.orders);
  return buildCartView(cart.items.map((item) => ({ ...item, product: withHeld(item.product, held) })));
}

async function loadView(tx: Tx, cartId: string): Promise<CartView> {
  const cart = await tx.cart.findUnique({ where: { id: cartId }, select: viewSelect });
  return cart ? viewOf(cart) : emptyCart();
}

/**
 * Locks the cart row and says whether it is open. Every change to one cart runs after this lock, so two
 * concurrent adds cannot both read the old quantity, and an add cannot slip in while checkout closes the cart.
 */
async function lockOpenCart(tx: Tx, cartId: string): Promise<boolean> {
  return (await lockCart(tx, cartId)) === "open";
}

/**
 * The open cart behind the cookie, or an empty cart for a missing, forged, unknown or checked-out id. Read
 * once per server render (React's cache): the cart and checkout pages and the header's badge ask for the
 * same cart. Outside a render (actions, tests) every call reads.
 */
export const getCart = cache(async (rawCartId: unknown): Promise<CartView> => {
  const cartId = parseCartId(rawCartId);
  if (!cartId) return emptyCart();
  const cart = await prisma.cart.findFirst({ where: { id: cartId, status: "open" }, select: viewSelect });
  return cart ? viewOf(cart) : emptyCart();
});

/**
 * Adds to the quantity already in the cart (the total must stay within stock and 99). Without a usable open
 * cart a new one is created, with a fresh id: a cookie value we did not issue is never adopted as an id.
 */
export async function addItem(rawCartId: unknown, input: unknown): Promise<CartOutcome> {
  const parsed = parseAddItem(input);
  if (!parsed.ok) return refused(parsed.problem);
  const { productId, quantity } = parsed.data;
  const existingId = parseCartId(rawCartId);

  return prisma.$transaction(async (tx) => {
    let cartId = existingId && (await lockOpenCart(tx, existingId)) ? existingId : null;
    const row = await tx.product.findUnique({ where: { id: productId } });
    const product = row && cartId ? withHeld(row, await heldByCart(tx, cartId)) : row;
    if (!product) return refused(UNAVAILABLE);
    const unavailable = productProblem(product);
    if (unavailable) return refused(unavailable);

    const inCart = cartId ? ((await tx.cartItem.findUnique({ where: { cartId_productId: { cartId, productId } } }))?.quantity ?? 0) : 0;
    const problem = addProblem(inCart, quantity, product);
    if (problem) return refused(problem);

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
  const parsed = parseSetQuantity(input);
  if (!parsed.ok) return refused(parsed.problem);
  const { productId, quantity } = parsed.data;
  const cartId = parseCartId(rawCartId);
  if (!cartId) return refused(NOT_IN_CART);

  return prisma.$transaction(async (tx) => {
    if (!(await lockOpenCart(tx, cartId))) return refused(NOT_IN_CART);
    const item = await tx.cartItem.findUnique({
      where: { cartId_productId: { cartId, productId } },
      include: lineInclude,
    });
    if (!item) return refused(NOT_IN_CART);
    const product = withHeld(item.product, await heldByCart(tx, cartId));
    const problem = productProblem(product) ?? quantityProblem(quantity, product);
    if (problem) return refused(problem);
    await tx.cartItem.update({ where: { id: item.id }, data: { quantity } });
    return { result: { ok: true, cart: await loadView(tx, cartId) }, cartId };
  });
}

/** Removes a line; removing something that is not there succeeds with the cart as it is. */
export async function removeItem(rawCartId: unknown, input: unknown): Promise<CartOutcome> {
  const parsed = parseRemoveItem(input);
  if (!parsed.ok) return refused(parsed.problem);
  const cartId = parseCartId(rawCartId);
  if (!cartId) return { result: { ok: true, cart: emptyCart() }, cartId: null };

  return prisma.$transaction(async (tx) => {
    if (!(await lockOpenCart(tx, cartId))) return { result: { ok: true, cart: emptyCart() }, cartId: null };
    await tx.cartItem.deleteMany({ where: { cartId, productId: parsed.data.productId } });
    return { result: { ok: true, cart: await loadView(tx, cartId) }, cartId };
  });
}
