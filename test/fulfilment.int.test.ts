// Shipments and returns against the real PostgreSQL and the Stripe sandbox over HTTP (test/global-setup.ts):
// an order ships in parts and is delivered, forward only, with one shipped email per parcel; a return puts
// units back on the shelf and queues its refund, which the job makes at Stripe once however often it runs;
// every refusal leaves the order, its stock and its emails as they were.
import Stripe from "stripe";
import { beforeAll, describe, expect, it } from "vitest";
import { startCheckout } from "@/lib/checkout/start";
import { prisma } from "@/lib/db";
import { syncOrderWithStripe } from "@/lib/orders";
import { cartWith, checkoutDetails, stockOf, testProduct } from "./support/catalog";

const { markDelivered, recordReturn, refundReturn, shipOrder, REFUND_RETURN_QUEUE } = await import("@/lib/admin/fulfilment");
const { startJobQueue } = await import("@/lib/jobs/boss");
const { refundReturnJob } = await import("@/lib/jobs/refund-return");

const stripe = () => {
  const base = new URL(process.env.STRIPE_API_BASE!);
  return new Stripe(process.env.STRIPE_SECRET_KEY!, { host: base.hostname, port: base.port, protocol: "http" });
};

const staff = { id: null, email: "packer@example.com" };

beforeAll(async () => {
  // The refund queue must exist for a return to write its job; no worker is left running (the test runs the
  // job's function itself).
  const queue = await startJobQueue({
    connectionString: process.env.DATABASE_URL!,
    jobs: [{ ...refundReturnJob, run: async () => ({}) }],
    schedule: false,
  });
  await queue.stop();
});

/** A paid order (through checkout and the sandbox) of 3 × `a` and 1 × `b`; its id, items and products. */
async function paidOrder() {
  const a = await testProduct(10, 1500);
  const b = await testProduct(5, 4000);
  const cartId = await cartWith([
    { variantId: a.variantId, quantity: 3 },
    { variantId: b.variantId, quantity: 1 },
  ]);
  const started = await startCheckout(cartId, checkoutDetails);
  if (!started.ok) throw new Error(started.code);
  await stripe().paymentIntents.confirm(started.clientSecret.split("_secret_")[0]!, {
    payment_method: "pm_card_visa",
    return_url: "http://localhost/checkout/complete",
  });
  const orderId = started.summary.orderId;
  expect((await syncOrderWithStripe(orderId)).status).toBe("paid");
  const items = await prisma.orderItem.findMany({ where: { orderId } });
  const itemA = items.find((item) => item.variantId === a.variantId)!;
  const itemB = items.find((item) => item.variantId === b.variantId)!;
  return { orderId, itemA, itemB, a, b };
}

const orderOf = (orderId: string) => prisma.order.findUniqueOrThrow({ where: { id: orderId } });
const shippedEmails = (orderId: string) =>
  prisma.emailMessage.findMany({ where: { orderId, kind: "order_shipped" }, orderBy: { createdAt: "asc" } });

/** Everything a refused action must leave as it was. */
async function snapshot(orderId: string, variantIds: string[]) {
  return {
    order: await orderOf(orderId),
    shipments: await prisma.shipment.count({ where: { orderId } }),
    returns: await prisma.orderReturn.count({ where: { orderId } }),
    emails: await prisma.emailMessage.count({ where: { orderId } }),
    audit: await prisma.auditEvent.count({ where: { subjectId: orderId } }),
    stock: await Promise.all(variantIds.map(stockOf)),
  };
}

describe("shipping an order", () => {
  it("ships part then the rest: partially shipped, then shipped, then delivered, with one email per parcel", async () => {
    const { orderId, itemA, itemB } = await paidOrder();
    const first = await shipOrder(staff, orderId, [{ orderItemId: itemA.id, quantity: 2 }], "UPS", "1Z999AA10123456784");
    expect(first).toMatchObject({ ok: true, fulfilment: "partially_shipped" });
    expect((await orderOf(orderId)).fulfilment).toBe("partially_shipped");

    const second = await shipOrder(
      staff,
      orderId,
      [
        { orderItemId: itemA.id, quantity: 1 },
        { orderItemId: itemB.id, quantity: 1 },
      ],
      "Royal Mail",
      "RM 1234-5678",
    );
    expect(second).toMatchObject({ ok: true, fulfilment: "shipped" });

    const emails = await shippedEmails(orderId);
    expect(emails).toHaveLength(2);
    expect(emails[0]!.html).toContain("https://www.ups.com/track?tracknum=1Z999AA10123456784");
    expect(emails[0]!.text).toContain("1Z999AA10123456784");
    expect(emails[1]!.text).toContain("RM 1234-5678");
    expect(await prisma.auditEvent.count({ where: { subjectId: orderId, action: "order.ship", staffEmail: staff.email } })).toBe(2);

    // Nothing is left to ship; a second submit of the last form is refused.
    expect(await shipOrder(staff, orderId, [{ orderItemId: itemB.id, quantity: 1 }], "DHL", "JD01")).toMatchObject({
      ok: false,
      code: "not_shippable",
    });

    const shipments = await prisma.shipment.findMany({ where: { orderId }, orderBy: { shippedAt: "asc" } });
    expect(await markDelivered(staff, shipments[0]!.id)).toMatchObject({ ok: true, fulfilment: "shipped" });
    expect(await markDelivered(staff, shipments[1]!.id)).toMatchObject({ ok: true, fulfilment: "delivered" });
    // Again: nothing changes, and the order stays delivered.
    expect(await markDelivered(staff, shipments[1]!.id)).toMatchObject({ ok: true, fulfilment: "delivered" });
    expect((await orderOf(orderId)).fulfilment).toBe("delivered");
    expect(await prisma.auditEvent.count({ where: { subjectId: orderId, action: "order.deliver" } })).toBe(2);
  });

  it("refuses a tracking number with markup, more units than are left, and a double submit, changing nothing", async () => {
    const { orderId, itemA, a, b } = await paidOrder();
    const before = await snapshot(orderId, [a.variantId, b.variantId]);
    expect(await shipOrder(staff, orderId, [{ orderItemId: itemA.id, quantity: 1 }], "UPS", "<script>alert(1)</script>")).toMatchObject({
      ok: false,
      code: "invalid_fields",
      fieldErrors: { trackingNumber: expect.stringMatching(/markup/) },
    });
    expect(await shipOrder(staff, orderId, [{ orderItemId: itemA.id, quantity: 4 }], "UPS", "1Z1")).toMatchObject({
      ok: false,
      code: "too_many_units",
    });
    expect(await shipOrder(staff, orderId, [], "UPS", "1Z1")).toMatchObject({ ok: false, code: "nothing_selected" });
    expect(await snapshot(orderId, [a.variantId, b.variantId])).toEqual(before);

    // The same parcel submitted twice at once: one shipment, one email.
    const both = await Promise.all(
      [1, 2].map(() => shipOrder(staff, orderId, [{ orderItemId: itemA.id, quantity: 1 }], "FedEx", "449044304137821")),
    );
    expect(both.map((r) => (r.ok ? "ok" : r.code)).sort()).toEqual(["duplicate_shipment", "ok"]);
    expect(await shippedEmails(orderId)).toHaveLength(1);
  });

  it("refuses to ship an unpaid order", async () => {
    const item = await testProduct(3);
    const cartId = await cartWith([{ variantId: item.variantId, quantity: 1 }]);
    const started = await startCheckout(cartId, checkoutDetails);
    if (!started.ok) throw new Error(started.code);
    const [line] = await prisma.orderItem.findMany({ where: { orderId: started.summary.orderId } });
    expect(await shipOrder(staff, started.summary.orderId, [{ orderItemId: line!.id, quantity: 1 }], "UPS", "1Z2")).toMatchObject({
      ok: false,
      code: "not_shippable",
    });
    expect(await shipOrder(staff, "no-such-order", [], "UPS", "1Z2")).toMatchObject({ ok: false, code: "not_found" });
  });
});

describe("returns", () => {
  it("a return with restock puts the units back and queues its refund, which Stripe makes exactly once", async () => {
    const { orderId, itemA, a } = await paidOrder();
    const stockBefore = await stockOf(a.variantId);
    const requestKey = crypto.randomUUID();
    const recorded = await recordReturn(staff, orderId, [{ orderItemId: itemA.id, quantity: 2 }], true, requestKey);
    expect(recorded).toMatchObject({ ok: true, amount: 3000 });
    if (!recorded.ok) throw new Error(recorded.code);
    expect(await stockOf(a.variantId)).toBe(stockBefore + 2);
    expect(await prisma.orderReturn.findUniqueOrThrow({ where: { id: recorded.returnId }, include: { items: true } })).toMatchObject({
      status: "refund_pending",
      amount: 3000,
      restock: true,
      staffEmail: staff.email,
      items: [{ orderItemId: itemA.id, quantity: 2 }],
    });
    const jobs = await prisma.$queryRaw<Array<{ n: number }>>`
      SELECT count(*)::int AS n FROM pgboss.job WHERE name = ${REFUND_RETURN_QUEUE} AND data->>'returnId' = ${recorded.returnId}`;
    expect(jobs[0]!.n).toBe(1);

    // The same form submitted again: the first return's answer, nothing new.
    expect(await recordReturn(staff, orderId, [{ orderItemId: itemA.id, quantity: 2 }], true, requestKey)).toMatchObject({
      ok: true,
      returnId: recorded.returnId,
    });
    expect(await prisma.orderReturn.count({ where: { orderId } })).toBe(1);
    expect(await stockOf(a.variantId)).toBe(stockBefore + 2);

    // The job runs twice (a retry after a crash): one refund at Stripe.
    expect(await refundReturn(recorded.returnId, { lastAttempt: false })).toBe("refunded");
    expect(await refundReturn(recorded.returnId, { lastAttempt: false })).toBe("not_pending");
    const done = await prisma.orderReturn.findUniqueOrThrow({ where: { id: recorded.returnId } });
    expect(done).toMatchObject({ status: "refunded", refundId: expect.stringMatching(/^re_/), lastError: null });
    // Even when our record of it was lost: the same idempotency key gets Stripe's same refund back.
    await prisma.orderReturn.update({ where: { id: recorded.returnId }, data: { status: "refund_pending", refundId: null } });
    expect(await refundReturn(recorded.returnId, { lastAttempt: false })).toBe("refunded");
    expect((await prisma.orderReturn.findUniqueOrThrow({ where: { id: recorded.returnId } })).refundId).toBe(done.refundId);
    const { paymentIntentId } = await orderOf(orderId);
    const refunds = await stripe().refunds.list({ payment_intent: paymentIntentId! });
    expect(refunds.data.map((refund) => refund.amount)).toEqual([3000]);
  });

  it("a discounted, taxed line returned in two parts refunds exactly what was paid for it", async () => {
    const { orderId, itemA } = await paidOrder();
    // 3 × 15.00, less 4.50 of the order's discount, plus 2.95 of tax: 43.45 paid, which 3 does not divide.
    await prisma.orderItem.update({ where: { id: itemA.id }, data: { discount: 450, tax: 295 } });
    await prisma.order.update({ where: { id: orderId }, data: { pricesIncludeTax: false } });
    const first = await recordReturn(staff, orderId, [{ orderItemId: itemA.id, quantity: 1 }], false, crypto.randomUUID());
    const rest = await recordReturn(staff, orderId, [{ orderItemId: itemA.id, quantity: 2 }], false, crypto.randomUUID());
    expect([first, rest]).toMatchObject([
      { ok: true, amount: 1448 },
      { ok: true, amount: 2897 },
    ]);
    const returns = await prisma.orderReturn.findMany({ where: { orderId }, select: { amount: true } });
    expect(returns.reduce((n, r) => n + r.amount, 0)).toBe(4345);
  });

  it("a return without restock leaves the stock, and two submits at once record one return", async () => {
    const { orderId, itemB, b } = await paidOrder();
    const stockBefore = await stockOf(b.variantId);
    const requestKey = crypto.randomUUID();
    const both = await Promise.all(
      [1, 2].map(() => recordReturn(staff, orderId, [{ orderItemId: itemB.id, quantity: 1 }], false, requestKey)),
    );
    expect(both.every((r) => r.ok)).toBe(true);
    expect(await prisma.orderReturn.count({ where: { orderId } })).toBe(1);
    expect(await stockOf(b.variantId)).toBe(stockBefore);
  });

  it("refuses more units than were bought, a refund larger than what is left, and an unpaid order, changing nothing", async () => {
    const { orderId, itemA, itemB, a, b } = await paidOrder();
    const before = await snapshot(orderId, [a.variantId, b.variantId]);
    expect(await recordReturn(staff, orderId, [{ orderItemId: itemA.id, quantity: 4 }], true, crypto.randomUUID())).toMatchObject({
      ok: false,
      code: "too_many_units",
      error: expect.stringMatching(/more units than were bought/),
    });
    expect(await recordReturn(staff, orderId, [{ orderItemId: itemA.id, quantity: 0 }], true, crypto.randomUUID())).toMatchObject({
      ok: false,
      code: "nothing_selected",
    });
    expect(await snapshot(orderId, [a.variantId, b.variantId])).toEqual(before);

    // Refunded in full meanwhile (the refund form, then Stripe's webhook): nothing is left for a return.
    const { total } = await orderOf(orderId);
    await prisma.order.update({ where: { id: orderId }, data: { status: "refunded", amountRefunded: total } });
    const refunded = await snapshot(orderId, [a.variantId, b.variantId]);
    expect(await recordReturn(staff, orderId, [{ orderItemId: itemB.id, quantity: 1 }], true, crypto.randomUUID())).toMatchObject({
      ok: false,
      code: "amount_too_large",
    });
    expect(await snapshot(orderId, [a.variantId, b.variantId])).toEqual(refunded);

    await prisma.order.update({ where: { id: orderId }, data: { status: "canceled", amountRefunded: 0 } });
    expect(await recordReturn(staff, orderId, [{ orderItemId: itemB.id, quantity: 1 }], true, crypto.randomUUID())).toMatchObject({
      ok: false,
      code: "not_returnable",
    });
    expect(await prisma.orderReturn.count({ where: { orderId } })).toBe(0);
  });

  it("a refund Stripe refuses ends refund_failed with Stripe's message, at once", async () => {
    const { orderId, itemB } = await paidOrder();
    const recorded = await recordReturn(staff, orderId, [{ orderItemId: itemB.id, quantity: 1 }], false, crypto.randomUUID());
    if (!recorded.ok) throw new Error(recorded.code);
    // More than the charge: Stripe refuses it (as it would after refunds our records had not seen yet).
    await prisma.orderReturn.update({ where: { id: recorded.returnId }, data: { amount: 1_000_000 } });
    expect(await refundReturn(recorded.returnId, { lastAttempt: false })).toBe("refund_failed");
    expect(await prisma.orderReturn.findUniqueOrThrow({ where: { id: recorded.returnId } })).toMatchObject({
      status: "refund_failed",
      refundId: null,
      lastError: expect.any(String),
    });
  });
});
