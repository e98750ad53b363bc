// Checkout against the real PostgreSQL and the Stripe sandbox over HTTP (see test/global-setup.ts).
import { randomBytes } from "node:crypto";
import Stripe from "stripe";
import { beforeAll, describe, expect, it } from "vitest";
import { getCart, setItemQuantity } from "@/lib/cart/store";
import { recheckBeforePayment, startCheckout } from "@/lib/checkout/start";
import { prisma } from "@/lib/db";
import { cancelOrder, refundOrder, releaseExpiredReservations, syncOrderWithStripe } from "@/lib/orders";
import { cartWith, checkoutDetails as details, testProduct as product } from "./support/catalog";

const stripe = () => {
  const base = new URL(process.env.STRIPE_API_BASE!);
  return new Stripe(process.env.STRIPE_SECRET_KEY!, { host: base.hostname, port: base.port, protocol: "http" });
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

const intentIdOf = (clientSecret: string) => clientSecret.split("_secret_")[0];
const stockOf = async (variantId: string) => (await prisma.productVariant.findUniqueOrThrow({ where: { id: variantId } })).stock;

/** Sandbox fault switches (shared by every test file running now: keep them short and put them back). */
async function setFaults(faults: { apiDelayMs: number }) {
  const response = await fetch(`${process.env.STRIPE_SANDBOX_URL}/_sandbox/faults`, { method: "POST", body: JSON.stringify(faults) });
  if (!response.ok) throw new Error(`sandbox faults: ${response.status}`);
}

async function pay(paymentIntentId: string, paymentMethod = "pm_card_visa") {
  return stripe().paymentIntents.confirm(paymentIntentId, {
    payment_method: paymentMethod,
    return_url: "http://localhost/checkout/complete",
  });
}

describe("inventory under concurrent checkouts", () => {
  it("twenty shoppers racing for five units: five are reserved and paid, fifteen hear it sold out, stock ends at zero", async () => {
    const item = await product(5);
    const carts = await Promise.all(Array.from({ length: 20 }, () => cartWith([{ variantId: item.variantId, quantity: 1 }])));

    const started = Date.now();
    const results = await Promise.all(carts.map((cartId) => startCheckout(cartId, details)));
    const elapsed = Date.now() - started;
    const accepted = results.filter((r) => r.ok);
    const refused = results.filter((r) => !r.ok);
    expect(accepted).toHaveLength(5);
    expect(refused).toHaveLength(15);
    for (const r of refused) expect(r.ok ? "ok" : r.code).toMatch(/^(sold_out|insufficient_stock)$/);
    expect(await stockOf(item.variantId)).toBe(0);

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
    expect(await stockOf(item.variantId)).toBe(0);
    console.log(
      `inventory race: 20 checkouts for 5 units in ${elapsed} ms -> ${accepted.length} reserved, ${refused.length} refused, ${paid} paid, final stock 0`,
    );
  });
});

/** A product whose "Size" has S (own price 2800) and M (the product's 2500), each with its own stock. */
async function sized(small: number, medium: number) {
  const slug = `checkout-test-${randomBytes(4).toString("hex")}`;
  const row = await prisma.product.create({
    data: {
      slug,
      name: `Sized ${slug}`,
      description: "test",
      price: 2500,
      image: "/x.svg",
      categoryId,
      options: { create: { name: "Size", values: { create: [{ value: "S" }, { value: "M", position: 1 }] } } },
    },
    include: { options: { include: { values: true } } },
  });
  const [s, m] = row.options[0]!.values;
  const variant = (value: { id: string }, sku: string, stock: number, price: number | null) =>
    prisma.productVariant.create({
      data: { productId: row.id, sku: `${slug}-${sku}`, stock, price, optionKey: value.id, values: { create: { valueId: value.id } } },
    });
  return { product: row, small: await variant(s!, "s", small, 2800), medium: await variant(m!, "m", medium, null) };
}

describe("checkout of variants", () => {
  it("prices each variant, reserves each one's own stock, and snapshots the product's name with the options", async () => {
    const { product: tee, small, medium } = await sized(3, 5);
    const cartId = await cartWith([
      { variantId: small.id, quantity: 1 },
      { variantId: medium.id, quantity: 2 },
    ]);
    const result = await startCheckout(cartId, details);
    if (!result.ok) throw new Error(result.code);
    expect(result.summary.totals.subtotal).toBe(2800 + 2 * 2500);
    expect([await stockOf(small.id), await stockOf(medium.id)]).toEqual([2, 3]);
    const items = await prisma.orderItem.findMany({ where: { orderId: result.summary.orderId }, orderBy: { unitPrice: "desc" } });
    expect(
      items.map(({ productId, variantId, name, options, unitPrice, quantity }) => ({
        productId,
        variantId,
        name,
        options,
        unitPrice,
        quantity,
      })),
    ).toEqual([
      { productId: tee.id, variantId: small.id, name: tee.name, options: "Size: S", unitPrice: 2800, quantity: 1 },
      { productId: tee.id, variantId: medium.id, name: tee.name, options: "Size: M", unitPrice: 2500, quantity: 2 },
    ]);
    // Canceling puts each variant's units back on its own shelf.
    expect(await cancelOrder(result.summary.orderId, "requested_by_customer")).toMatchObject({ ok: true });
    expect([await stockOf(small.id), await stockOf(medium.id)]).toEqual([3, 5]);
  });

  it("refuses a variant short of stock by the product's name and its options, whatever its sibling has", async () => {
    const { product: tee, small } = await sized(1, 50);
    const result = await startCheckout(await cartWith([{ variantId: small.id, quantity: 2 }]), details);
    expect(result).toMatchObject({ ok: false, code: "insufficient_stock", error: `Only 1 of ${tee.name} (Size: S) left in stock` });
    expect(await stockOf(small.id)).toBe(1);
  });

  it("refuses a retired variant of an active product", async () => {
    const { small } = await sized(5, 5);
    const cartId = await cartWith([{ variantId: small.id, quantity: 1 }]);
    await prisma.productVariant.update({ where: { id: small.id }, data: { active: false } });
    expect(await startCheckout(cartId, details)).toMatchObject({ ok: false, code: "unavailable" });
    expect(await stockOf(small.id)).toBe(5);
  });
});

describe("checkout", () => {
  it("prices the order from the database and creates an intent carrying the order in its metadata", async () => {
    const item = await product(10, 3100);
    const cartId = await cartWith([{ variantId: item.variantId, quantity: 2 }]);
    const result = await startCheckout(cartId, { ...details, shippingMethod: "express" });
    if (!result.ok) throw new Error(result.code);
    expect(result.summary).toMatchObject({ totals: { subtotal: 6200, shippingCost: 1500, tax: 0 }, total: 7700, currency: "usd" });
    expect(result.clientSecret).toMatch(/^pi_.+_secret_.+$/);

    const order = await prisma.order.findUniqueOrThrow({ where: { id: result.summary.orderId } });
    const intent = await stripe().paymentIntents.retrieve(order.paymentIntentId!);
    expect(intent.amount).toBe(7700);
    expect(intent.metadata).toEqual({ order_id: order.id, order_number: order.number, cart_id: cartId });
    expect(intent.receipt_email).toBe("shopper@example.com");
    expect(intent.shipping?.address?.postal_code).toBe("97204");
    expect(intent.description).toBe(`Order ${order.number}`);
    expect(intent.id).toBe(intentIdOf(result.clientSecret));
    expect(await stockOf(item.variantId)).toBe(8);
  });

  it("a double submit creates one order and one PaymentIntent", async () => {
    const item = await product(10);
    const cartId = await cartWith([{ variantId: item.variantId, quantity: 1 }]);
    const [a, b] = await Promise.all([startCheckout(cartId, details), startCheckout(cartId, details)]);
    if (!a?.ok || !b?.ok) throw new Error("both submits should succeed");
    expect(a.summary.orderId).toBe(b.summary.orderId);
    expect(intentIdOf(a.clientSecret)).toBe(intentIdOf(b.clientSecret));
    expect(await prisma.order.count({ where: { cartId } })).toBe(1);
    expect(await stockOf(item.variantId)).toBe(9);
  });

  it("a cart changed after the intent exists updates the same intent's amount and the reservation", async () => {
    const item = await product(10, 1000);
    const cartId = await cartWith([{ variantId: item.variantId, quantity: 1 }]);
    const first = await startCheckout(cartId, details);
    if (!first.ok) throw new Error(first.code);
    const changed = await setItemQuantity(cartId, { variantId: item.variantId, quantity: 3 });
    expect(changed.result.ok).toBe(true);

    const check = await recheckBeforePayment(cartId, first.summary.orderId, first.summary.total);
    if (!check.ok) throw new Error(check.code);
    expect(check.changed).toBe(true);
    expect(check.summary.total).toBe(3000 + 500);
    const order = await prisma.order.findUniqueOrThrow({ where: { id: first.summary.orderId } });
    const intent = await stripe().paymentIntents.retrieve(order.paymentIntentId!);
    expect(intent.id).toBe(intentIdOf(first.clientSecret));
    expect(check.clientSecret).toBe(first.clientSecret);
    expect(intent.amount).toBe(3500);
    expect(await stockOf(item.variantId)).toBe(7);

    const again = await recheckBeforePayment(cartId, first.summary.orderId, 3500);
    expect(again.ok && again.changed).toBe(false);
  });

  it("a paid cart is closed: the same cookie shows an empty cart and cannot check out again", async () => {
    const item = await product(10);
    const cartId = await cartWith([{ variantId: item.variantId, quantity: 1 }]);
    const result = await startCheckout(cartId, details);
    if (!result.ok) throw new Error(result.code);
    const order = await prisma.order.findUniqueOrThrow({ where: { id: result.summary.orderId } });
    await pay(order.paymentIntentId!);
    const synced = await syncOrderWithStripe(order.id);
    expect(synced.status).toBe("paid");
    expect((await getCart(cartId)).lines).toEqual([]);
    expect(await startCheckout(cartId, details)).toMatchObject({ ok: false, code: "cart_empty" });
  });

  it("a shopper holding the last units in checkout still sees them as theirs in the cart", async () => {
    const item = await product(2);
    const cartId = await cartWith([{ variantId: item.variantId, quantity: 2 }]);
    const result = await startCheckout(cartId, details);
    if (!result.ok) throw new Error(result.code);
    expect(await stockOf(item.variantId)).toBe(0);

    const view = await getCart(cartId);
    expect(view.lines[0]).toMatchObject({ quantity: 2, maxQuantity: 2, problem: null });
    expect(view.itemCount).toBe(2);
    expect((await setItemQuantity(cartId, { variantId: item.variantId, quantity: 1 })).result.ok).toBe(true);
    const tooMany = await setItemQuantity(cartId, { variantId: item.variantId, quantity: 3 });
    expect(tooMany.result).toMatchObject({ ok: false, code: "insufficient_stock" });
    // Another shopper sees it sold out.
    const other = (await getCart(await cartWith([{ variantId: item.variantId, quantity: 1 }]))).lines[0];
    expect(other).toMatchObject({ maxQuantity: 0, problem: expect.any(String) });
  });

  it("a cart changed after its intent was paid never rewrites the paid order", async () => {
    const item = await product(10, 1000);
    const cartId = await cartWith([{ variantId: item.variantId, quantity: 1 }]);
    const first = await startCheckout(cartId, details);
    if (!first.ok) throw new Error(first.code);
    const before = await prisma.order.findUniqueOrThrow({ where: { id: first.summary.orderId }, include: { items: true } });
    await pay(before.paymentIntentId!);
    // Before any webhook or return page closes the cart, a second tab raises the quantity and pays again.
    expect((await setItemQuantity(cartId, { variantId: item.variantId, quantity: 4 })).result.ok).toBe(true);
    const again = await recheckBeforePayment(cartId, before.id, first.summary.total);
    expect(again).toMatchObject({ ok: false, code: "already_paid", paidOrderId: before.id });

    const after = await prisma.order.findUniqueOrThrow({ where: { id: before.id }, include: { items: true } });
    expect(after).toMatchObject({ status: "paid", total: before.total, attention: null });
    expect(after.items.map((i) => i.quantity)).toEqual([1]);
    expect(await stockOf(item.variantId)).toBe(9);
  });

  it("shoppers re-running checkout with changed carts over the same products never deadlock", async () => {
    const [a, b] = [await product(50), await product(50)];
    const carts = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        cartWith(
          i % 2
            ? [
                { variantId: a.variantId, quantity: 1 },
                { variantId: b.variantId, quantity: 1 },
              ]
            : [
                { variantId: b.variantId, quantity: 1 },
                { variantId: a.variantId, quantity: 1 },
              ],
        ),
      ),
    );
    await Promise.all(carts.map((cartId) => startCheckout(cartId, details)));
    for (let round = 2; round <= 4; round += 1) {
      await Promise.all(
        carts.map((cartId, i) => setItemQuantity(cartId, { variantId: i % 2 ? a.variantId : b.variantId, quantity: round })),
      );
      const results = await Promise.all(carts.map((cartId) => startCheckout(cartId, details)));
      for (const result of results) expect(result.ok ? "ok" : result.code).toBe("ok");
    }
    const held = (await stockOf(a.variantId)) + (await stockOf(b.variantId));
    // Each cart now holds 4 of one product and 1 of the other.
    expect(held).toBe(100 - 6 * 5);
  });

  it("invalid details are refused field by field and create nothing", async () => {
    const item = await product(10);
    const cartId = await cartWith([{ variantId: item.variantId, quantity: 1 }]);
    const result = await startCheckout(cartId, {
      ...details,
      email: "not-an-email",
      postalCode: "ABC",
      country: "ZZ",
      shippingMethod: "teleport",
    });
    expect(result).toMatchObject({ ok: false, code: "invalid_fields" });
    if (result.ok) return;
    // Field by field: the form shows each message beside its field.
    // (A rate the destination is not offered is refused when the order is priced: lib/checkout/rules.test.ts.)
    expect(Object.keys(result.fieldErrors ?? {}).sort()).toEqual(["country", "email"]);
    expect(await prisma.order.count({ where: { cartId } })).toBe(0);
    expect(await stockOf(item.variantId)).toBe(10);
  });

  it("an expired reservation cancels the intent and puts the stock back", async () => {
    const item = await product(4);
    const cartId = await cartWith([{ variantId: item.variantId, quantity: 2 }]);
    const result = await startCheckout(cartId, details);
    if (!result.ok) throw new Error(result.code);
    await prisma.order.update({ where: { id: result.summary.orderId }, data: { reservedUntil: new Date(Date.now() - 1000) } });
    await releaseExpiredReservations();
    const order = await prisma.order.findUniqueOrThrow({ where: { id: result.summary.orderId } });
    expect(order.status).toBe("canceled");
    expect(order.stockReserved).toBe(false);
    expect((await stripe().paymentIntents.retrieve(order.paymentIntentId!)).status).toBe("canceled");
    expect(await stockOf(item.variantId)).toBe(4);
  });

  it("an expired reservation whose intent was already paid keeps its stock and ends paid", async () => {
    const item = await product(4);
    const cartId = await cartWith([{ variantId: item.variantId, quantity: 2 }]);
    const result = await startCheckout(cartId, details);
    if (!result.ok) throw new Error(result.code);
    // Paid first, then expired: the job queue's sweep (or another test's) may run at any moment, and must
    // find the intent paid rather than cancel it before this test pays.
    const before = await prisma.order.findUniqueOrThrow({ where: { id: result.summary.orderId } });
    await pay(before.paymentIntentId!);
    await prisma.order.update({ where: { id: before.id }, data: { reservedUntil: new Date(Date.now() - 1000) } });
    await releaseExpiredReservations();
    const order = await prisma.order.findUniqueOrThrow({ where: { id: before.id } });
    expect(order.status).toBe("paid");
    expect(await stockOf(item.variantId)).toBe(2);
  });
});

describe("checkout and Stripe", () => {
  it("changing any contact or shipping detail updates the same intent", async () => {
    const item = await product(10, 1000);
    const cartId = await cartWith([{ variantId: item.variantId, quantity: 1 }]);
    const first = await startCheckout(cartId, details);
    if (!first.ok) throw new Error(first.code);
    const changes: Array<[keyof typeof details | "line2", string, (intent: Stripe.PaymentIntent) => unknown]> = [
      ["email", "other@example.com", (i) => i.receipt_email],
      ["name", "Grace Shopper", (i) => i.shipping?.name],
      ["line1", "2 Market Street", (i) => i.shipping?.address?.line1],
      ["line2", "Suite 5", (i) => i.shipping?.address?.line2],
      ["city", "Oakland", (i) => i.shipping?.address?.city],
      ["state", "NV", (i) => i.shipping?.address?.state],
      ["postalCode", "94612", (i) => i.shipping?.address?.postal_code],
      ["country", "CA", (i) => i.shipping?.address?.country],
    ];
    let input: Record<string, string> = { ...details };
    for (const [field, value, read] of changes) {
      // Canada is shipped to at the international rate, not the US standard one.
      input = { ...input, [field]: value, ...(field === "country" ? { shippingMethod: "international" } : {}) };
      const again = await startCheckout(cartId, input);
      if (!again.ok) throw new Error(`${field}: ${again.code}`);
      expect(intentIdOf(again.clientSecret)).toBe(intentIdOf(first.clientSecret));
      expect(read(await stripe().paymentIntents.retrieve(intentIdOf(first.clientSecret)!)), field).toBe(value);
      const order = await prisma.order.findUniqueOrThrow({ where: { id: first.summary.orderId } });
      expect(order.paymentIntentId).toBe(intentIdOf(first.clientSecret));
    }
    expect(await stockOf(item.variantId)).toBe(9);
  });

  it("an order number that is already taken is drawn again, not surfaced as an error", async () => {
    const item = await product(10);
    const earlier = await startCheckout(await cartWith([{ variantId: item.variantId, quantity: 1 }]), details);
    if (!earlier.ok) throw new Error(earlier.code);
    const taken = earlier.summary.orderNumber;
    const fresh = `SF-T${randomBytes(4).toString("hex").toUpperCase()}`;
    const draws = [taken, taken, fresh];
    let drawn = 0;
    const result = await startCheckout(await cartWith([{ variantId: item.variantId, quantity: 2 }]), details, {
      newOrderNumber: () => draws[Math.min(drawn++, draws.length - 1)]!,
    });
    if (!result.ok) throw new Error(result.code);
    expect(drawn).toBe(3);
    expect(result.summary.orderNumber).toBe(fresh);
    // The refused attempts rolled back whole: the stock is reserved once per order.
    expect(await stockOf(item.variantId)).toBe(10 - 1 - 2);
    const intent = await stripe().paymentIntents.retrieve(intentIdOf(result.clientSecret)!);
    expect(intent.metadata).toMatchObject({ order_id: result.summary.orderId, order_number: fresh });
  });

  it("a pending order left without its intent (the process died before Stripe answered) is picked up by the next attempt", async () => {
    const item = await product(10);
    const cartId = await cartWith([{ variantId: item.variantId, quantity: 1 }]);
    const first = await startCheckout(cartId, details);
    if (!first.ok) throw new Error(first.code);
    // As if the intent was created but its id never saved.
    await prisma.order.update({ where: { id: first.summary.orderId }, data: { paymentIntentId: null } });
    const again = await startCheckout(cartId, details);
    if (!again.ok) throw new Error(again.code);
    expect(again.summary.orderId).toBe(first.summary.orderId);
    // Same order, same contents: the Idempotency-Key brings back the same intent rather than a second one.
    expect(intentIdOf(again.clientSecret)).toBe(intentIdOf(first.clientSecret));
    expect((await prisma.order.findUniqueOrThrow({ where: { id: first.summary.orderId } })).paymentIntentId).toBe(
      intentIdOf(first.clientSecret),
    );
    expect(await stockOf(item.variantId)).toBe(9);
  });

  it("no database lock is held while Stripe is asked: the cart can change during a slow intent update", async () => {
    const item = await product(10, 1000);
    const cartId = await cartWith([{ variantId: item.variantId, quantity: 1 }]);
    const first = await startCheckout(cartId, details);
    if (!first.ok) throw new Error(first.code);
    expect((await setItemQuantity(cartId, { variantId: item.variantId, quantity: 2 })).result.ok).toBe(true);

    await setFaults({ apiDelayMs: 1500 });
    let result;
    let waited: number;
    try {
      const slow = startCheckout(cartId, details);
      await new Promise((resolve) => setTimeout(resolve, 400));
      // The change takes the cart's row lock: it would queue behind a transaction waiting on Stripe.
      const started = Date.now();
      expect((await setItemQuantity(cartId, { variantId: item.variantId, quantity: 3 })).result.ok).toBe(true);
      waited = Date.now() - started;
      result = await slow;
    } finally {
      await setFaults({ apiDelayMs: 0 });
    }
    expect(waited).toBeLessThan(1000);
    // The checkout noticed the change in its write and went round again: order and intent both charge 3 units.
    if (!result.ok) throw new Error(result.code);
    expect(result.summary.total).toBe(3000 + 500);
    expect((await stripe().paymentIntents.retrieve(intentIdOf(first.clientSecret)!)).amount).toBe(3500);
    expect((await prisma.order.findUniqueOrThrow({ where: { id: first.summary.orderId } })).total).toBe(3500);
    expect(await stockOf(item.variantId)).toBe(7);
  });

  it("a renewed checkout: an order whose intent Stripe canceled is closed and a new order takes its place", async () => {
    const item = await product(5);
    const cartId = await cartWith([{ variantId: item.variantId, quantity: 2 }]);
    const first = await startCheckout(cartId, details);
    if (!first.ok) throw new Error(first.code);
    // Canceled at Stripe, the order not yet told (a lost webhook, or a crash after the cancel).
    await stripe().paymentIntents.cancel(intentIdOf(first.clientSecret)!);
    const check = await recheckBeforePayment(cartId, first.summary.orderId, first.summary.total);
    if (!check.ok) throw new Error(check.code);
    expect(check.changed).toBe(true);
    expect(check.summary.orderId).not.toBe(first.summary.orderId);
    expect(check.clientSecret).not.toBe(first.clientSecret);
    expect((await prisma.order.findUniqueOrThrow({ where: { id: first.summary.orderId } })).status).toBe("canceled");
    expect(await stockOf(item.variantId)).toBe(3);
  });
});

describe("staff actions on orders", () => {
  async function paidOrder(price = 2000) {
    const item = await product(10, price);
    const cartId = await cartWith([{ variantId: item.variantId, quantity: 1 }]);
    const result = await startCheckout(cartId, details);
    if (!result.ok) throw new Error(result.code);
    await pay(intentIdOf(result.clientSecret)!);
    await syncOrderWithStripe(result.summary.orderId);
    return { orderId: result.summary.orderId, item };
  }

  it("refunds what is left of a paid order, and refuses more", async () => {
    const { orderId } = await paidOrder(2000);
    expect(await refundOrder(orderId, "30.00", crypto.randomUUID())).toMatchObject({ ok: false, code: "amount_too_large" });
    expect(await refundOrder(orderId, "0", crypto.randomUUID())).toMatchObject({ ok: false, code: "invalid_input" });
    const key = crypto.randomUUID();
    const refunded = await refundOrder(orderId, "10.00", key);
    expect(refunded).toMatchObject({ ok: true, stockChanged: false });
    // The same confirmation sent twice refunds once.
    expect(await refundOrder(orderId, "10.00", key)).toMatchObject({ ok: true });
    const order = await prisma.order.findUniqueOrThrow({ where: { id: orderId } });
    const refunds = await stripe().refunds.list({ payment_intent: order.paymentIntentId! });
    expect(refunds.data.map((r) => r.amount)).toEqual([1000]);
  });

  it("refuses to refund an unpaid order or to cancel a paid one", async () => {
    const item = await product(10);
    const cartId = await cartWith([{ variantId: item.variantId, quantity: 1 }]);
    const pending = await startCheckout(cartId, details);
    if (!pending.ok) throw new Error(pending.code);
    expect(await refundOrder(pending.summary.orderId, "1", crypto.randomUUID())).toMatchObject({ ok: false, code: "not_refundable" });
    expect(await refundOrder("no-such-order", "1", crypto.randomUUID())).toMatchObject({ ok: false, code: "not_found" });

    const { orderId } = await paidOrder();
    expect(await cancelOrder(orderId, "requested_by_customer")).toMatchObject({ ok: false, code: "not_cancelable" });
    expect(await cancelOrder("no-such-order", "requested_by_customer")).toMatchObject({ ok: false, code: "not_found" });
  });

  it("cancels an unpaid order: its intent at Stripe first, then the order and its reservation", async () => {
    const item = await product(4);
    const cartId = await cartWith([{ variantId: item.variantId, quantity: 3 }]);
    const result = await startCheckout(cartId, details);
    if (!result.ok) throw new Error(result.code);
    expect(await cancelOrder(result.summary.orderId, "requested_by_customer")).toMatchObject({ ok: true, stockChanged: true });
    expect((await stripe().paymentIntents.retrieve(intentIdOf(result.clientSecret)!)).status).toBe("canceled");
    expect((await prisma.order.findUniqueOrThrow({ where: { id: result.summary.orderId } })).status).toBe("canceled");
    expect(await stockOf(item.variantId)).toBe(4);
  });

  it("an intent paid before the cancel reached Stripe keeps the order: it ends paid, and the cancel is refused", async () => {
    const item = await product(4);
    const cartId = await cartWith([{ variantId: item.variantId, quantity: 1 }]);
    const result = await startCheckout(cartId, details);
    if (!result.ok) throw new Error(result.code);
    await pay(intentIdOf(result.clientSecret)!);
    expect(await cancelOrder(result.summary.orderId, "requested_by_customer")).toMatchObject({ ok: false, code: "not_cancelable" });
    expect((await prisma.order.findUniqueOrThrow({ where: { id: result.summary.orderId } })).status).toBe("paid");
    expect(await stockOf(item.variantId)).toBe(3);
  });
});
