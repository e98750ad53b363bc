// Checkout against the real PostgreSQL and the Stripe sandbox over HTTP (see test/global-setup.ts).
import { randomBytes } from "node:crypto";
import Stripe from "stripe";
import { beforeAll, describe, expect, it } from "vitest";
import { getCart, newCartId, setItemQuantity } from "@/lib/cart";
import { recheckBeforePayment, startCheckout } from "@/lib/checkout";
import { prisma } from "@/lib/db";
import { releaseExpiredReservations, syncOrderWithStripe } from "@/lib/orders";

const stripe = () => {
  const base = new URL(process.env.STRIPE_API_BASE!);
  return new Stripe(process.env.STRIPE_SECRET_KEY!, { host: base.hostname, port: base.port, protocol: "http" });
};

const details = {
  email: "shopper@example.com",
  name: "Ada Shopper",
  line1: "1 Market Street",
  city: "San Francisco",
  state: "CA",
  postalCode: "94105",
  country: "US",
  shippingMethod: "standard",
};

let categoryId: string;
beforeAll(async () => {
  const category = await prisma.category.upsert({
    where: { slug: "test-checkout" },
    create: { slug: "test-checkout", name: "Checkout tests", description: "Products only the checkout tests use" },
    update: {},
  });
  categoryId = category.id;
});

async function product(stock: number, price = 2500) {
  const slug = `checkout-test-${randomBytes(4).toString("hex")}`;
  return prisma.product.create({
    data: { slug, name: `Test item ${slug}`, description: "test", price, stock, image: "/x.svg", categoryId },
  });
}

async function cartWith(lines: Array<{ productId: string; quantity: number }>) {
  const id = newCartId();
  await prisma.cart.create({ data: { id, items: { create: lines } } });
  return id;
}

async function pay(paymentIntentId: string, paymentMethod = "pm_card_visa") {
  return stripe().paymentIntents.confirm(paymentIntentId, { payment_method: paymentMethod, return_url: "http://localhost/checkout/complete" });
}

describe("inventory under concurrent checkouts", () => {
  it("twenty shoppers racing for five units: five are reserved and paid, fifteen hear it sold out, stock ends at zero", async () => {
    const item = await product(5);
    const carts = await Promise.all(Array.from({ length: 20 }, () => cartWith([{ productId: item.id, quantity: 1 }])));

    const started = Date.now();
    const results = await Promise.all(carts.map((cartId) => startCheckout(cartId, details)));
    const elapsed = Date.now() - started;
    const accepted = results.filter((r) => r.ok);
    const refused = results.filter((r) => !r.ok);
    expect(accepted).toHaveLength(5);
    expect(refused).toHaveLength(15);
    for (const r of refused) expect(r.ok ? "" : r.error).toMatch(/sold out|left in stock/);
    expect((await prisma.product.findUniqueOrThrow({ where: { id: item.id } })).stock).toBe(0);

    // Every reserved shopper pays; the same finalization as the webhook marks each order paid once.
    for (const r of accepted) {
      if (!r.ok) continue;
      const intentId = (await prisma.order.findUniqueOrThrow({ where: { id: r.summary.orderId } })).paymentIntentId!;
      const intent = await pay(intentId);
      expect(intent.status).toBe("succeeded");
      expect(intent.amount_received).toBe(r.summary.total);
      await syncOrderWithStripe(r.summary.orderId);
    }
    const paid = await prisma.order.count({ where: { items: { some: { productId: item.id } }, status: "paid" } });
    expect(paid).toBe(5);
    expect((await prisma.product.findUniqueOrThrow({ where: { id: item.id } })).stock).toBe(0);
    console.log(`inventory race: 20 checkouts for 5 units in ${elapsed} ms -> ${accepted.length} reserved, ${refused.length} refused, ${paid} paid, final stock 0`);
  });
});

describe("checkout", () => {
  it("prices the order from the database and creates an intent carrying the order in its metadata", async () => {
    const item = await product(10, 3100);
    const cartId = await cartWith([{ productId: item.id, quantity: 2 }]);
    const result = await startCheckout(cartId, { ...details, shippingMethod: "express" });
    if (!result.ok) throw new Error(result.error);
    expect(result.summary).toMatchObject({ subtotal: 6200, shippingCost: 1500, tax: 0, total: 7700, currency: "usd" });
    expect(result.clientSecret).toMatch(/^pi_.+_secret_.+$/);

    const order = await prisma.order.findUniqueOrThrow({ where: { id: result.summary.orderId } });
    const intent = await stripe().paymentIntents.retrieve(order.paymentIntentId!);
    expect(intent.amount).toBe(7700);
    expect(intent.metadata).toEqual({ order_id: order.id, order_number: order.number, cart_id: cartId });
    expect(intent.receipt_email).toBe("shopper@example.com");
    expect(intent.shipping?.address?.postal_code).toBe("94105");
    expect(intent.description).toBe(`Order ${order.number}`);
    expect((await prisma.cart.findUniqueOrThrow({ where: { id: cartId } })).paymentIntentId).toBe(intent.id);
    expect((await prisma.product.findUniqueOrThrow({ where: { id: item.id } })).stock).toBe(8);
  });

  it("a double submit creates one order and one PaymentIntent", async () => {
    const item = await product(10);
    const cartId = await cartWith([{ productId: item.id, quantity: 1 }]);
    const [a, b] = await Promise.all([startCheckout(cartId, details), startCheckout(cartId, details)]);
    if (!a?.ok || !b?.ok) throw new Error("both submits should succeed");
    expect(a.summary.orderId).toBe(b.summary.orderId);
    expect(a.clientSecret.split("_secret_")[0]).toBe(b.clientSecret.split("_secret_")[0]);
    expect(await prisma.order.count({ where: { cartId } })).toBe(1);
    expect((await prisma.product.findUniqueOrThrow({ where: { id: item.id } })).stock).toBe(9);
  });

  it("a cart changed after the intent exists updates the same intent's amount and the reservation", async () => {
    const item = await product(10, 1000);
    const cartId = await cartWith([{ productId: item.id, quantity: 1 }]);
    const first = await startCheckout(cartId, details);
    if (!first.ok) throw new Error(first.error);
    const changed = await setItemQuantity(cartId, { productId: item.id, quantity: 3 });
    expect(changed.result.ok).toBe(true);

    const check = await recheckBeforePayment(cartId, first.summary.orderId, first.summary.total);
    if (!check.ok) throw new Error(check.error);
    expect(check.changed).toBe(true);
    expect(check.summary.total).toBe(3000 + 500);
    const order = await prisma.order.findUniqueOrThrow({ where: { id: first.summary.orderId } });
    const intent = await stripe().paymentIntents.retrieve(order.paymentIntentId!);
    expect(intent.id).toBe(first.clientSecret.split("_secret_")[0]);
    expect(intent.amount).toBe(3500);
    expect((await prisma.product.findUniqueOrThrow({ where: { id: item.id } })).stock).toBe(7);

    const again = await recheckBeforePayment(cartId, first.summary.orderId, 3500);
    expect(again.ok && again.changed).toBe(false);
  });

  it("a paid cart is closed: the same cookie shows an empty cart and cannot check out again", async () => {
    const item = await product(10);
    const cartId = await cartWith([{ productId: item.id, quantity: 1 }]);
    const result = await startCheckout(cartId, details);
    if (!result.ok) throw new Error(result.error);
    const order = await prisma.order.findUniqueOrThrow({ where: { id: result.summary.orderId } });
    await pay(order.paymentIntentId!);
    const synced = await syncOrderWithStripe(order.id);
    expect(synced.status).toBe("paid");
    expect((await getCart(cartId)).lines).toEqual([]);
    expect(await startCheckout(cartId, details)).toEqual({ ok: false, error: "Your cart is empty" });
  });

  it("a shopper holding the last units in checkout still sees them as theirs in the cart", async () => {
    const item = await product(2);
    const cartId = await cartWith([{ productId: item.id, quantity: 2 }]);
    const result = await startCheckout(cartId, details);
    if (!result.ok) throw new Error(result.error);
    expect((await prisma.product.findUniqueOrThrow({ where: { id: item.id } })).stock).toBe(0);

    const view = await getCart(cartId);
    expect(view.lines[0]).toMatchObject({ quantity: 2, maxQuantity: 2, problem: null });
    expect(view.itemCount).toBe(2);
    expect((await setItemQuantity(cartId, { productId: item.id, quantity: 1 })).result.ok).toBe(true);
    const tooMany = await setItemQuantity(cartId, { productId: item.id, quantity: 3 });
    expect(tooMany.result).toEqual({ ok: false, error: `Only 2 of ${item.name} left in stock` });
    // Another shopper sees it sold out.
    expect((await getCart(await cartWith([{ productId: item.id, quantity: 1 }]))).lines[0]?.problem).toMatch(/sold out/);
  });

  it("a cart changed after its intent was paid never rewrites the paid order", async () => {
    const item = await product(10, 1000);
    const cartId = await cartWith([{ productId: item.id, quantity: 1 }]);
    const first = await startCheckout(cartId, details);
    if (!first.ok) throw new Error(first.error);
    const before = await prisma.order.findUniqueOrThrow({ where: { id: first.summary.orderId }, include: { items: true } });
    await pay(before.paymentIntentId!);
    // Before any webhook or return page closes the cart, a second tab raises the quantity and pays again.
    expect((await setItemQuantity(cartId, { productId: item.id, quantity: 4 })).result.ok).toBe(true);
    const again = await recheckBeforePayment(cartId, before.id, first.summary.total);
    expect(again).toEqual({ ok: false, error: "This order is already paid", paidOrderId: before.id });

    const after = await prisma.order.findUniqueOrThrow({ where: { id: before.id }, include: { items: true } });
    expect(after).toMatchObject({ status: "paid", total: before.total, attention: null });
    expect(after.items.map((i) => i.quantity)).toEqual([1]);
    expect((await prisma.product.findUniqueOrThrow({ where: { id: item.id } })).stock).toBe(9);
  });

  it("shoppers re-running checkout with changed carts over the same products never deadlock", async () => {
    const [a, b] = [await product(50), await product(50)];
    const carts = await Promise.all(
      Array.from({ length: 6 }, (_, i) => cartWith(i % 2 ? [{ productId: a.id, quantity: 1 }, { productId: b.id, quantity: 1 }] : [{ productId: b.id, quantity: 1 }, { productId: a.id, quantity: 1 }])),
    );
    await Promise.all(carts.map((cartId) => startCheckout(cartId, details)));
    for (let round = 2; round <= 4; round += 1) {
      await Promise.all(carts.map((cartId, i) => setItemQuantity(cartId, { productId: i % 2 ? a.id : b.id, quantity: round })));
      const results = await Promise.all(carts.map((cartId) => startCheckout(cartId, details)));
      for (const result of results) expect(result.ok ? "ok" : result.error).toBe("ok");
    }
    const held = (await prisma.product.findUniqueOrThrow({ where: { id: a.id } })).stock + (await prisma.product.findUniqueOrThrow({ where: { id: b.id } })).stock;
    // Each cart now holds 4 of one product and 1 of the other.
    expect(held).toBe(100 - 6 * 5);
  });

  it("invalid details are refused field by field and create nothing", async () => {
    const item = await product(10);
    const cartId = await cartWith([{ productId: item.id, quantity: 1 }]);
    const result = await startCheckout(cartId, { ...details, email: "not-an-email", postalCode: "ABC", country: "ZZ", shippingMethod: "teleport" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors).toEqual({
      email: "Enter a valid email address",
      country: "Choose a country we ship to",
      shippingMethod: "Choose a shipping method",
    });
    expect(await prisma.order.count({ where: { cartId } })).toBe(0);
    expect((await prisma.product.findUniqueOrThrow({ where: { id: item.id } })).stock).toBe(10);
  });

  it("an expired reservation cancels the intent and puts the stock back", async () => {
    const item = await product(4);
    const cartId = await cartWith([{ productId: item.id, quantity: 2 }]);
    const result = await startCheckout(cartId, details);
    if (!result.ok) throw new Error(result.error);
    await prisma.order.update({ where: { id: result.summary.orderId }, data: { reservedUntil: new Date(Date.now() - 1000) } });
    await releaseExpiredReservations();
    const order = await prisma.order.findUniqueOrThrow({ where: { id: result.summary.orderId } });
    expect(order.status).toBe("canceled");
    expect(order.stockReserved).toBe(false);
    expect((await stripe().paymentIntents.retrieve(order.paymentIntentId!)).status).toBe("canceled");
    expect((await prisma.product.findUniqueOrThrow({ where: { id: item.id } })).stock).toBe(4);
  });

  it("an expired reservation whose intent was already paid keeps its stock and ends paid", async () => {
    const item = await product(4);
    const cartId = await cartWith([{ productId: item.id, quantity: 2 }]);
    const result = await startCheckout(cartId, details);
    if (!result.ok) throw new Error(result.error);
    const before = await prisma.order.update({ where: { id: result.summary.orderId }, data: { reservedUntil: new Date(Date.now() - 1000) } });
    await pay(before.paymentIntentId!);
    await releaseExpiredReservations();
    const order = await prisma.order.findUniqueOrThrow({ where: { id: before.id } });
    expect(order.status).toBe("paid");
    expect((await prisma.product.findUniqueOrThrow({ where: { id: item.id } })).stock).toBe(2);
  });
});
