import { randomBytes } from "node:crypto";
import { expect, test, type APIRequestContext } from "./support/test";
import Stripe from "stripe";
import { stripeEvent } from "../test/support/stripe-event";
import { eventually, sql } from "./support/db";

// The webhook route over HTTP with signed payloads, checked against the database: signatures, duplicates,
// order of arrival, amount checks, and failures both recording an event (Stripe retries) and applying it (the
// inbox retries). The route records each event and answers; the server's background drain applies it, so
// every check of an effect first waits until the event is applied.

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

type EventRow = { outcome: string | null; processedAt: Date | null; failedAttempts: number; lastError: string | null };
const eventRow = async (eventId: string) =>
  (await sql<EventRow>(`SELECT outcome, "processedAt", "failedAttempts", "lastError" FROM "StripeEvent" WHERE id = $1`, [eventId]))[0];

/** Waits until the webhook inbox has applied the event; returns what it did. */
const applied = (eventId: string) => eventually(async () => ((await eventRow(eventId))?.processedAt ? eventRow(eventId) : undefined));

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
  expect(await first.json()).toEqual({ received: true, duplicate: false });
  expect(await applied(succeeded.id)).toMatchObject({ outcome: "paid" });
  const paidAt = (await orderState(order.orderId)).paidAt;
  const second = await deliver(request, succeeded);
  expect(second.status()).toBe(200);
  expect(await second.json()).toEqual({ received: true, duplicate: true });
  const state = await orderState(order.orderId);
  expect(state.status).toBe("paid");
  expect(state.paidAt?.getTime()).toBe(paidAt?.getTime());
  expect(await recorded(succeeded.id)).toBe(1);
  const [cart] = await sql<{ status: string }>(`SELECT status FROM "Cart" WHERE id = $1`, [order.cartId]);
  expect(cart?.status).toBe("checked_out");
});

test("events arriving out of order end in the same state as in order", async ({ request }) => {
  const order = await createOrder();
  const events = [
    // A refund arrives first, then the success, then a stale "processing" and a stale failure.
    chargeEvent("charge.refunded", order, 700),
    intentEvent("payment_intent.succeeded", order, { status: "succeeded", amount_received: 2500 }),
    intentEvent("payment_intent.processing", order, { status: "processing", amount_received: 0 }),
    intentEvent("payment_intent.payment_failed", order, {
      status: "requires_payment_method",
      amount_received: 0,
      failure: "Your card was declined.",
    }),
    // An older refund snapshot (smaller total) after a newer one changes nothing either.
    chargeEvent("charge.refunded", order, 300),
  ];
  for (const event of events) expect((await deliver(request, event)).status()).toBe(200);
  for (const event of events) await applied(event.id);

  const state = await orderState(order.orderId);
  expect(state).toMatchObject({ status: "partially_refunded", amountRefunded: 700, failedAttempts: 0 });
  expect(state.paidAt).not.toBeNull();
});

test("a payment whose amount differs from the order is flagged for the admin, not accepted", async ({ request }) => {
  const order = await createOrder(2500);
  const mismatch = intentEvent("payment_intent.succeeded", order, { status: "succeeded", amount_received: 1900 });
  expect((await deliver(request, mismatch)).status()).toBe(200);
  await applied(mismatch.id);
  const state = await orderState(order.orderId);
  expect(state.status).toBe("pending");
  expect(state.attention).toMatch(/Stripe received 1900 usd, the order total is 2500 usd/);
});

/** Makes `statement` fail with "simulated outage" for the rows `when` selects, until the returned drop runs. */
async function failing(table: string, statement: "INSERT" | "UPDATE", when: string): Promise<() => Promise<void>> {
  const fn = `fail_${randomBytes(4).toString("hex")}`;
  await sql(`CREATE FUNCTION ${fn}() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'simulated outage'; END $$ LANGUAGE plpgsql`);
  await sql(`CREATE TRIGGER ${fn} BEFORE ${statement} ON "${table}" FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION ${fn}()`);
  return async () => {
    await sql(`DROP TRIGGER ${fn} ON "${table}"`);
    await sql(`DROP FUNCTION ${fn}()`);
  };
}

test("a database failure while recording answers 500 and records nothing, and Stripe's retry is recorded and applied once", async ({
  request,
}) => {
  const order = await createOrder();
  const succeeded = intentEvent("payment_intent.succeeded", order, { status: "succeeded", amount_received: 2500 });
  const drop = await failing("StripeEvent", "INSERT", `NEW.id = '${succeeded.id}'`);
  try {
    const failed = await deliver(request, succeeded);
    expect(failed.status()).toBe(500);
    expect(await recorded(succeeded.id)).toBe(0);
    expect((await orderState(order.orderId)).status).toBe("pending");
  } finally {
    await drop();
  }
  const retried = await deliver(request, succeeded);
  expect(retried.status()).toBe(200);
  expect(await applied(succeeded.id)).toMatchObject({ outcome: "paid" });
  expect((await orderState(order.orderId)).status).toBe("paid");
  expect(await recorded(succeeded.id)).toBe(1);
});

test("a failure while applying leaves the event recorded with its error, and the inbox's retry applies it once", async ({ request }) => {
  const order = await createOrder();
  const succeeded = intentEvent("payment_intent.succeeded", order, { status: "succeeded", amount_received: 2500 });
  // The order update fails for this order only, after the event was recorded and answered.
  const drop = await failing("Order", "UPDATE", `OLD.id = '${order.orderId}'`);
  try {
    expect((await deliver(request, succeeded)).status()).toBe(200);
    const failed = await eventually(async () => {
      const row = await eventRow(succeeded.id);
      return row && row.failedAttempts > 0 ? row : undefined;
    });
    expect(failed).toMatchObject({ processedAt: null, lastError: expect.stringMatching(/simulated outage/) });
    expect((await orderState(order.orderId)).status).toBe("pending");
  } finally {
    await drop();
  }
  expect(await applied(succeeded.id)).toMatchObject({ outcome: "paid" });
  expect((await orderState(order.orderId)).status).toBe("paid");
});

test("events the shop does not handle, or for intents that are not its own, are acknowledged", async ({ request }) => {
  const unknown = await deliver(request, event("customer.created", { id: "cus_1", object: "customer" }));
  expect(unknown.status()).toBe(200);
  const stranger = { orderId: "not-ours", intentId: id("pi"), cartId: "" };
  const foreignEvent = intentEvent("payment_intent.succeeded", stranger, { status: "succeeded", amount_received: 100 });
  const foreign = await deliver(request, foreignEvent);
  expect(foreign.status()).toBe(200);
  expect(await applied(foreignEvent.id)).toMatchObject({ outcome: "no matching order" });
});
