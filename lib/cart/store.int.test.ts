import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { newCartId } from "@/lib/cart/rules";
import { addItem, cartSnapshot, getCart, openCart, removeItem, setItemQuantity, type CartOutcome } from "@/lib/cart/store";

// Runs against the real PostgreSQL from test/global-setup.ts. Products are created here with unique slugs
// so other test files using the seeded catalog in parallel are unaffected.

const run = randomUUID().slice(0, 8);
let categoryId: string;
/** Each test product has one default variant (`variantId`), which carts hold and which carries the stock. */
const products: Record<"mug" | "lamp" | "retired" | "soldOut" | "bulk", { id: string; variantId: string; price: number }> = {} as never;

async function makeProduct(key: keyof typeof products, price: number, stock: number, active = true) {
  const row = await prisma.product.create({
    data: {
      slug: `int-${run}-${key}`,
      name: `Test ${key}`,
      description: "Integration test product",
      price,
      active,
      image: "/products/stoneware-mug.svg",
      categoryId,
      variants: { create: { sku: `int-${run}-${key}`, stock } },
    },
    include: { variants: { select: { id: true } } },
  });
  products[key] = { id: row.id, variantId: row.variants[0]!.id, price };
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
  // Every product made here is in this file's category (its variants go with it).
  await prisma.cartItem.deleteMany({ where: { variant: { product: { categoryId } } } });
  await prisma.product.deleteMany({ where: { categoryId } });
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
  const { cartId } = expectOk(await addItem(undefined, { variantId: products[productKey].variantId, quantity }));
  if (!cartId) throw new Error("no cart id");
  return cartId;
}

describe("adding to a cart", () => {
  it("creates a cart on the first add and returns its new id", async () => {
    const { cart, cartId } = expectOk(await addItem(undefined, { variantId: products.mug.variantId, quantity: 2 }));
    expect(cartId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cart.itemCount).toBe(2);
    expect(cart.subtotal).toBe(3600);
    expect(await prisma.cart.count({ where: { id: cartId! } })).toBe(1);
  });

  it("adds to the quantity of a product already in the cart", async () => {
    const cartId = await cartWith("mug", 2);
    const { cart, cartId: sameId } = expectOk(await addItem(cartId, { variantId: products.mug.variantId, quantity: 3 }));
    expect(sameId).toBe(cartId);
    expect(cart.lines).toHaveLength(1);
    expect(cart.lines[0]?.quantity).toBe(5);
  });

  it("refuses an add that would take the line past the stock, naming the limit, and changes nothing", async () => {
    const cartId = await cartWith("lamp", 2);
    expect(expectError(await addItem(cartId, { variantId: products.lamp.variantId, quantity: 2 }))).toBe("insufficient_stock");
    expect((await getCart(cartId)).lines[0]?.quantity).toBe(2);
  });

  it("refuses a line past 99 even with plenty of stock", async () => {
    const cartId = await cartWith("bulk", 98);
    expect(expectError(await addItem(cartId, { variantId: products.bulk.variantId, quantity: 2 }))).toBe("quantity_limit");
    expectOk(await addItem(cartId, { variantId: products.bulk.variantId, quantity: 1 }));
    expect((await getCart(cartId)).itemCount).toBe(99);
  });

  it("refuses unknown, inactive and sold-out products without creating a cart", async () => {
    // expectError also checks that no cart id came back: nothing was created for the cookie.
    expect(expectError(await addItem(undefined, { variantId: "does-not-exist", quantity: 1 }))).toBe("unavailable");
    expect(expectError(await addItem(undefined, { variantId: products.retired.variantId, quantity: 1 }))).toBe("unavailable");
    expect(expectError(await addItem(undefined, { variantId: products.soldOut.variantId, quantity: 1 }))).toBe("sold_out");
  });

  it("refuses malformed quantities before touching the database", async () => {
    const cartId = await cartWith("mug", 1);
    for (const quantity of [0, -1, 1.5, "ten", ""]) {
      expect(expectError(await addItem(cartId, { variantId: products.mug.variantId, quantity }))).toBe("invalid_input");
    }
    expect(expectError(await addItem(cartId, { variantId: products.mug.variantId, quantity: 100 }))).toBe("quantity_limit");
    expect((await getCart(cartId)).itemCount).toBe(1);
  });

  it("starts a new cart, with a fresh id, for a forged, unknown or malformed cookie", async () => {
    const forged = newCartId();
    for (const cookie of [forged, "garbage", "' OR 1=1 --", ""]) {
      const { cart, cartId } = expectOk(await addItem(cookie, { variantId: products.mug.variantId, quantity: 1 }));
      expect(cartId).not.toBe(cookie);
      expect(cart.itemCount).toBe(1);
    }
    expect(await prisma.cart.count({ where: { id: forged } })).toBe(0);
  });

  it("never reuses a checked-out cart", async () => {
    const cartId = await cartWith("mug", 1);
    await prisma.cart.update({ where: { id: cartId }, data: { status: "checked_out" } });
    expect((await getCart(cartId)).lines).toEqual([]);
    const { cart, cartId: newId } = expectOk(await addItem(cartId, { variantId: products.mug.variantId, quantity: 1 }));
    expect(newId).not.toBe(cartId);
    expect(cart.itemCount).toBe(1);
    expect(await prisma.cartItem.count({ where: { cartId } })).toBe(1);
    expect(expectError(await setItemQuantity(cartId, { variantId: products.mug.variantId, quantity: 2 }))).toBe("not_in_cart");
  });

  it("serialises concurrent adds to one cart so no unit is lost and the stock limit holds", async () => {
    const cartId = await cartWith("mug", 1);
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, () => addItem(cartId, { variantId: products.mug.variantId, quantity: 1 })),
    );
    const succeeded = outcomes.filter((outcome) => outcome.result.ok).length;
    expect(succeeded).toBe(9);
    expect((await getCart(cartId)).lines[0]?.quantity).toBe(10);
  });
});

describe("changing and removing lines", () => {
  it("sets a quantity within the limits and refuses one above the stock", async () => {
    const cartId = await cartWith("mug", 1);
    expect(expectOk(await setItemQuantity(cartId, { variantId: products.mug.variantId, quantity: "4" })).cart.itemCount).toBe(4);
    expect(expectError(await setItemQuantity(cartId, { variantId: products.mug.variantId, quantity: 11 }))).toBe("insufficient_stock");
    expect(expectError(await setItemQuantity(cartId, { variantId: products.mug.variantId, quantity: 0 }))).toBe("invalid_input");
    expect((await getCart(cartId)).itemCount).toBe(4);
  });

  it("refuses to set the quantity of a product that is not in the cart", async () => {
    const cartId = await cartWith("mug", 1);
    expect(expectError(await setItemQuantity(cartId, { variantId: products.lamp.variantId, quantity: 1 }))).toBe("not_in_cart");
    expect(expectError(await setItemQuantity("forged", { variantId: products.mug.variantId, quantity: 1 }))).toBe("not_in_cart");
  });

  it("removes a line and keeps the others", async () => {
    const cartId = await cartWith("mug", 2);
    expectOk(await addItem(cartId, { variantId: products.lamp.variantId, quantity: 1 }));
    const { cart } = expectOk(await removeItem(cartId, { variantId: products.mug.variantId }));
    expect(cart.lines.map((line) => line.productId)).toEqual([products.lamp.id]);
    expect(cart.subtotal).toBe(12500);
    expect(expectOk(await removeItem(cartId, { variantId: products.mug.variantId })).cart.lines).toHaveLength(1);
    expect(expectOk(await removeItem("forged", { variantId: products.mug.variantId })).cart.lines).toEqual([]);
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
    expectOk(await addItem(cartId, { variantId: products.mug.variantId, quantity: 1 }));
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
    const added = await addItem(first.cartId, { variantId: products.mug.variantId, quantity: 1 });
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

describe("a product with variants", () => {
  /** A tee in sizes S (its own price, 1 left) and M (the product's price, 5 left), options "Size" then "Colour". */
  async function tee() {
    const slug = `int-${run}-tee-${randomUUID().slice(0, 6)}`;
    const product = await prisma.product.create({
      data: { slug, name: "Test tee", description: "Integration test product", price: 2500, image: "/x.svg", categoryId },
    });
    const size = await prisma.productOption.create({
      data: { productId: product.id, name: "Size", position: 0, values: { create: [{ value: "S" }, { value: "M", position: 1 }] } },
      include: { values: true },
    });
    const colour = await prisma.productOption.create({
      data: { productId: product.id, name: "Colour", position: 1, values: { create: [{ value: "Navy" }] } },
      include: { values: true },
    });
    const [s, m] = size.values;
    const navy = colour.values[0]!;
    const variant = (value: { id: string }, sku: string, stock: number, price: number | null) =>
      prisma.productVariant.create({
        data: {
          productId: product.id,
          sku: `${slug}-${sku}`,
          stock,
          price,
          optionKey: [value.id, navy.id].sort().join(","),
          values: { create: [{ valueId: value.id }, { valueId: navy.id }] },
        },
      });
    return { product, small: await variant(s!, "s", 1, 2800), medium: await variant(m!, "m", 5, null) };
  }

  it("keeps one line per variant, each with its SKU, options, price and own stock", async () => {
    const { small, medium } = await tee();
    const { cartId } = expectOk(await addItem(undefined, { variantId: small.id, quantity: 1 }));
    const { cart } = expectOk(await addItem(cartId, { variantId: medium.id, quantity: 2 }));
    expect(
      cart.lines.map(({ variantId, sku, name, options, unitPrice, quantity, maxQuantity }) => ({
        variantId,
        sku,
        name,
        options,
        unitPrice,
        quantity,
        maxQuantity,
      })),
    ).toEqual([
      {
        variantId: small.id,
        sku: small.sku,
        name: "Test tee",
        options: "Size: S, Colour: Navy",
        unitPrice: 2800,
        quantity: 1,
        maxQuantity: 1,
      },
      {
        variantId: medium.id,
        sku: medium.sku,
        name: "Test tee",
        options: "Size: M, Colour: Navy",
        unitPrice: 2500,
        quantity: 2,
        maxQuantity: 5,
      },
    ]);
    expect(cart.subtotal).toBe(2800 + 5000);
    // S has one unit: M's stock is not S's.
    const refusal = await addItem(cartId, { variantId: small.id, quantity: 1 });
    expect(expectError(refusal)).toBe("insufficient_stock");
    expect(refusal.result.ok ? "" : refusal.result.error).toContain("Test tee (Size: S, Colour: Navy)");
    expect(expectError(await setItemQuantity(cartId, { variantId: small.id, quantity: 2 }))).toBe("insufficient_stock");
    expect(expectOk(await setItemQuantity(cartId, { variantId: medium.id, quantity: 5 })).cart.itemCount).toBe(6);
  });

  it("refuses a retired variant of an active product, and shows it unavailable once in the cart", async () => {
    const { small, medium } = await tee();
    const { cartId } = expectOk(await addItem(undefined, { variantId: medium.id, quantity: 1 }));
    await prisma.productVariant.update({ where: { id: small.id }, data: { active: false } });
    expect(expectError(await addItem(cartId, { variantId: small.id, quantity: 1 }))).toBe("unavailable");
    await prisma.productVariant.update({ where: { id: medium.id }, data: { active: false } });
    const cart = await getCart(cartId);
    expect(cart.lines[0]).toMatchObject({ variantId: medium.id, maxQuantity: 0, problem: expect.any(String) });
    expect(cart.itemCount).toBe(0);
  });
});
