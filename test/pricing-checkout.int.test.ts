// Discount codes, shipping rates and taxes through the real checkout, against the real PostgreSQL, the Stripe
// sandbox over HTTP and the webhook route with its inbox: the PaymentIntent charges the engine's total, the
// webhook accepts exactly that total and flags anything else, and a code's usage limit holds when 50 shoppers
// race for its last 10 uses.
import { randomBytes } from "node:crypto";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { quoteCheckout, startCheckout } from "@/lib/checkout/start";
import { prisma } from "@/lib/db";
import { releaseExpiredReservations, syncOrderWithStripe } from "@/lib/orders";
import { drainWebhookInbox } from "@/lib/payments/inbox";
import { cartWith, checkoutDetails, testProduct } from "./support/catalog";
import { stripeEvent } from "./support/stripe-event";
import { postWebhook } from "./support/webhook";

const stripe = () => {
  const base = new URL(process.env.STRIPE_API_BASE!);
  return new Stripe(process.env.STRIPE_SECRET_KEY!, { host: base.hostname, port: base.port, protocol: "http" });
};
const suffix = () => randomBytes(4).toString("hex");

/** A California address: 7.25% sales tax on goods in the demo configuration, shipping untaxed. */
const california = { ...checkoutDetails, line1: "1 Market Street", city: "San Francisco", state: "CA", postalCode: "94105" };

async function pay(paymentIntentId: string) {
  return stripe().paymentIntents.confirm(paymentIntentId, {
    payment_method: "pm_card_visa",
    return_url: "http://localhost/checkout/complete",
  });
}

/** Posts the intent to the webhook route as Stripe would (signed), as succeeded with `amountReceived`, then drains the inbox. */
async function deliverSucceeded(intent: Stripe.PaymentIntent, amountReceived: number) {
  const event = stripeEvent(`evt_${randomBytes(10).toString("hex")}`, "payment_intent.succeeded", {
    ...intent,
    status: "succeeded",
    amount: amountReceived,
    amount_received: amountReceived,
  });
  const response = await postWebhook(event);
  expect(response.status).toBe(200);
  await drainWebhookInbox();
}

async function discountCode(fields: { usageLimit?: number; value?: number } = {}) {
  return prisma.discountCode.create({
    data: {
      code: `RACE-${suffix()}`.toUpperCase(),
      kind: "percentage",
      value: fields.value ?? 2000,
      usageLimit: fields.usageLimit ?? null,
    },
  });
}

describe("a discounted, taxed order through checkout and the webhook", () => {
  it("charges the engine's total, records the code on the intent, and the webhook accepts exactly that total", async () => {
    const item = await testProduct(20, 2500);
    // 3 × 25.00 = 75.00; WELCOME10 takes 7.50; 67.50 is under the 75.00 free-shipping threshold, so 5.00 ships it.
    const cartId = await cartWith([{ variantId: item.variantId, quantity: 3 }]);
    const started = await startCheckout(cartId, { ...california, discountCode: "welcome10" });
    if (!started.ok) throw new Error(started.code);
    // Tax: 7.25% of 67.50 = 4.89375 → 4.89 (shipping is not taxed in the US zone).
    const expected = { subtotal: 7500, discount: 750, shippingCost: 500, tax: 489, total: 6750 + 489 + 500 };
    expect(started.summary.totals).toMatchObject({ ...expected, discountCode: "WELCOME10" });
    expect(started.summary.totals.taxLines).toEqual([{ name: "California sales tax", rate: 725, amount: 489 }]);

    const order = await prisma.order.findUniqueOrThrow({ where: { id: started.summary.orderId }, include: { items: true } });
    expect(order).toMatchObject({ ...expected, discountCode: "WELCOME10", shippingRateId: "standard", shippingState: "CA" });
    expect(order.items.map(({ discount, tax }) => ({ discount, tax }))).toEqual([{ discount: 750, tax: 489 }]);
    const intent = await stripe().paymentIntents.retrieve(order.paymentIntentId!);
    expect(intent.amount).toBe(expected.total);
    expect(intent.metadata.discount_code).toBe("WELCOME10");

    const paid = await pay(intent.id);
    expect(paid.amount_received).toBe(expected.total);
    await deliverSucceeded(paid, expected.total);
    const after = await prisma.order.findUniqueOrThrow({ where: { id: order.id }, include: { discountUse: true } });
    expect(after).toMatchObject({ status: "paid", attention: null });
    expect(after.discountUse).toMatchObject({ paid: true, email: "shopper@example.com" });
  });

  it("flags a payment of the undiscounted, the untaxed or any other amount instead of marking the order paid", async () => {
    const item = await testProduct(20, 2500);
    const wrongAmounts = { undiscounted: 7500 + 544 + 0, untaxed: 6750 + 500, oneCentMore: 6750 + 489 + 500 + 1 };
    for (const [label, amount] of Object.entries(wrongAmounts)) {
      const cartId = await cartWith([{ variantId: item.variantId, quantity: 3 }]);
      const started = await startCheckout(cartId, { ...california, discountCode: "WELCOME10" });
      if (!started.ok) throw new Error(started.code);
      const order = await prisma.order.findUniqueOrThrow({ where: { id: started.summary.orderId } });
      const intent = await stripe().paymentIntents.retrieve(order.paymentIntentId!);
      await deliverSucceeded(intent, amount);
      const state = await prisma.order.findUniqueOrThrow({ where: { id: order.id }, include: { discountUse: true } });
      expect(state.status, label).toBe("pending");
      expect(state.attention, label).toContain(`Stripe received ${amount} usd, the order total is ${order.total} usd`);
      expect(state.discountUse?.paid, label).toBe(false);
    }
  });
});

describe("a code's usage limit under concurrency", () => {
  it("50 shoppers racing for a code with 10 uses left: exactly 10 checkouts get it, and exactly 10 paid orders use it", async () => {
    const code = await discountCode({ usageLimit: 10 });
    const item = await testProduct(100, 1000);
    const carts = await Promise.all(Array.from({ length: 50 }, () => cartWith([{ variantId: item.variantId, quantity: 1 }])));
    const results = await Promise.all(
      carts.map((cartId, index) =>
        startCheckout(cartId, { ...checkoutDetails, email: `racer${index}@example.com`, discountCode: code.code }),
      ),
    );
    const withCode = results.filter((result) => result.ok);
    const refused = results.filter((result) => !result.ok);
    expect(withCode).toHaveLength(10);
    for (const result of refused) {
      expect(result).toMatchObject({
        code: "code_not_applicable",
        fieldErrors: { discountCode: `The code ${code.code} has been used as many times as it can be.` },
      });
    }
    // Nothing of a refused checkout was written: no order, no reservation.
    expect(await prisma.order.count({ where: { cartId: { in: carts }, status: "pending" } })).toBe(10);
    expect((await prisma.productVariant.findUniqueOrThrow({ where: { id: item.variantId } })).stock).toBe(90);

    for (const result of withCode) {
      if (!result.ok) continue;
      expect(result.summary.totals).toMatchObject({ discount: 200, discountCode: code.code });
      const order = await prisma.order.findUniqueOrThrow({ where: { id: result.summary.orderId } });
      await pay(order.paymentIntentId!);
      await syncOrderWithStripe(order.id);
    }
    const uses = await prisma.discountUse.findMany({ where: { codeId: code.id }, include: { order: { select: { status: true } } } });
    expect(uses.filter((use) => use.paid && use.order.status === "paid")).toHaveLength(10);
    // Used up for good: the 51st shopper hears so when applying it (the quote) and when placing the order.
    const lateCart = await cartWith([{ variantId: item.variantId, quantity: 1 }]);
    const usedUp = { code: "code_not_applicable", error: `The code ${code.code} has been used as many times as it can be.` };
    expect(await quoteCheckout(lateCart, { country: "US", state: "OR", discountCode: code.code.toLowerCase() })).toMatchObject(usedUp);
    expect(await startCheckout(lateCart, { ...checkoutDetails, discountCode: code.code })).toMatchObject(usedUp);
  });

  it("an expired reservation frees its use for the next shopper; a checkout without the code gives its use back", async () => {
    const code = await discountCode({ usageLimit: 1 });
    const item = await testProduct(10, 1000);
    const first = await startCheckout(await cartWith([{ variantId: item.variantId, quantity: 1 }]), {
      ...checkoutDetails,
      discountCode: code.code,
    });
    if (!first.ok) throw new Error(first.code);
    const secondCart = await cartWith([{ variantId: item.variantId, quantity: 1 }]);
    expect(await startCheckout(secondCart, { ...checkoutDetails, discountCode: code.code })).toMatchObject({ code: "code_not_applicable" });

    // The first shopper's reservation runs out: the sweep cancels the order, and its use no longer counts.
    await prisma.order.update({ where: { id: first.summary.orderId }, data: { reservedUntil: new Date(Date.now() - 1000) } });
    await releaseExpiredReservations();
    expect((await prisma.order.findUniqueOrThrow({ where: { id: first.summary.orderId } })).status).toBe("canceled");
    const second = await startCheckout(secondCart, { ...checkoutDetails, discountCode: code.code });
    if (!second.ok) throw new Error(second.code);
    // Back at the form with the code's only use, this shopper's own order does not count against them.
    expect(await quoteCheckout(secondCart, { country: "US", state: "OR", discountCode: code.code })).toMatchObject({ ok: true });
    expect(second.summary.totals.discountCode).toBe(code.code);

    // The second shopper takes the code off again: the use goes, and a third shopper can have it.
    const without = await startCheckout(secondCart, { ...checkoutDetails, discountCode: "" });
    if (!without.ok) throw new Error(without.code);
    expect(without.summary.totals).toMatchObject({ discount: 0, discountCode: null });
    expect(await prisma.discountUse.count({ where: { orderId: second.summary.orderId } })).toBe(0);
    const third = await startCheckout(await cartWith([{ variantId: item.variantId, quantity: 1 }]), {
      ...checkoutDetails,
      discountCode: code.code,
    });
    expect(third.ok).toBe(true);
  });
});

describe("the destination decides the rates and the taxes", () => {
  it("quotes California, Oregon, Germany and Brazil differently for the same cart, before any order exists", async () => {
    const item = await testProduct(10, 4000);
    const cartId = await cartWith([{ variantId: item.variantId, quantity: 1 }]);
    const ca = await quoteCheckout(cartId, { country: "US", state: "CA" });
    const or = await quoteCheckout(cartId, { country: "US", state: "or" });
    const de = await quoteCheckout(cartId, { country: "DE" });
    const br = await quoteCheckout(cartId, { country: "BR" });
    if (!ca.ok || !or.ok || !de.ok) throw new Error("a quote was refused");
    expect(ca.rates.map((rate) => rate.rateId)).toEqual(["standard", "express"]);
    expect(ca.totals).toMatchObject({ shippingCost: 500, tax: 290, total: 4000 + 290 + 500 });
    expect(or.totals).toMatchObject({ shippingCost: 500, tax: 0, total: 4500 });
    // Germany: weight-bracket international shipping, 19% VAT on the goods and on shipping.
    expect(de.rates.map((rate) => rate.rateId)).toEqual(["eu-standard"]);
    const deTax = Math.round((4000 * 1900) / 10000) + Math.round((de.totals.shippingCost * 1900) / 10000);
    expect(de.totals).toMatchObject({ tax: deTax, total: 4000 + de.totals.shippingCost + deTax });
    expect(de.totals.taxLines).toEqual([{ name: "German VAT", rate: 1900, amount: deTax }]);
    expect(br).toMatchObject({ ok: false, code: "not_shipped", error: "Sorry, we do not ship to Brazil." });
    expect(await prisma.order.count({ where: { cartId } })).toBe(0);

    // Checkout itself refuses Brazil with the same sentence, and writes nothing.
    const refused = await startCheckout(cartId, {
      ...checkoutDetails,
      country: "BR",
      state: "",
      postalCode: "01310-100",
      shippingMethod: "international",
    });
    expect(refused).toMatchObject({ ok: false, code: "not_shipped", fieldErrors: { country: "We do not ship to Brazil" } });
    expect(await prisma.order.count({ where: { cartId } })).toBe(0);
  });
});
