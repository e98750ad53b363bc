// Disputes end to end against the real PostgreSQL and the Stripe sandbox: a payment with the dispute test
// card (pm_card_createDispute) opens a dispute; its events, delivered to the webhook route and applied by the
// inbox, record it on the order and email staff once; evidence submitted through Stripe's API decides it
// after the sandbox's dispute delay (2 s by default, test/global-setup.ts does not change it); a lost one
// takes its amount off the revenue of the day the order was paid.
import { randomBytes } from "node:crypto";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { openDisputes, salesOverview } from "@/lib/admin/dashboard";
import { startCheckout } from "@/lib/checkout/start";
import { prisma } from "@/lib/db";
import { applyPaymentEvent } from "@/lib/orders";
import { toPaymentEvent } from "@/lib/payments/events";
import { waitForWebhookInbox } from "@/lib/payments/inbox";
import { cartWith, checkoutDetails, testProduct } from "./support/catalog";
import { postWebhook } from "./support/webhook";

const stripe = () => {
  const base = new URL(process.env.STRIPE_API_BASE!);
  return new Stripe(process.env.STRIPE_SECRET_KEY!, { host: base.hostname, port: base.port, protocol: "http" });
};

const EVENT_TYPES = [
  "payment_intent.succeeded",
  "charge.succeeded",
  "charge.dispute.created",
  "charge.dispute.updated",
  "charge.dispute.closed",
  "charge.dispute.funds_withdrawn",
  "charge.dispute.funds_reinstated",
];

const intentOf = (event: Stripe.Event): string | null => {
  const object = event.data.object as { object?: string; id?: string; payment_intent?: string | { id: string } | null };
  if (object.object === "payment_intent") return object.id ?? null;
  const intent = object.payment_intent;
  return typeof intent === "string" ? intent : (intent?.id ?? null);
};

/** A paid order: checkout, then the dispute card confirms its intent at the sandbox. */
async function paidWithDisputeCard() {
  const startedAt = Math.floor(Date.now() / 1000) - 1;
  const item = await testProduct(5);
  const started = await startCheckout(await cartWith([{ variantId: item.variantId, quantity: 1 }]), checkoutDetails);
  if (!started.ok) throw new Error(started.code);
  const order = await prisma.order.findUniqueOrThrow({ where: { id: started.summary.orderId } });
  const intent = await stripe().paymentIntents.confirm(order.paymentIntentId!, {
    payment_method: "pm_card_createDispute",
    return_url: "http://localhost/checkout/complete",
  });
  expect(intent.status).toBe("succeeded");
  return { order, intentId: intent.id, startedAt, delivered: new Map<string, Stripe.Event>() };
}
type Paid = Awaited<ReturnType<typeof paidWithDisputeCard>>;

/** Stripe's events for the order's intent so far, oldest first. */
async function eventsOf(paid: Paid): Promise<Stripe.Event[]> {
  const events = await stripe()
    .events.list({ types: EVENT_TYPES, created: { gte: paid.startedAt }, limit: 100 })
    .autoPagingToArray({ limit: 10_000 });
  return events.filter((event) => intentOf(event) === paid.intentId).reverse();
}

/** Posts every event of the intent not yet posted to the webhook route, signed as Stripe signs, then drains the inbox. */
async function deliverUntil(paid: Paid, done: (events: Stripe.Event[]) => boolean): Promise<Stripe.Event[]> {
  const deadline = Date.now() + 20_000;
  let events = await eventsOf(paid);
  while (!done(events)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for events; have ${events.map((e) => e.type).join(", ")}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    events = await eventsOf(paid);
  }
  for (const event of events) {
    if (paid.delivered.has(event.id)) continue;
    const response = await postWebhook(event);
    expect(response.status).toBe(200);
    paid.delivered.set(event.id, event);
    // The inbox keeps arrival order to the millisecond.
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  expect((await waitForWebhookInbox(15_000)).backlog).toEqual({ pending: 0, failing: 0 });
  return events;
}

const has = (type: string) => (events: Stripe.Event[]) => events.some((event) => event.type === type);

async function disputeOf(orderId: string) {
  const disputes = await prisma.dispute.findMany({ where: { orderId } });
  expect(disputes).toHaveLength(1);
  return disputes[0]!;
}

/** Applies the events again straight through applyPaymentEvent, as a replay past the inbox would. */
async function applyAgain(events: Stripe.Event[]): Promise<void> {
  for (const event of events) await prisma.$transaction((tx) => applyPaymentEvent(tx, toPaymentEvent(event)));
}

describe("disputes from Stripe's webhooks", () => {
  it("a disputed payment opens a dispute on its order with its deadline, emails staff once, and evidence that wins closes it won", async () => {
    const paid = await paidWithDisputeCard();
    const events = await deliverUntil(paid, has("charge.dispute.created"));

    const order = await prisma.order.findUniqueOrThrow({ where: { id: paid.order.id } });
    expect(order.status).toBe("paid");
    const dispute = await disputeOf(order.id);
    expect(dispute).toMatchObject({
      paymentIntentId: paid.intentId,
      amount: order.total,
      currency: order.currency,
      reason: "fraudulent",
      status: "needs_response",
    });
    expect(dispute.chargeId).toMatch(/^(ch|py)_/);
    // Stripe gives about a week to respond.
    const daysToRespond = (dispute.evidenceDueBy!.getTime() - Date.now()) / 86_400_000;
    expect(daysToRespond).toBeGreaterThan(5);
    expect(daysToRespond).toBeLessThan(10);

    const emails = await prisma.emailMessage.findMany({ where: { kind: "staff_dispute_opened", orderId: order.id } });
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ dedupeKey: `staff_dispute_opened:${dispute.id}`, to: process.env.STAFF_EMAIL });
    expect(emails[0]!.subject).toContain(order.number);
    expect(emails[0]!.subject).toContain("Dispute");

    // The dashboard lists it among the open disputes, with its order and deadline.
    expect((await openDisputes(10_000)).disputes).toContainEqual({
      id: dispute.id,
      orderNumber: order.number,
      amount: order.total,
      currency: order.currency,
      status: "needs_response",
      evidenceDueBy: dispute.evidenceDueBy,
    });

    // The same events once more change nothing: no second row, no second email, the order as it was.
    await applyAgain(events);
    expect(await disputeOf(order.id)).toEqual(dispute);
    expect(await prisma.emailMessage.count({ where: { kind: "staff_dispute_opened", orderId: order.id } })).toBe(1);
    expect(await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).toEqual(order);

    await stripe().disputes.update(dispute.id, { evidence: { uncategorized_text: "winning_evidence" } });
    const decided = await deliverUntil(paid, has("charge.dispute.closed"));
    expect(decided.map((e) => e.type)).toContain("charge.dispute.updated");
    expect(await disputeOf(order.id)).toMatchObject({ status: "won", amount: order.total });
    expect((await openDisputes(10_000)).disputes.map((d) => d.id)).not.toContain(dispute.id);

    // Late copies of the open dispute's events never reopen the decided one.
    await applyAgain(decided.filter((e) => e.type === "charge.dispute.created" || e.type === "charge.dispute.updated"));
    expect((await disputeOf(order.id)).status).toBe("won");
    // The order's timeline lists the dispute's events, funds movements included.
    const recorded = await prisma.stripeEvent.findMany({
      where: { paymentIntentId: paid.intentId },
      select: { type: true, orderId: true },
    });
    expect(recorded.filter((e) => e.type.startsWith("charge.dispute.")).every((e) => e.orderId === order.id)).toBe(true);
  });

  it("evidence that loses closes the dispute lost, and the revenue of the day the order was paid drops by its amount", async () => {
    const paid = await paidWithDisputeCard();
    await deliverUntil(paid, has("charge.dispute.created"));
    const dispute = await disputeOf(paid.order.id);

    // The order is moved to a day of its own, so orders other tests pay today do not blur the figure.
    const day = new Date(Date.UTC(2032, 0, 1) + (randomBytes(2).readUInt16BE() % 3650) * 86_400_000);
    await prisma.order.update({ where: { id: paid.order.id }, data: { paidAt: new Date(day.getTime() + 3_600_000) } });
    const revenueThatDay = async () => (await salesOverview(1, new Date(day.getTime() + 12 * 3_600_000))).today.revenue;
    const before = await revenueThatDay();
    expect(before).toBeGreaterThanOrEqual(paid.order.total);

    await stripe().disputes.update(dispute.id, { evidence: { uncategorized_text: "losing_evidence" } });
    await deliverUntil(paid, has("charge.dispute.closed"));
    expect(await disputeOf(paid.order.id)).toMatchObject({ status: "lost" });
    expect(await revenueThatDay()).toBe(before - dispute.amount);
    // Stripe does not refund a lost dispute: the order stays paid, its refunds untouched.
    expect(await prisma.order.findUniqueOrThrow({ where: { id: paid.order.id } })).toMatchObject({ status: "paid", amountRefunded: 0 });
  });
});
