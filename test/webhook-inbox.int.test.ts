// Stripe's webhooks through the inbox, against the real PostgreSQL: the route (signed requests to its POST
// handler) records each event once and answers; the drain applies it exactly once, also with two drains
// racing, and a failing event neither blocks the others nor gets lost.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { orderDetail } from "@/lib/admin/orders";
import { prisma } from "@/lib/db";
import { drainWebhookInbox, startWebhookInbox, stopWebhookInbox, waitForWebhookInbox, webhookInboxBacklog } from "@/lib/payments/inbox";
import { insertOrder } from "./support/orders";
import { stripeEvent } from "./support/stripe-event";
import { postWebhook, signatureFor } from "./support/webhook";

const id = (prefix: string) => `${prefix}_${randomBytes(10).toString("hex")}`;

type TestOrder = { orderId: string; number: string; intentId: string; cartId: string };

async function createOrder(fields: { total?: number; stockReserved?: boolean } = {}): Promise<TestOrder> {
  const intentId = id("pi");
  const order = await insertOrder({ total: fields.total ?? 2500, paymentIntentId: intentId, stockReserved: fields.stockReserved ?? false });
  return { orderId: order.id, number: order.number, intentId, cartId: order.cartId };
}

type Event = ReturnType<typeof stripeEvent>;

function intentEvent(type: string, order: TestOrder, intent: { status: string; amountReceived?: number; failure?: string }): Event {
  return stripeEvent(id("evt"), type, {
    id: order.intentId,
    object: "payment_intent",
    status: intent.status,
    amount: 2500,
    amount_received: intent.amountReceived ?? 0,
    currency: "usd",
    metadata: { order_id: order.orderId },
    last_payment_error: intent.failure ? { message: intent.failure } : null,
  });
}

const succeeded = (order: TestOrder) => intentEvent("payment_intent.succeeded", order, { status: "succeeded", amountReceived: 2500 });
const failed = (order: TestOrder) =>
  intentEvent("payment_intent.payment_failed", order, { status: "requires_payment_method", failure: "Your card was declined." });

function refunded(order: TestOrder, amountRefunded: number): Event {
  return stripeEvent(id("evt"), "charge.refunded", {
    id: id("ch"),
    object: "charge",
    payment_intent: order.intentId,
    paid: true,
    captured: true,
    amount_captured: 2500,
    amount_refunded: amountRefunded,
    currency: "usd",
    metadata: {},
  });
}

/** Posts the event to the route as Stripe would: signed afresh on every delivery. */
const deliver = postWebhook;

async function deliverOk(event: object): Promise<{ received: boolean; duplicate: boolean }> {
  const response = await deliver(event);
  expect(response.status).toBe(200);
  return (await response.json()) as { received: boolean; duplicate: boolean };
}

/**
 * Delivers one after the other, as Stripe does for one intent. The inbox keeps arrival order to the
 * millisecond of receivedAt (the same millisecond falls back to id order), and a delivery here can take less.
 */
async function deliverInOrder(events: object[]): Promise<void> {
  for (const event of events) {
    await deliverOk(event);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const orderState = (orderId: string) =>
  prisma.order.findUniqueOrThrow({
    where: { id: orderId },
    select: { status: true, paidAt: true, amountRefunded: true, failedAttempts: true, attention: true, stockReserved: true },
  });
const eventRow = (eventId: string) => prisma.stripeEvent.findUnique({ where: { id: eventId } });

/** Makes updates of one order fail (for instance only those that would mark it paid) until the returned drop runs. */
async function failOrderUpdates(orderId: string, when = "true"): Promise<() => Promise<void>> {
  const fn = `fail_${randomBytes(4).toString("hex")}`;
  await prisma.$executeRawUnsafe(
    `CREATE FUNCTION ${fn}() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'simulated failure'; END $$ LANGUAGE plpgsql`,
  );
  await prisma.$executeRawUnsafe(
    `CREATE TRIGGER ${fn} BEFORE UPDATE ON "Order" FOR EACH ROW WHEN (OLD.id = '${orderId}' AND ${when}) EXECUTE FUNCTION ${fn}()`,
  );
  return async () => {
    await prisma.$executeRawUnsafe(`DROP TRIGGER ${fn} ON "Order"`);
    await prisma.$executeRawUnsafe(`DROP FUNCTION ${fn}()`);
  };
}

afterEach(async () => {
  // Each test leaves the inbox empty, so the next one's drains see only its own events.
  const wait = await waitForWebhookInbox(10_000);
  expect(wait.backlog).toEqual({ pending: 0, failing: 0 });
});

describe("the webhook route records events in the inbox", () => {
  it("answers 200 once the event is recorded and leaves applying it to the drain", async () => {
    const order = await createOrder();
    const event = succeeded(order);
    expect(await deliverOk(event)).toEqual({ received: true, duplicate: false });

    const recorded = await eventRow(event.id);
    expect(recorded).toMatchObject({
      type: "payment_intent.succeeded",
      paymentIntentId: order.intentId,
      orderId: order.orderId,
      createdAt: new Date(event.created * 1000),
    });
    expect(recorded?.processedAt).toBeNull();
    expect(recorded?.signal).toEqual({ kind: "intent", status: "succeeded", amountReceived: 2500, currency: "usd" });
    expect((await orderState(order.orderId)).status).toBe("pending");
    // The admin's timeline shows it as pending until it is applied.
    expect((await orderDetail(order.number))?.events).toEqual([expect.objectContaining({ id: event.id, outcome: "pending" })]);

    expect(await drainWebhookInbox()).toBe(1);
    expect(await eventRow(event.id)).toMatchObject({ outcome: "paid", orderId: order.orderId, failedAttempts: 0 });
    expect((await eventRow(event.id))?.processedAt).toBeInstanceOf(Date);
    expect((await orderState(order.orderId)).status).toBe("paid");
    expect(await prisma.cart.findUnique({ where: { id: order.cartId }, select: { status: true } })).toEqual({ status: "checked_out" });
    expect((await orderDetail(order.number))?.events).toEqual([expect.objectContaining({ id: event.id, outcome: "paid" })]);
  });

  it("records an event delivered several times, even at once, exactly once, and the order is paid once", async () => {
    const order = await createOrder();
    const event = succeeded(order);
    const answers = await Promise.all([deliverOk(event), deliverOk(event), deliverOk(event)]);
    expect(answers.filter((a) => !a.duplicate)).toHaveLength(1);
    expect(await drainWebhookInbox()).toBe(1);
    const paidAt = (await orderState(order.orderId)).paidAt;
    // A redelivery after it was applied is a duplicate too and changes nothing.
    expect(await deliverOk(event)).toEqual({ received: true, duplicate: true });
    expect(await drainWebhookInbox()).toBe(0);
    expect(await prisma.stripeEvent.count({ where: { id: event.id } })).toBe(1);
    expect((await orderState(order.orderId)).paidAt).toEqual(paidAt);
  });

  it("refuses a bad signature (400) and an event of an unexpected shape (422), and records neither", async () => {
    const order = await createOrder();
    const event = succeeded(order);
    const forged = signatureFor(JSON.stringify(event), "whsec_not_the_shops_secret");
    expect((await deliver(event, forged)).status).toBe(400);
    const malformed = stripeEvent(id("evt"), "payment_intent.succeeded", {
      id: order.intentId,
      object: "payment_intent",
      status: "succeeded",
    });
    expect((await deliver(malformed)).status).toBe(422);
    expect(await prisma.stripeEvent.count({ where: { id: { in: [event.id, malformed.id] } } })).toBe(0);
  });

  it("answers 500 when the event cannot be recorded, so Stripe retries, and the retry is recorded and applied", async () => {
    const order = await createOrder();
    const event = succeeded(order);
    const fn = `fail_${randomBytes(4).toString("hex")}`;
    await prisma.$executeRawUnsafe(
      `CREATE FUNCTION ${fn}() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'simulated outage'; END $$ LANGUAGE plpgsql`,
    );
    await prisma.$executeRawUnsafe(
      `CREATE TRIGGER ${fn} BEFORE INSERT ON "StripeEvent" FOR EACH ROW WHEN (NEW.id = '${event.id}') EXECUTE FUNCTION ${fn}()`,
    );
    try {
      expect((await deliver(event)).status).toBe(500);
      expect(await eventRow(event.id)).toBeNull();
    } finally {
      await prisma.$executeRawUnsafe(`DROP TRIGGER ${fn} ON "StripeEvent"`);
      await prisma.$executeRawUnsafe(`DROP FUNCTION ${fn}()`);
    }
    expect(await deliverOk(event)).toEqual({ received: true, duplicate: false });
    await drainWebhookInbox();
    expect((await orderState(order.orderId)).status).toBe("paid");
  });

  it("records deliveries arriving together, and an event the database refuses fails alone", async () => {
    const orders = await Promise.all(Array.from({ length: 20 }, () => createOrder()));
    const events = orders.map((o) => succeeded(o));
    const refused = events[7]!;
    const fn = `fail_${randomBytes(4).toString("hex")}`;
    await prisma.$executeRawUnsafe(
      `CREATE FUNCTION ${fn}() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'simulated failure'; END $$ LANGUAGE plpgsql`,
    );
    await prisma.$executeRawUnsafe(
      `CREATE TRIGGER ${fn} BEFORE INSERT ON "StripeEvent" FOR EACH ROW WHEN (NEW.id = '${refused.id}') EXECUTE FUNCTION ${fn}()`,
    );
    try {
      // Twenty deliveries at once, one of them twice.
      const responses = await Promise.all([...events, events[3]!].map((event) => deliver(event)));
      expect(responses.map((r) => r.status)).toEqual([...events.map((e) => (e === refused ? 500 : 200)), 200]);
      const answers = await Promise.all(responses.filter((r) => r.status === 200).map((r) => r.json() as Promise<{ duplicate: boolean }>));
      expect(answers.filter((a) => a.duplicate)).toHaveLength(1);
    } finally {
      await prisma.$executeRawUnsafe(`DROP TRIGGER ${fn} ON "StripeEvent"`);
      await prisma.$executeRawUnsafe(`DROP FUNCTION ${fn}()`);
    }
    expect(await prisma.stripeEvent.count({ where: { id: { in: events.map((e) => e.id) } } })).toBe(19);
    expect(await drainWebhookInbox()).toBe(19);
    // Stripe's retry of the refused one is recorded and applied like any other.
    expect(await deliverOk(refused)).toEqual({ received: true, duplicate: false });
    await drainWebhookInbox();
    for (const o of orders) expect((await orderState(o.orderId)).status).toBe("paid");
  });

  it("wakes listeners on the stripe_inbox channel when an event arrives with none due, not for duplicates or while others wait", async () => {
    const listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await listener.connect();
    try {
      let notifications = 0;
      listener.on("notification", () => (notifications += 1));
      await listener.query("LISTEN stripe_inbox");
      // A notification is sent at commit; give a stray one time to arrive before counting.
      const settled = () => new Promise((resolve) => setTimeout(resolve, 200));
      const first = succeeded(await createOrder());
      await deliverOk(first);
      await expect.poll(() => notifications).toBe(1);
      await deliverOk(first);
      // Another event while the first is still due: a drain is already at work, or its poll will find both.
      await deliverOk(succeeded(await createOrder()));
      await settled();
      expect(notifications).toBe(1);
      await drainWebhookInbox();
      await deliverOk(succeeded(await createOrder()));
      await expect.poll(() => notifications).toBe(2);
    } finally {
      await listener.end();
    }
  });
});

describe("the drain applies each event exactly once", () => {
  it("events arriving out of order end in the same state as in order", async () => {
    const order = await createOrder();
    // A refund arrives first, then the success, then a stale "processing" and a stale failure, then an older
    // refund snapshot; all are recorded before any is applied.
    const events = [
      refunded(order, 700),
      succeeded(order),
      intentEvent("payment_intent.processing", order, { status: "processing" }),
      failed(order),
      refunded(order, 300),
    ];
    await deliverInOrder(events);
    expect(await drainWebhookInbox()).toBe(events.length);
    const state = await orderState(order.orderId);
    expect(state).toMatchObject({ status: "partially_refunded", amountRefunded: 700, failedAttempts: 0, attention: null });
    expect(state.paidAt).not.toBeNull();
  });

  it("flags a payment whose amount differs from the order instead of accepting it", async () => {
    const order = await createOrder({ total: 2500 });
    await deliverOk(intentEvent("payment_intent.succeeded", order, { status: "succeeded", amountReceived: 1900 }));
    await drainWebhookInbox();
    const state = await orderState(order.orderId);
    expect(state.status).toBe("pending");
    expect(state.attention).toMatch(/Stripe received 1900 usd, the order total is 2500 usd/);
  });

  it("records events for intents that are not ours, and events it does not act on, as applied with nothing to do", async () => {
    const stranger = { orderId: "not-ours", number: "", intentId: id("pi"), cartId: "" };
    const foreign = succeeded(stranger);
    const unknown = stripeEvent(id("evt"), "customer.created", { id: "cus_1", object: "customer" });
    await deliverOk(foreign);
    await deliverOk(unknown);
    await drainWebhookInbox();
    expect(await eventRow(foreign.id)).toMatchObject({ outcome: "no matching order", orderId: null });
    expect(await eventRow(unknown.id)).toMatchObject({ outcome: "recorded", signal: null });
  });

  it("two drains racing over many events apply each exactly once: failures counted once, stock released once", async () => {
    const category = await prisma.category.upsert({
      where: { slug: "test-inbox" },
      create: { slug: "test-inbox", name: "Inbox tests", description: "Products only the inbox tests use" },
      update: {},
    });
    const product = await prisma.product.create({
      data: {
        slug: id("inbox-test"),
        name: "Inbox test item",
        description: "test",
        price: 2500,
        image: "/x.svg",
        categoryId: category.id,
        variants: { create: { sku: id("inbox-test"), stock: 100 } },
      },
      include: { variants: { select: { id: true } } },
    });
    const variantId = product.variants[0]!.id;
    const failing = await Promise.all(Array.from({ length: 15 }, () => createOrder()));
    const paying = await Promise.all(Array.from({ length: 15 }, () => createOrder()));
    const canceling = await Promise.all(Array.from({ length: 10 }, () => createOrder({ stockReserved: true })));
    // Each canceled order holds 2 units (already taken off the 100); its cancellation puts them back once.
    await prisma.orderItem.createMany({
      data: canceling.map((o) => ({
        orderId: o.orderId,
        productId: product.id,
        variantId,
        name: "Inbox test item",
        unitPrice: 1250,
        quantity: 2,
      })),
    });
    const events = [
      ...failing.flatMap((o) => [failed(o), failed(o), failed(o)]),
      ...paying.flatMap((o) => [succeeded(o), failed(o), refunded(o, 500), refunded(o, 900)]),
      ...canceling.map((o) => intentEvent("payment_intent.canceled", o, { status: "canceled" })),
    ];
    await deliverInOrder(events);

    const [first, second] = await Promise.all([drainWebhookInbox(), drainWebhookInbox()]);
    expect(first + second).toBe(events.length);
    expect(await webhookInboxBacklog()).toEqual({ pending: 0, failing: 0 });

    for (const o of failing) expect(await orderState(o.orderId)).toMatchObject({ status: "pending", failedAttempts: 3 });
    for (const o of paying) {
      // The failure arrived after the success: it changes nothing (events for one intent apply in arrival order).
      expect(await orderState(o.orderId)).toMatchObject({ status: "partially_refunded", amountRefunded: 900, failedAttempts: 0 });
    }
    for (const o of canceling) expect(await orderState(o.orderId)).toMatchObject({ status: "canceled", stockReserved: false });
    expect((await prisma.productVariant.findUniqueOrThrow({ where: { id: variantId } })).stock).toBe(100 + 2 * canceling.length);
  });

  it("a failing event is recorded with its error and retried, and blocks neither other orders nor later events", async () => {
    const stuck = await createOrder();
    const other = await createOrder();
    const drop = await failOrderUpdates(stuck.orderId, `NEW.status = 'paid'`);
    const payment = succeeded(stuck);
    const later = intentEvent("payment_intent.processing", stuck, { status: "processing" });
    try {
      await deliverInOrder([payment, later, succeeded(other)]);
      // The other order's event and the stuck order's later event are applied; the failing one is not.
      expect(await drainWebhookInbox()).toBe(2);
      expect((await orderState(other.orderId)).status).toBe("paid");
      expect((await orderState(stuck.orderId)).status).toBe("processing");
      const row = await eventRow(payment.id);
      expect(row).toMatchObject({ processedAt: null, failedAttempts: 1, lastError: expect.stringMatching(/simulated failure/) });
      expect(row!.dueAt.getTime()).toBeGreaterThan(row!.receivedAt.getTime());
      expect(await webhookInboxBacklog()).toEqual({ pending: 1, failing: 1 });
      const timeline = (await orderDetail(stuck.number))?.events ?? [];
      expect(timeline.find((e) => e.id === payment.id)?.outcome).toMatch(
        /^pending: applying it failed once, retrying \(.*simulated failure/,
      );
      // Not due yet: a drain right away leaves it alone.
      expect(await drainWebhookInbox()).toBe(0);
    } finally {
      await drop();
    }
    // Its retry (due after a second) applies it, once.
    const wait = await waitForWebhookInbox(10_000);
    expect(wait.empty).toBe(true);
    expect(await eventRow(payment.id)).toMatchObject({ outcome: "paid", failedAttempts: 1 });
    expect((await orderState(stuck.orderId)).status).toBe("paid");
  });
});

describe("the background drain of an instance", () => {
  it("applies recorded events without being called, woken by the database", async () => {
    await startWebhookInbox();
    await startWebhookInbox();
    try {
      const order = await createOrder();
      await deliverOk(succeeded(order));
      await expect.poll(async () => (await orderState(order.orderId)).status, { timeout: 5_000 }).toBe("paid");
    } finally {
      await stopWebhookInbox();
    }
  });
});
