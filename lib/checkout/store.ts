import "server-only";
import { purchasable, saleProblem, variantPrice } from "@/lib/cart/rules";
import { readCartLines, type LineRow } from "@/lib/cart/store";
import { lockCart, lockOrderRow, prisma, type Tx } from "@/lib/db";
import { Prisma, type Order } from "@/lib/generated/prisma/client";
import { adjustReservation, OutOfStockError } from "@/lib/inventory";
import { newOrderNumber } from "@/lib/order-number";
import { OPEN_STATUSES } from "@/lib/order-status";
import { sameCharge, type ChargeableOrder } from "@/lib/payments/charge";
import { findDiscountCode, loadPricingConfig } from "@/lib/pricing/config";
import { dropDiscountUse, takeDiscountUse } from "@/lib/pricing/discount-uses";
import { renewReservation, reservationCapped } from "./limits";
import {
  cartEmpty,
  chargeableOrder,
  codeRefused,
  destinationOf,
  orderColumns,
  outOfStock,
  priceOrder,
  samePrice,
  type CartLineToPrice,
  type CheckoutFailure,
  type CheckoutInput,
  type PricedOrder,
  type PricingContext,
} from "./rules";

// Checkout's persistence. Reads take no locks; writes are short transactions that lock the cart, then its
// order, then variants in id order (lib/inventory), the order every other path uses. None of them calls
// Stripe: lib/checkout/start.ts does that between them.

// Checkouts for the same variants queue on their stock rows; each holds them for a few statements only.
const WRITE_TRANSACTION = { maxWait: 15_000, timeout: 15_000 };
// Order numbers are random (32^6); a collision is retried with a fresh number this many times in all.
const ORDER_NUMBER_ATTEMPTS = 5;

/**
 * The lines as checkout prices them, from the cart's one-query read (lib/cart/store.ts): a nested Prisma read of
 * variants, their option values and products costs a round trip per level, and the re-price runs inside the
 * transaction that holds the cart's lock.
 */
function linesToPrice(lines: LineRow[]): CartLineToPrice[] {
  return lines.map(({ variantId, quantity, variant, product }) => ({
    productId: product.id,
    variantId,
    categoryId: product.categoryId,
    name: product.name,
    options: variant.options,
    unitPrice: variantPrice(variant, product),
    currency: product.currency,
    quantity,
    taxClass: product.taxClass,
    weightGrams: variant.weightGrams,
    problem: saleProblem(purchasable(variant, product))?.message ?? null,
  }));
}

/**
 * What checkout prices with: the shop's zones, rates and taxes, and the code the shopper typed (refused here when
 * no active code has that name). Read without locks: a rate staff change meanwhile reaches the order through the
 * re-check before paying, and the webhook accepts only the order's stored total.
 */
export async function readPricingContext(typedCode: string | null): Promise<PricingContext | CheckoutFailure> {
  const [config, code] = await Promise.all([loadPricingConfig(), typedCode ? findDiscountCode(typedCode) : null]);
  if (typedCode && !code) return codeRefused(`The code ${typedCode} is not valid`);
  return { config, code, now: new Date() };
}

/** A code's usage limit was reached inside the order's transaction: thrown to roll the whole write back. */
class DiscountRefused extends Error {
  constructor(readonly failure: CheckoutFailure) {
    super(failure.error);
  }
}

/** The cart, its variants' shelves and its open order, read together without locks. */
export type CheckoutSnapshot = {
  cartOpen: boolean;
  lines: CartLineToPrice[];
  shelf: Map<string, { stock: number; active: boolean }>;
  order: SeenOrder | null;
};

const openOrder = {
  where: { status: { in: [...OPEN_STATUSES] } },
  include: { items: { select: { variantId: true, quantity: true } } },
  orderBy: { createdAt: "desc" },
  take: 1,
} as const satisfies Prisma.Cart$ordersArgs;

export type SeenOrder = Prisma.OrderGetPayload<{ include: { items: { select: { variantId: true; quantity: true } } } }>;

export async function readCheckout(cartId: string): Promise<CheckoutSnapshot> {
  const [cart, lines] = await Promise.all([
    prisma.cart.findUnique({ where: { id: cartId }, select: { status: true, orders: openOrder } }),
    readCartLines(prisma, cartId),
  ]);
  return {
    cartOpen: cart?.status === "open",
    lines: linesToPrice(lines),
    shelf: new Map(
      lines.map(({ variantId, variant, product }) => [variantId, { stock: variant.stock, active: variant.active && product.active }]),
    ),
    order: cart?.orders[0] ?? null,
  };
}

/** An order as checkout wrote it. */
export type StoredOrder = Order;

export type WriteOutcome =
  | { kind: "written"; order: StoredOrder }
  /** The cart or its order changed since the snapshot: read again. */
  | { kind: "stale" }
  | { kind: "refused"; failure: CheckoutFailure };

/**
 * Writes the cart's order as `priced`, in one short transaction: locks the cart, re-prices it, and goes on
 * only if it still prices the same and its open order is exactly the one `seen` (same id, intent, status
 * and last update); then moves the reservation (only the difference), renews it up to its cap, and writes
 * the order. A reservation past its cap is refused (reservationCapped). A new order gets a fresh number; a
 * number that is already taken rolls the transaction back and is drawn again.
 */
export async function writeOrder(
  cartId: string,
  input: CheckoutInput,
  priced: PricedOrder,
  seen: SeenOrder | null,
  reservationMinutes: number,
  context: PricingContext,
  drawNumber: () => string = newOrderNumber,
): Promise<WriteOutcome> {
  for (let attempt = 1; ; attempt += 1) {
    const number = drawNumber(); // used only when the order is new
    try {
      return await prisma.$transaction(
        (tx) => writeInTransaction(tx, cartId, input, priced, seen, reservationMinutes, context, number),
        WRITE_TRANSACTION,
      );
    } catch (error) {
      if (error instanceof OutOfStockError) return { kind: "refused", failure: outOfStock(error.productName, error.available) };
      if (error instanceof DiscountRefused) return { kind: "refused", failure: error.failure };
      if (attempt < ORDER_NUMBER_ATTEMPTS && isUniqueViolationOf(error, "Order", "number")) continue;
      throw error;
    }
  }
}

async function writeInTransaction(
  tx: Tx,
  cartId: string,
  input: CheckoutInput,
  priced: PricedOrder,
  seen: SeenOrder | null,
  reservationMinutes: number,
  context: PricingContext,
  number: string,
): Promise<WriteOutcome> {
  if ((await lockCart(tx, cartId)) !== "open") return { kind: "refused", failure: cartEmpty() };
  const destination = destinationOf(input.country, input.state);
  const repriced = priceOrder(linesToPrice(await readCartLines(tx, cartId)), destination, input.shippingMethod, context);
  if (!repriced.ok) return { kind: "refused", failure: repriced };
  if (!samePrice(repriced, priced)) return { kind: "stale" };

  const order = await lockOpenOrder(tx, cartId);
  const unchanged = order
    ? seen !== null &&
      order.id === seen.id &&
      order.status === "pending" &&
      order.paymentIntentId === seen.paymentIntentId &&
      order.updatedAt.getTime() === seen.updatedAt.getTime()
    : seen === null;
  if (!unchanged) return { kind: "stale" };

  // Renewed from when its stock was first taken, never past the cap (checked again here, under the lock).
  const reservation = renewReservation(new Date(), order?.stockReserved ? order.reservedAt : null, reservationMinutes);
  if (!reservation) return { kind: "refused", failure: reservationCapped() };
  // Our own earlier reservation counts as ours: only the difference is taken or given back.
  await adjustReservation(tx, order?.stockReserved ? order.items : [], priced.lines);
  const data = {
    ...orderColumns(input, priced),
    stockReserved: true,
    ...reservation,
    items: {
      create: priced.lines.map(({ productId, variantId, name, options, unitPrice, quantity, discount, tax }) => ({
        productId,
        variantId,
        name,
        options,
        unitPrice,
        quantity,
        discount,
        tax,
      })),
    },
  };
  if (order) await tx.orderItem.deleteMany({ where: { orderId: order.id } });
  const written = order
    ? await tx.order.update({ where: { id: order.id }, data })
    : await tx.order.create({ data: { ...data, number, cartId } });
  // The code's use is taken under its row lock, in this transaction: racing shoppers queue for its last uses,
  // and a refusal rolls the order back with it (nothing half-written).
  if (priced.discountCodeId) {
    const use = await takeDiscountUse(tx, { codeId: priced.discountCodeId, orderId: written.id, email: input.email });
    if (!use.ok) throw new DiscountRefused(codeRefused(use.error));
  } else if (order) {
    await dropDiscountUse(tx, order.id);
  }
  return { kind: "written", order: written };
}

/** The cart's newest open order, row-locked, with its items; call with the cart already locked. */
async function lockOpenOrder(tx: Tx, cartId: string) {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM "Order" WHERE "cartId" = ${cartId} AND status IN (${Prisma.join(OPEN_STATUSES)})
     ORDER BY "createdAt" DESC LIMIT 1 FOR UPDATE`;
  const id = rows[0]?.id;
  return id ? tx.order.findUnique({ where: { id }, include: { items: { select: { variantId: true, quantity: true } } } }) : null;
}

/**
 * Saves a newly created intent's id on its order, in a short transaction, only if the order is still
 * pending, has no other intent, and still charges exactly what the intent was created for. Otherwise
 * (canceled meanwhile, or rewritten by another request) the intent is not recorded and never handed out.
 */
export async function recordIntent(
  order: { id: string; cartId: string },
  charged: ChargeableOrder,
  paymentIntentId: string,
): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    await lockCart(tx, order.cartId);
    await lockOrderRow(tx, order.id);
    const row = await tx.order.findUnique({ where: { id: order.id } });
    if (!row || row.status !== "pending") return false;
    if (row.paymentIntentId) return row.paymentIntentId === paymentIntentId;
    if (!sameCharge(chargeableOrder(row), charged)) return false;
    await tx.order.update({ where: { id: row.id }, data: { paymentIntentId } });
    return true;
  }, WRITE_TRANSACTION);
}

/** The order the shopper's payment form was showing, if it still belongs to this cart. */
export async function findCartOrder(cartId: string, orderId: string) {
  return prisma.order.findFirst({ where: { id: orderId, cartId } });
}

/** The order a return from Stripe is about: by its intent, else the cart's newest order. */
export async function findReturnedOrder(cartId: string | null, paymentIntentId: string | null) {
  const select = { id: true, cartId: true } as const;
  if (paymentIntentId) return prisma.order.findUnique({ where: { paymentIntentId }, select });
  return cartId ? prisma.order.findFirst({ where: { cartId }, orderBy: { createdAt: "desc" }, select }) : null;
}

export async function loadOrderWithItems(orderId: string) {
  return prisma.order.findUniqueOrThrow({ where: { id: orderId }, include: { items: true } });
}

/**
 * A unique constraint on `table`.`field` refused the write: Prisma's P2002, which the pg driver adapter
 * reports by index name ("Order_number_key") and Prisma's own engine by field list.
 */
function isUniqueViolationOf(error: unknown, table: string, field: string): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== "P2002") return false;
  type Constraint = { index?: string; fields?: string[] };
  const meta = error.meta as { target?: unknown; driverAdapterError?: { cause?: { constraint?: Constraint } } } | undefined;
  const constraint = meta?.driverAdapterError?.cause?.constraint;
  return (
    constraint?.index === `${table}_${field}_key` ||
    (constraint?.fields?.includes(field) ?? false) ||
    (Array.isArray(meta?.target) && meta.target.includes(field))
  );
}
