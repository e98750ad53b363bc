import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { newCartId } from "@/lib/cart/rules";
import { addItem, cartSnapshot, getCart, openCart, removeItem, setItemQuantity, type CartOutcome } from "@/lib/cart/store";

// Runs against the real PostgreSQL from test/global-setup.ts. Products are created here with unique slugs
// so other test files using the seeded catalog in parallel are unaffected.

const run = randomUUID().slice(0, 8);
let categoryId: string;
const products: Record<"mug" | "lamp" | "retired" | "soldOut" | "bulk", { id: string; price: number }> = {} as never;

async function makeProduct(key: keyof typeof products, price: number, stock: number, active = true) {
  const row = await prisma.product.create({
    data: {
      slug: `int-${run}-${key}`,
      name: `Test ${key}`,
      description: "Integration test product",
      price,
      stock,
      active,
      image: "/products/stoneware-mug.svg",
      categoryId,
    },
  });
  products[key] = { id: row.id, price };
}

beforeAll(async () => {
  categoryId = (await prisma.category.create({ data: { slug: `int-${run}`, name: "Test", description: "Test" } })).id;
  await makeProduct("mug", 1800, 10);
  await makeProduct("lamp", 12500, 3);
  await makeProduct("retired", 4900, 5, false);
  await makeProduct("soldOut", 5600, 0);
  await makeProduct("bulk", 10, 1000);
});

afterAll(async () => {
  const ids = Object.values(products).map((product) => product.id);
  await prisma.cartItem.deleteMany({ where: { productId: { in: ids } } });
  await prisma.product.deleteMany({ where: { id: { in: ids } } });
  await prisma.category.delete({ where: { id: categoryId } });
});

function expectOk(outcome: CartOutcome) {
  if (!outcome.result.ok) throw new Error(`expected success, got: ${outcome.result.error}`);
  return { cart: outcome.result.cart, cartId: outcome.cartId };
}

/** The refusal's code; every refusal also carries a sentence for the shopper, and no cart id. */
function expectError(outcome: CartOutcome): string {
  if (outcome.result.ok) throw new Error("expected an error");
  expect(outcome.cartId).toBeNull();
  expect(outcome.result.error).toBeTruthy();
  return outcome.result.code;
}

async function cartWith(productKey: keyof typeof products, quantity: number) {
  const { cartId } = expectOk(await addItem(undefined, { productId: products[productKey].id, quantity }));
  if (!cartId) throw new Error("no cart id");
  return cartId;
}

describe("adding to a cart", () => {
  it("creates a cart on the first add and returns its new id", async () => {
    const { cart, cartId } = expectOk(await addItem(undefined, { productId: products.mug.id, quantity: 2 }));
    expect(cartId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cart.itemCount).toBe(2);
    expect(cart.subtotal).toBe(3600);
    expect(await prisma.cart.count({ where: { id: cartId! } })).toBe(1);
  });

  it("adds to the quantity of a product already in the cart", async () => {
    const cartId = await cartWith("mug", 2);
    const { cart, cartId: sameId } = expectOk(await addItem(cartId, { productId: products.mug.id, quantity: 3 }));
    expect(sameId).toBe(cartId);
    expect(cart.lines).toHaveLength(1);
    expect(cart.lines[0]?.quantity).toBe(5);
  });

  it("refuses an add that would take the line past the stock, naming the limit, and changes nothing", async () => {
    const cartId = await cartWith("lamp", 2);
    expect(expectError(await addItem(cartId, { productId: products.lamp.id, quantity: 2 }))).toBe("insufficient_stock");
    expect((await getCart(cartId)).lines[0]?.quantity).toBe(2);
  });

  it("refuses a line past 99 even with plenty of stock", async () => {
    const cartId = await cartWith("bulk", 98);
    expect(expectError(await addItem(cartId, { productId: products.bulk.id, quantity: 2 }))).toBe("quantity_limit");
    expectOk(await addItem(cartId, { productId: products.bulk.id, quantity: 1 }));
    expect((await getCart(cartId)).itemCount).toBe(99);
  });

  it("refuses unknown, inactive and sold-out products without creating a cart", async () => {
    // expectError also checks that no cart id came back: nothing was created for the cookie.
    expect(expectError(await addItem(undefined, { productId: "does-not-exist", quantity: 1 }))).toBe("unavailable");
    expect(expectError(await addItem(undefined, { productId: products.retired.id, quantity: 1 }))).toBe("unavailable");
    expect(expectError(await addItem(undefined, { productId: products.soldOut.id, quantity: 1 }))).toBe("sold_out");
  });

  it("refuses malformed quantities before touching the database", async () => {
    const cartId = await cartWith("mug", 1);
    for (const quantity of [0, -1, 1.5, "ten", ""]) {
      expect(expectError(await addItem(cartId, { productId: products.mug.id, quantity }))).toBe("invalid_input");
    }
    expect(expectError(await addItem(cartId, { productId: products.mug.id, quantity: 100 }))).toBe("quantity_limit");
    expect((await getCart(cartId)).itemCount).toBe(1);
  });

  it("starts a new cart, with a fresh id, for a forged, unknown or malformed cookie", async () => {
    const forged = newCartId();
    for (const cookie of [forged, "garbage", "' OR 1=1 --", ""]) {
      const { cart, cartId } = expectOk(await addItem(cookie, { productId: products.mug.id, quantity: 1 }));
      expect(cartId).not.toBe(cookie);
      expect(cart.itemCount).toBe(1);
    }
    expect(await prisma.cart.count({ where: { id: forged } })).toBe(0);
  });

  it("never reuses a checked-out cart", async () => {
    const cartId = await cartWith("mug", 1);
    await prisma.cart.update({ where: { id: cartId }, data: { status: "checked_out" } });
    expect((await getCart(cartId)).lines).toEqual([]);
    const { cart, cartId: newId } = expectOk(await addItem(cartId, { productId: products.mug.id, quantity: 1 }));
    expect(newId).not.toBe(cartId);
    expect(cart.itemCount).toBe(1);
    expect(await prisma.cartItem.count({ where: { cartId } })).toBe(1);
    expect(expectError(await setItemQuantity(cartId, { productId: products.mug.id, quantity: 2 }))).toBe("not_in_cart");
  });

  it("serialises concurrent adds to one cart so no unit is lost and the stock limit holds", async () => {
    const cartId = await cartWith("mug", 1);
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => addItem(cartId, { productId: products.mug.id, quantity: 1 })));
    const succeeded = outcomes.filter((outcome) => outcome.result.ok).length;
    expect(succeeded).toBe(9);
    expect((await getCart(cartId)).lines[0]?.quantity).toBe(10);
  });
});

describe("changing and removing lines", () => {
  it("sets a quantity within the limits and refuses one above the stock", async () => {
    const cartId = await cartWith("mug", 1);
    expect(expectOk(await setItemQuantity(cartId, { productId: products.mug.id, quantity: "4" })).cart.itemCount).toBe(4);
    expect(expectError(await setItemQuantity(cartId, { productId: products.mug.id, quantity: 11 }))).toBe("insufficient_stock");
    expect(expectError(await setItemQuantity(cartId, { productId: products.mug.id, quantity: 0 }))).toBe("invalid_input");
    expect((await getCart(cartId)).itemCount).toBe(4);
  });

  it("refuses to set the quantity of a product that is not in the cart", async () => {
    const cartId = await cartWith("mug", 1);
    expect(expectError(await setItemQuantity(cartId, { productId: products.lamp.id, quantity: 1 }))).toBe("not_in_cart");
    expect(expectError(await setItemQuantity("forged", { productId: products.mug.id, quantity: 1 }))).toBe("not_in_cart");
  });

  it("removes a line and keeps the others", async () => {
    const cartId = await cartWith("mug", 2);
    expectOk(await addItem(cartId, { productId: products.lamp.id, quantity: 1 }));
    const { cart } = expectOk(await removeItem(cartId, { productId: products.mug.id }));
    expect(cart.lines.map((line) => line.productId)).toEqual([products.lamp.id]);
    expect(cart.subtotal).toBe(12500);
    expect(expectOk(await removeItem(cartId, { productId: products.mug.id })).cart.lines).toHaveLength(1);
    expect(expectOk(await removeItem("forged", { productId: products.mug.id })).cart.lines).toEqual([]);
  });
});

describe("reading a cart", () => {
  it("prices lines from the current database price, not the price when added", async () => {
    const cartId = await cartWith("lamp", 2);
    await prisma.product.update({ where: { id: products.lamp.id }, data: { price: 9900 } });
    try {
      const cart = await getCart(cartId);
      expect(cart.lines[0]?.unitPrice).toBe(9900);
      expect(cart.subtotal).toBe(19800);
    } finally {
      await prisma.product.update({ where: { id: products.lamp.id }, data: { price: products.lamp.price } });
    }
  });

  it("shows a product retired after it was added, outside the count and subtotal", async () => {
    const cartId = await cartWith("bulk", 3);
    expectOk(await addItem(cartId, { productId: products.mug.id, quantity: 1 }));
    await prisma.product.update({ where: { id: products.bulk.id }, data: { active: false } });
    try {
      const cart = await getCart(cartId);
      expect(cart.lines).toHaveLength(2);
      expect(cart.itemCount).toBe(1);
      expect(cart.subtotal).toBe(1800);
    } finally {
      await prisma.product.update({ where: { id: products.bulk.id }, data: { active: true } });
    }
  });

  it("returns an empty cart for missing, malformed or unknown ids without throwing", async () => {
    for (const cookie of [undefined, "", "nonsense", newCartId()]) {
      expect(await getCart(cookie)).toEqual({ lines: [], itemCount: 0, subtotal: 0, currency: "usd" });
    }
  });
});

describe("opening a cart before the first add (POST /api/cart)", () => {
  it("creates an empty open cart when the cookie names none, and keeps an open one", async () => {
    const first = await openCart(undefined);
    expect(first.created).toBe(true);
    expect(await cartSnapshot(first.cartId)).toEqual({ cart: { lines: [], itemCount: 0, subtotal: 0, currency: "usd" }, open: true });
    expect(await openCart(first.cartId)).toEqual({ cartId: first.cartId, created: false });
    // The add then uses that cart and needs no new id.
    const added = await addItem(first.cartId, { productId: products.mug.id, quantity: 1 });
    expect(added.cartId).toBe(first.cartId);
    expect(added.result).toMatchObject({ ok: true, cart: { itemCount: 1 } });
  });

  it("never adopts a forged or unknown id, and replaces a checked-out cart", async () => {
    const forged = newCartId();
    const opened = await openCart(forged);
    expect(opened.created).toBe(true);
    expect(opened.cartId).not.toBe(forged);
    expect((await cartSnapshot(forged)).open).toBe(false);
    await prisma.cart.update({ where: { id: opened.cartId }, data: { status: "checked_out" } });
    const next = await openCart(opened.cartId);
    expect(next.created).toBe(true);
    expect(next.cartId).not.toBe(opened.cartId);
    expect(await openCart("not a cart id")).toMatchObject({ created: true });
  });
});
