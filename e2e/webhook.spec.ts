import { randomBytes } from "node:crypto";
import { expect, test, type APIRequestContext } from "./support/test";
import Stripe from "stripe";
import { stripeEvent } from "../test/support/stripe-event";
import { sql } from "./support/db";

// The webhook route over HTTP with signed payloads, checked against the database: signatures, duplicates,
// order of arrival, amount checks and a database failure followed by Stripe's retry.

const secret = () => {
  const value = process.env.STRIPE_WEBHOOK_SECRET;
  if (!value) throw new Error("STRIPE_WEBHOOK_SECRET must be set (npm test sets it)");
  return value;
};
const stripe = new Stripe("sk_test_signing_only");
const id = (prefix: string) => `${prefix}_${randomBytes(10).toString("hex")}`;

type TestOrder = { orderId: string; intentId: string; cartId: string };

async function createOrder(total = 2500): Promise<TestOrder> {
  const cartId = randomBytes(32).toString("base64url");
  const orderId = id("ord");
  const intentId = id("pi");
  await sql(`INSERT INTO "Cart" (id, "updatedAt") VALUES ($1, now())`, [cartId]);
  await sql(
    `INSERT INTO "Order" (id, number, "cartId", email, "shippingName", "shippingLine1", "shippingCity", "shippingPostalCode",
       "shippingCountry", "shippingMethod", currency, subtotal, "shippingCost", total, "paymentIntentId", "updatedAt")
     VALUES ($1, $2, $3, 'hook@example.com', 'Hook Test', '1 Main St', 'Town', '94105', 'US', 'standard', 'usd', $4, 0, $4, $5, now())`,
    [orderId, `T-${randomBytes(4).toString("hex").toUpperCase()}`, cartId, total, intentId],
  );
  return { orderId, intentId, cartId };
}

const event = (type: string, object: Record<string, unknown>) => stripeEvent(id("evt"), type, object);

function intentEvent(
  type: string,
  order: TestOrder,
  intent: { status: string; amount_received: number; currency?: string; failure?: string },
) {
  return event(type, {
    id: order.intentId,
    object: "payment_intent",
    status: intent.status,
    amount: 2500,
    amount_received: intent.amount_received,
    currency: intent.currency ?? "usd",
    metadata: { order_id: order.orderId },
    last_payment_error: intent.failure ? { message: intent.failure } : null,
  });
}

function chargeEvent(type: string, order: TestOrder, amountRefunded: number, amountCaptured = 2500) {
  return event(type, {
    id: id("ch"),
    object: "charge",
    payment_intent: order.intentId,
    paid: true,
    captured: true,
    amount_captured: amountCaptured,
    amount_refunded: amountRefunded,
    currency: "usd",
    metadata: {},
  });
}

async function deliver(request: APIRequestContext, body: object, options: { timestamp?: number; signature?: string } = {}) {
  const payload = JSON.stringify(body);
  const header = options.signature ?? stripe.webhooks.generateTestHeaderString({ payload, secret: secret(), timestamp: options.timestamp });
  return request.post("/api/webhooks/stripe", {
    data: payload,
    headers: { "Content-Type": "application/json", "Stripe-Signature": header },
  });
}

async function orderState(orderId: string) {
  const [row] = await sql<{
    status: string;
    paidAt: Date | null;
    amountRefunded: number;
    attention: string | null;
    failedAttempts: number;
  }>(`SELECT status, "paidAt", "amountRefunded", attention, "failedAttempts" FROM "Order" WHERE id = $1`, [orderId]);
  return row!;
}

const recorded = async (eventId: string) => (await sql(`SELECT 1 FROM "StripeEvent" WHERE id = $1`, [eventId])).length;

test("a forged, a missing or a stale signature is refused with 400 and changes nothing", async ({ request }) => {
  const order = await createOrder();
  const succeeded = intentEvent("payment_intent.succeeded", order, { status: "succeeded", amount_received: 2500 });
  const forged = await deliver(request, succeeded, {
    signature: stripe.webhooks.generateTestHeaderString({ payload: JSON.stringify(succeeded), secret: "whsec_not_the_shops_secret" }),
  });
  expect(forged.status()).toBe(400);
  const missing = await request.post("/api/webhooks/stripe", {
    data: JSON.stringify(succeeded),
    headers: { "Content-Type": "application/json" },
  });
  expect(missing.status()).toBe(400);
  const stale = await deliver(request, succeeded, { timestamp: Math.floor(Date.now() / 1000) - 600 });
  expect(stale.status()).toBe(400);
  expect(await stale.json()).toMatchObject({ error: expect.stringMatching(/tolerance/i) });
  // A body altered after signing fails too: the signature covers the exact bytes.
  const header = stripe.webhooks.generateTestHeaderString({ payload: JSON.stringify(succeeded), secret: secret() });
  const tampered = await request.post("/api/webhooks/stripe", {
    data: JSON.stringify(succeeded).replace('"amount_received":2500', '"amount_received":1'),
    headers: { "Content-Type": "application/json", "Stripe-Signature": header },
  });
  expect(tampered.status()).toBe(400);

  expect(await recorded(succeeded.id)).toBe(0);
  expect((await orderState(order.orderId)).status).toBe("pending");
});

test("an oversized body is refused before it is parsed", async ({ request }) => {
  const response = await request.post("/api/webhooks/stripe", {
    data: "x".repeat(300 * 1024),
    headers: { "Content-Type": "application/json", "Stripe-Signature": "t=1,v1=00" },
  });
  expect(response.status()).toBe(413);
});

test("a signed event of an unexpected shape is refused with 422 and not recorded", async ({ request }) => {
  const order = await createOrder();
  const malformed = event("payment_intent.succeeded", { id: order.intentId, object: "payment_intent", status: "succeeded" });
  const response = await deliver(request, malformed);
  expect(response.status()).toBe(422);
  expect(await recorded(malformed.id)).toBe(0);
  expect((await orderState(order.orderId)).status).toBe("pending");
});

test("the same event delivered twice pays the order once", async ({ request }) => {
  const order = await createOrder();
  const succeeded = intentEvent("payment_intent.succeeded", order, { status: "succeeded", amount_received: 2500 });
  const first = await deliver(request, succeeded);
  expect(first.status()).toBe(200);
  expect(await first.json()).toMatchObject({ duplicate: false, outcome: "paid" });
  const paidAt = (await orderState(order.orderId)).paidAt;
  const second = await deliver(request, succeeded);
  expect(second.status()).toBe(200);
  expect(await second.json()).toMatchObject({ duplicate: true });
  const state = await orderState(order.orderId);
  expect(state.status).toBe("paid");
  expect(state.paidAt?.getTime()).toBe(paidAt?.getTime());
  expect(await recorded(succeeded.id)).toBe(1);
  const [cart] = await sql<{ status: string }>(`SELECT status FROM "Cart" WHERE id = $1`, [order.cartId]);
  expect(cart?.status).toBe("checked_out");
});

test("events arriving out of order end in the same state as in order", async ({ request }) => {
  const order = await createOrder();
  // A refund arrives first, then the success, then a stale "processing" and a stale failure.
  expect((await deliver(request, chargeEvent("charge.refunded", order, 700))).status()).toBe(200);
  expect(
    (await deliver(request, intentEvent("payment_intent.succeeded", order, { status: "succeeded", amount_received: 2500 }))).status(),
  ).toBe(200);
  expect(
    (await deliver(request, intentEvent("payment_intent.processing", order, { status: "processing", amount_received: 0 }))).status(),
  ).toBe(200);
  expect(
    (
      await deliver(
        request,
        intentEvent("payment_intent.payment_failed", order, {
          status: "requires_payment_method",
          amount_received: 0,
          failure: "Your card was declined.",
        }),
      )
    ).status(),
  ).toBe(200);
  // An older refund snapshot (smaller total) after a newer one changes nothing either.
  expect((await deliver(request, chargeEvent("charge.refunded", order, 300))).status()).toBe(200);

  const state = await orderState(order.orderId);
  expect(state).toMatchObject({ status: "partially_refunded", amountRefunded: 700, failedAttempts: 0 });
  expect(state.paidAt).not.toBeNull();
});

test("a payment whose amount differs from the order is flagged for the admin, not accepted", async ({ request }) => {
  const order = await createOrder(2500);
  const response = await deliver(request, intentEvent("payment_intent.succeeded", order, { status: "succeeded", amount_received: 1900 }));
  expect(response.status()).toBe(200);
  const state = await orderState(order.orderId);
  expect(state.status).toBe("pending");
  expect(state.attention).toMatch(/Stripe received 1900 usd, the order total is 2500 usd/);
});

test("a database failure answers 500 without half-applying, and Stripe's retry then applies it once", async ({ request }) => {
  const order = await createOrder();
  const succeeded = intentEvent("payment_intent.succeeded", order, { status: "succeeded", amount_received: 2500 });
  const fn = `fail_${randomBytes(4).toString("hex")}`;
  // A trigger makes the order update fail for this order only, after the event row was inserted.
  await sql(`CREATE FUNCTION ${fn}() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'simulated outage'; END $$ LANGUAGE plpgsql`);
  await sql(`CREATE TRIGGER ${fn} BEFORE UPDATE ON "Order" FOR EACH ROW WHEN (OLD.id = '${order.orderId}') EXECUTE FUNCTION ${fn}()`);
  try {
    const failed = await deliver(request, succeeded);
    expect(failed.status()).toBe(500);
    expect(await recorded(succeeded.id)).toBe(0);
    expect((await orderState(order.orderId)).status).toBe("pending");
  } finally {
    await sql(`DROP TRIGGER ${fn} ON "Order"`);
    await sql(`DROP FUNCTION ${fn}()`);
  }
  const retried = await deliver(request, succeeded);
  expect(retried.status()).toBe(200);
  expect((await orderState(order.orderId)).status).toBe("paid");
  expect(await recorded(succeeded.id)).toBe(1);
});

test("events the shop does not handle, or for intents that are not its own, are acknowledged", async ({ request }) => {
  const unknown = await deliver(request, event("customer.created", { id: "cus_1", object: "customer" }));
  expect(unknown.status()).toBe(200);
  const stranger = { orderId: "not-ours", intentId: id("pi"), cartId: "" };
  const foreign = await deliver(request, intentEvent("payment_intent.succeeded", stranger, { status: "succeeded", amount_received: 100 }));
  expect(foreign.status()).toBe(200);
  expect(await foreign.json()).toMatchObject({ outcome: "no matching order" });
});
