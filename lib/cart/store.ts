import "server-only";
import { randomUUID } from "node:crypto";
import { cache } from "react";
import { lockCart, prisma, type Tx } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
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
  purchasable,
  quantityProblem,
  withHeld,
  MAX_LINE_QUANTITY,
  refusalFromCode,
  UNAVAILABLE,
  type CartProblem,
  type CartResult,
  type CartView,
  type VariantProductRow,
  type VariantRow,
} from "@/lib/cart/rules";
import { variantOptionsSql, variantOptionsText, variantValuesSelect } from "@/lib/variants";

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
  variant: {
    select: {
      id: true,
      stock: true,
      active: true,
      values: variantValuesSelect,
      product: { select: { name: true, currency: true, active: true } },
    },
  },
} as const;

async function heldByCart(tx: Tx, cartId: string): Promise<Map<string, number>> {
  const orders = await tx.order.findMany({
    where: { cartId, status: "pending", stockReserved: true },
    select: { items: { select: { variantId: true, quantity: true } } },
  });
  return heldUnits(orders);
}

// ---------------------------------------------------------------------------------------------- view

/**
 * A cart line as the view query reads it: its variant's and product's rows and the units of that variant
 * the cart's checkout holds.
 */
export type LineRow = { variantId: string; quantity: number; held: number; variant: VariantRow; product: VariantProductRow };

// The variant's and product's rows and the cart's lines as JSON, so one query (or the add's one statement)
// reads a view. Both expect the variant as `v` and its product as `p`.
const variantJson = Prisma.sql`json_build_object('id', v.id, 'sku', v.sku, 'price', v.price, 'stock', v.stock,
  'active', v.active, 'weightGrams', v."weightGrams", 'options', ${variantOptionsSql(Prisma.sql`v.id`)})`;
const productJson = Prisma.sql`json_build_object('id', p.id, 'slug', p.slug, 'name', p.name, 'image', p.image,
  'price', p.price, 'currency', p.currency, 'active', p.active, 'categoryId', p."categoryId", 'taxClass', p."taxClass")`;

/** Units of `variantId` that the cart's checkout holds in reserve (lib/cart/rules.ts withHeld). */
function heldSql(cartId: Prisma.Sql, variantId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(SELECT COALESCE(SUM(oi.quantity), 0)::int FROM "Order" o JOIN "OrderItem" oi ON oi."orderId" = o.id
     WHERE o."cartId" = ${cartId} AND o.status = 'pending' AND o."stockReserved" AND oi."variantId" = ${variantId})`;
}

/** The cart's lines, oldest first, as a JSON array of LineRow. */
function linesSql(cartId: string): Prisma.Sql {
  return Prisma.sql`(SELECT COALESCE(json_agg(json_build_object('variantId', ci."variantId", 'quantity', ci.quantity,
       'held', ${heldSql(Prisma.sql`ci."cartId"`, Prisma.sql`ci."variantId"`)}, 'variant', ${variantJson}, 'product', ${productJson})
       ORDER BY ci."createdAt"), '[]')
     FROM "CartItem" ci JOIN "ProductVariant" v ON v.id = ci."variantId" JOIN "Product" p ON p.id = v."productId"
     WHERE ci."cartId" = ${cartId})`;
}

/** The cart's lines with their variants' and products' rows, oldest first, in one query (checkout prices these). */
export async function readCartLines(db: Tx | typeof prisma, cartId: string): Promise<LineRow[]> {
  const [row] = await db.$queryRaw<Array<{ lines: LineRow[] }>>`SELECT ${linesSql(cartId)} AS lines`;
  return row?.lines ?? [];
}

/** The rules' view of the lines, each variant's stock counting the cart's own hold as available. */
function viewOfLines(lines: LineRow[]): CartView {
  return buildCartView(
    lines.map((line) => ({
      quantity: line.quantity,
      variant: { ...line.variant, stock: line.variant.stock + line.held },
      product: line.product,
    })),
  );
}

/** What the browser learns of its cart (GET /api/cart): the view, and whether its cookie names an open cart. */
export type CartSnapshot = { cart: CartView; open: boolean };

/** An open cart's view in one query; a closed or unknown cart reads as empty. */
async function readSnapshot(db: Tx | typeof prisma, cartId: string): Promise<CartSnapshot> {
  const [row] = await db.$queryRaw<Array<{ open: boolean; lines: LineRow[] }>>`
    SELECT EXISTS (SELECT 1 FROM "Cart" WHERE id = ${cartId} AND status = 'open') AS open, ${linesSql(cartId)} AS lines`;
  return row?.open ? { cart: viewOfLines(row.lines), open: true } : { cart: emptyCart(), open: false };
}

async function readView(db: Tx | typeof prisma, cartId: string): Promise<CartView> {
  return (await readSnapshot(db, cartId)).cart;
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
export const getCart = cache(async (rawCartId: unknown): Promise<CartView> => (await cartSnapshot(rawCartId)).cart);

/**
 * The shopper's open cart id, creating an empty cart when the cookie holds none (missing, forged, unknown or
 * checked out). The browser asks for one before its first add (POST /api/cart), so the add itself sets no
 * cookie: a Server Action that sets a cookie makes Next re-render the whole page into its answer.
 */
export async function openCart(rawCartId: unknown): Promise<{ cartId: string; created: boolean }> {
  const existingId = parseCartId(rawCartId);
  if (existingId && (await prisma.cart.count({ where: { id: existingId, status: "open" } })) > 0)
    return { cartId: existingId, created: false };
  const cartId = newCartId();
  await prisma.cart.create({ data: { id: cartId } });
  return { cartId, created: true };
}

export async function cartSnapshot(rawCartId: unknown): Promise<CartSnapshot> {
  const cartId = parseCartId(rawCartId);
  return cartId ? readSnapshot(prisma, cartId) : { cart: emptyCart(), open: false };
}

// ---------------------------------------------------------------------------------------------- add

type AddRow = {
  /** The cart was open (and is now touched and locked until the statement ends). */
  open: boolean;
  /** The line's quantity after the add; null when nothing was added. */
  quantity: number | null;
  inCart: number;
  held: number;
  /** The variant and its product; null for an unknown variant. */
  variant: VariantRow | null;
  product: VariantProductRow | null;
  /** The cart's lines as they were before the statement (a statement sees its own starting snapshot). */
  lines: LineRow[];
};

/**
 * The add in one statement, for an open cart: touches the cart row (which locks it against checkout closing
 * it, and dates it for the purge of abandoned carts), and adds to the line only if the variant and its
 * product are active and the new quantity stays within 99 and the stock this cart may use (the variant's
 * stock + its own checkout's hold of that variant).
 * ON CONFLICT re-checks against the line's current quantity, so concurrent adds cannot pass the limit.
 */
async function addToOpenCart(cartId: string, variantId: string, quantity: number): Promise<AddRow> {
  const [row] = await prisma.$queryRaw<AddRow[]>`
    WITH cart AS (
      UPDATE "Cart" SET "updatedAt" = now() WHERE id = ${cartId} AND status = 'open' RETURNING id
    ), variant AS (
      SELECT v.id, v.stock, v.active AND p.active AS active
        FROM "ProductVariant" v JOIN "Product" p ON p.id = v."productId" WHERE v.id = ${variantId}
    ), line AS (
      SELECT quantity FROM "CartItem" WHERE "cartId" = ${cartId} AND "variantId" = ${variantId}
    ), allowed AS (
      SELECT LEAST(variant.stock + ${heldSql(Prisma.sql`${cartId}`, Prisma.sql`${variantId}`)}, ${MAX_LINE_QUANTITY}::int) AS units
        FROM variant WHERE variant.active
    ), upsert AS (
      INSERT INTO "CartItem" (id, "cartId", "variantId", quantity, "updatedAt")
      SELECT ${randomUUID()}, cart.id, ${variantId}, ${quantity}::int, now() FROM cart, allowed
       WHERE ${quantity}::int + COALESCE((SELECT quantity FROM line), 0) <= allowed.units
      ON CONFLICT ("cartId", "variantId") DO UPDATE SET quantity = "CartItem".quantity + EXCLUDED.quantity, "updatedAt" = now()
       WHERE "CartItem".quantity + EXCLUDED.quantity <= (SELECT units FROM allowed)
      RETURNING quantity
    )
    SELECT EXISTS (SELECT 1 FROM cart) AS open,
           (SELECT quantity FROM upsert) AS quantity,
           COALESCE((SELECT quantity FROM line), 0) AS "inCart",
           ${heldSql(Prisma.sql`${cartId}`, Prisma.sql`${variantId}`)} AS held,
           ${variantAndProductSql(variantId)}
           ${linesSql(cartId)} AS lines`;
  return row!;
}

/** The variant's and its product's rows as the columns `variant` and `product` (each null when unknown), then a comma. */
function variantAndProductSql(variantId: string): Prisma.Sql {
  return Prisma.sql`(SELECT ${variantJson} FROM "ProductVariant" v WHERE v.id = ${variantId}) AS variant,
           (SELECT ${productJson} FROM "ProductVariant" v JOIN "Product" p ON p.id = v."productId" WHERE v.id = ${variantId}) AS product,`;
}

/** The first add: a new cart and its line in one statement, only if the variant can be added at all. */
async function addToNewCart(cartId: string, variantId: string, quantity: number): Promise<AddRow> {
  const [row] = await prisma.$queryRaw<AddRow[]>`
    WITH cart AS (
      INSERT INTO "Cart" (id, "updatedAt")
      SELECT ${cartId}, now() FROM "ProductVariant" v JOIN "Product" p ON p.id = v."productId"
       WHERE v.id = ${variantId} AND v.active AND p.active AND ${quantity}::int <= LEAST(v.stock, ${MAX_LINE_QUANTITY}::int)
      RETURNING id
    ), upsert AS (
      INSERT INTO "CartItem" (id, "cartId", "variantId", quantity, "updatedAt")
      SELECT ${randomUUID()}, cart.id, ${variantId}, ${quantity}::int, now() FROM cart
      RETURNING quantity
    )
    SELECT true AS open, (SELECT quantity FROM upsert) AS quantity, 0 AS "inCart", 0 AS held,
           ${variantAndProductSql(variantId)}
           '[]'::json AS lines`;
  return row!;
}

/** The cart after the add: the statement's starting lines with the added line's new quantity. */
function viewAfterAdd(row: AddRow & { quantity: number; variant: VariantRow; product: VariantProductRow }): CartView {
  const lines = row.lines.filter((line) => line.variantId !== row.variant.id);
  const before = row.lines.find((line) => line.variantId === row.variant.id);
  const added: LineRow = { variantId: row.variant.id, quantity: row.quantity, held: row.held, variant: row.variant, product: row.product };
  const all = before ? row.lines.map((line) => (line === before ? added : line)) : [...lines, added];
  return viewOfLines(all);
}

/**
 * Adds to the quantity already in the cart (the total must stay within stock and 99): one statement, or
 * two for a shopper without a usable cart. Without a usable open cart a new one is created, with a fresh
 * id: a cookie value we did not issue is never adopted as an id.
 */
export async function addItem(rawCartId: unknown, input: unknown): Promise<CartOutcome> {
  const parsed = parseAddItem(input);
  if (!parsed.ok) return refused(parsed.problem);
  const { variantId, quantity } = parsed.data;
  const existingId = parseCartId(rawCartId);

  let cartId = existingId;
  let row = existingId ? await addToOpenCart(existingId, variantId, quantity) : null;
  if (!row?.open) {
    cartId = newCartId();
    row = await addToNewCart(cartId, variantId, quantity);
  }
  if (!row.variant || !row.product) return refused(UNAVAILABLE);
  if (row.quantity === null) {
    // Refused by the statement: the rules say why, from the same rows it compared.
    const product = purchasable({ ...row.variant, stock: row.variant.stock + row.held }, row.product);
    // Neither: another add to this line got there between the statement's snapshot and its upsert.
    return refused(productProblem(product) ?? addProblem(row.inCart, quantity, product) ?? refusalFromCode("insufficient_stock")!);
  }
  return {
    result: { ok: true, cart: viewAfterAdd({ ...row, quantity: row.quantity, variant: row.variant, product: row.product }) },
    cartId,
  };
}

/** Sets a line's quantity; the line must already be in the shopper's open cart. */
export async function setItemQuantity(rawCartId: unknown, input: unknown): Promise<CartOutcome> {
  const parsed = parseSetQuantity(input);
  if (!parsed.ok) return refused(parsed.problem);
  const { variantId, quantity } = parsed.data;
  const cartId = parseCartId(rawCartId);
  if (!cartId) return refused(NOT_IN_CART);

  return prisma.$transaction(async (tx) => {
    if (!(await lockOpenCart(tx, cartId))) return refused(NOT_IN_CART);
    const item = await tx.cartItem.findUnique({
      where: { cartId_variantId: { cartId, variantId } },
      include: lineInclude,
    });
    if (!item) return refused(NOT_IN_CART);
    const { values, product: productRow, ...variant } = withHeld(item.variant, await heldByCart(tx, cartId));
    const product = purchasable({ ...variant, options: variantOptionsText(values) }, productRow);
    const problem = productProblem(product) ?? quantityProblem(quantity, product);
    if (problem) return refused(problem);
    await tx.cartItem.update({ where: { id: item.id }, data: { quantity } });
    return { result: { ok: true, cart: await readView(tx, cartId) }, cartId };
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
    await tx.cartItem.deleteMany({ where: { cartId, variantId: parsed.data.variantId } });
    return { result: { ok: true, cart: await readView(tx, cartId) }, cartId };
  });
}
