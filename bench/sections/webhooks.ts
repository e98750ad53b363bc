// 3. Webhook storm: signed Stripe events for orders inserted straight into the database, a realistic mix
// with re-sent event ids and out-of-order arrival, posted at concurrency 32. The route records each event in
// the webhook inbox and answers; the app's background drain applies them meanwhile. Once the inbox is empty
// the database must show every event applied exactly once. Two figures: how fast the route accepts events
// (events/s ÷ the same route refusing a bad signature, no database work) and how fast they are applied
// (unique events ÷ the time from the storm's start until the inbox is empty).
import { randomBytes, randomInt } from "node:crypto";
import Stripe from "stripe";
import type { BenchContext } from "../lib/context";
import { agentFor, closedLoop, request, summarize } from "../lib/load";
import { check, section, type SectionResult } from "../lib/report";
import { PAID_STATUSES } from "../../lib/order-status";
import { INBOX_BACKLOG_SQL, waitForEmptyInbox, type InboxBacklog } from "../../lib/payments/inbox-backlog";
import { stripeEvent } from "../../test/support/stripe-event";

type Scenario = "paid" | "failed_then_paid" | "refunded" | "processing_then_paid" | "failed" | "canceled";
const SCENARIOS: Array<[Scenario, number]> = [
  ["paid", 35],
  ["failed_then_paid", 15],
  ["refunded", 20],
  ["processing_then_paid", 10],
  ["failed", 10],
  ["canceled", 10],
];
const DUPLICATE_SHARE = 0.2;
const OUT_OF_ORDER_SHARE = 0.3;
const CONCURRENCY = 32;
/** How long the inbox may take to apply what the storm left in it before the section fails. */
const DRAIN_TIMEOUT_MS = 300_000;

type BenchOrder = {
  id: string;
  number: string;
  cartId: string;
  intentId: string;
  total: number;
  scenario: Scenario;
  maxRefund: number;
  failures: number;
};
type BenchEvent = { id: string; type: string; payload: string };

const hex = (bytes: number) => randomBytes(bytes).toString("hex");
const pick = <T>(items: T[]) => items[randomInt(items.length)]!;

function pickScenario(): Scenario {
  let n = randomInt(100);
  for (const [scenario, weight] of SCENARIOS) {
    if (n < weight) return scenario;
    n -= weight;
  }
  return "paid";
}

/** Stripe's event envelope around a `data.object` snapshot, shaped as e2e/webhook.spec.ts sends them. */
function envelope(runId: string, type: string, object: Record<string, unknown>): BenchEvent {
  const id = `evt_bench${runId}_${hex(10)}`;
  return { id, type, payload: JSON.stringify(stripeEvent(id, type, object)) };
}

/** The events Stripe would send for one order's story, in the order Stripe would send them. */
function story(runId: string, order: BenchOrder): BenchEvent[] {
  const intent = (type: string, status: string, amountReceived: number, failure?: string) =>
    envelope(runId, type, {
      id: order.intentId,
      object: "payment_intent",
      status,
      amount: order.total,
      amount_received: amountReceived,
      currency: "usd",
      metadata: { order_id: order.id },
      last_payment_error: failure ? { message: failure } : null,
    });
  const chargeId = `ch_bench_${hex(8)}`;
  const charge = (type: string, amountRefunded: number) =>
    envelope(runId, type, {
      id: chargeId,
      object: "charge",
      payment_intent: order.intentId,
      paid: true,
      captured: true,
      amount_captured: order.total,
      amount_refunded: amountRefunded,
      currency: "usd",
      metadata: {},
    });
  const refund = (amount: number) =>
    envelope(runId, "refund.created", {
      id: `re_bench_${hex(8)}`,
      object: "refund",
      amount,
      charge: chargeId,
      payment_intent: order.intentId,
      currency: "usd",
      status: "succeeded",
    });
  const created = intent("payment_intent.created", "requires_payment_method", 0);
  const succeeded = () => intent("payment_intent.succeeded", "succeeded", order.total);
  const failed = () => intent("payment_intent.payment_failed", "requires_payment_method", 0, "Your card was declined.");
  switch (order.scenario) {
    case "paid":
      return [created, charge("charge.succeeded", 0), succeeded()];
    case "failed_then_paid":
      return [created, failed(), charge("charge.succeeded", 0), succeeded()];
    case "processing_then_paid":
      return [created, intent("payment_intent.processing", "processing", 0), succeeded(), charge("charge.succeeded", 0)];
    case "failed":
      return [created, failed(), failed()];
    case "canceled":
      return [created, intent("payment_intent.canceled", "canceled", 0)];
    case "refunded": {
      // Two refunds; half of the orders end fully refunded. The largest snapshot is what must stick.
      const first = Math.floor(order.total / 4);
      const second = randomInt(2) ? order.total - first : Math.floor(order.total / 3);
      return [
        created,
        succeeded(),
        charge("charge.succeeded", 0),
        refund(first),
        charge("charge.refunded", first),
        refund(second),
        charge("charge.refunded", first + second),
      ];
    }
  }
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export async function webhooks(ctx: BenchContext): Promise<SectionResult> {
  const result = section("webhooks", "3. Webhook storm (signed events, POST /api/webhooks/stripe)", [
    { key: "operation", label: "deliveries" },
    { key: "concurrency", label: "conc" },
    { key: "count", label: "n" },
    { key: "perSecond", label: "events/s", digits: 1 },
    { key: "p50", label: "p50 ms", digits: 1 },
    { key: "p99", label: "p99 ms", digits: 1 },
    { key: "ratio", label: "events/s ÷ bad-sig", digits: 3 },
  ]);
  const secret = ctx.env.STRIPE_WEBHOOK_SECRET;
  if (!secret) throw new Error("the stack set no STRIPE_WEBHOOK_SECRET");
  const stripe = new Stripe("sk_test_signing_only");
  const sign = (payload: string, key = secret) => stripe.webhooks.generateTestHeaderString({ payload, secret: key });
  const endpoint = `${ctx.url}/api/webhooks/stripe`;
  const agent = agentFor(CONCURRENCY);
  const runId = hex(3);

  // ------------------------------------------------------------------ orders and their events
  const totalDeliveries = ctx.short ? 1_000 : 10_000;
  const uniqueTarget = Math.round(totalDeliveries * (1 - DUPLICATE_SHARE));
  const orders: BenchOrder[] = [];
  const queues: BenchEvent[][] = [];
  let unique = 0;
  while (unique < uniqueTarget) {
    const order: BenchOrder = {
      id: `ord_bench${runId}_${hex(8)}`,
      number: `B${runId}-${hex(5).toUpperCase()}`,
      cartId: randomBytes(32).toString("base64url"),
      intentId: `pi_bench${runId}_${hex(10)}`,
      total: pick([1500, 2400, 4200, 9900, 12_500]),
      scenario: pickScenario(),
      maxRefund: 0,
      failures: 0,
    };
    let events = story(runId, order);
    if (unique + events.length > uniqueTarget) events = events.slice(0, uniqueTarget - unique);
    for (const event of events) {
      if (event.type === "charge.refunded")
        order.maxRefund = Math.max(
          order.maxRefund,
          (JSON.parse(event.payload) as { data: { object: { amount_refunded: number } } }).data.object.amount_refunded,
        );
      if (event.type === "payment_intent.payment_failed") order.failures++;
    }
    // Some orders' events arrive in any order at all (Stripe does not guarantee order).
    if (Math.random() < OUT_OF_ORDER_SHARE) shuffle(events);
    orders.push(order);
    queues.push(events);
    unique += events.length;
  }
  const truncated = orders.at(-1)!;
  const truncatedComplete = queues.at(-1)!.length === story(runId, truncated).length;

  // Interleave the orders' stories at random (each story keeps its own order unless shuffled above) ...
  const stream: BenchEvent[] = [];
  const open = queues.map((q) => [...q]);
  while (open.length) {
    const i = randomInt(open.length);
    stream.push(open[i]!.shift()!);
    if (open[i]!.length === 0) open.splice(i, 1);
  }
  // ... and re-send a fifth of the deliveries later in the stream, some right after the original.
  const placed = stream.map((event, i) => ({ event, at: i }));
  for (let n = 0; n < totalDeliveries - stream.length; n++) {
    const i = randomInt(stream.length);
    placed.push({ event: stream[i]!, at: i + Math.random() * (stream.length - i) });
  }
  const deliveries = placed.sort((a, b) => a.at - b.at).map((p) => p.event);

  const counts = new Map<string, number>();
  for (const event of stream) counts.set(event.type, (counts.get(event.type) ?? 0) + 1);

  for (let i = 0; i < orders.length; i += 500) {
    const batch = orders.slice(i, i + 500);
    await ctx.db.query(`INSERT INTO "Cart" (id, "updatedAt") SELECT unnest($1::text[]), now()`, [batch.map((o) => o.cartId)]);
    await ctx.db.query(
      `INSERT INTO "Order" (id, number, "cartId", email, "shippingName", "shippingLine1", "shippingCity", "shippingPostalCode",
         "shippingCountry", "shippingMethod", currency, subtotal, "shippingCost", total, "paymentIntentId", "updatedAt")
       SELECT o.id, o.number, o.cart, 'bench-hooks@example.com', 'Bench Hooks', '1 Main St', 'Town', '94105', 'US', 'standard', 'usd', o.total, 0, o.total, o.intent, now()
         FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[]) AS o(id, number, cart, total, intent)`,
      [
        batch.map((o) => o.id),
        batch.map((o) => o.number),
        batch.map((o) => o.cartId),
        batch.map((o) => o.total),
        batch.map((o) => o.intentId),
      ],
    );
  }

  // ------------------------------------------------------------------ baseline: refused before any database work
  const forged = sign(stream[0]!.payload, `whsec_${hex(24)}`);
  const refuse = async () => {
    const response = await request(endpoint, {
      method: "POST",
      agent,
      body: stream[0]!.payload,
      headers: { "Content-Type": "application/json", "Stripe-Signature": forged },
    });
    if (response.status !== 400) throw new Error(`bad signature answered ${response.status}, not 400`);
  };
  await closedLoop(CONCURRENCY * 4, CONCURRENCY, refuse);
  const baseline = await closedLoop(ctx.short ? 500 : 2_000, CONCURRENCY, refuse);

  // ------------------------------------------------------------------ the storm
  const recordedLatency: number[] = [];
  const duplicateLatency: number[] = [];
  const retry: BenchEvent[] = [];
  const failures: string[] = [];
  let recorded = 0;
  let reportedDuplicates = 0;
  const deliver = async (event: BenchEvent, record: boolean) => {
    const t = performance.now();
    // Stripe signs every attempt afresh, so a re-sent event carries a new timestamp and signature.
    const response = await request(endpoint, {
      method: "POST",
      agent,
      body: event.payload,
      headers: { "Content-Type": "application/json", "Stripe-Signature": sign(event.payload) },
    });
    const elapsed = performance.now() - t;
    if (response.status >= 500) {
      // The route asks Stripe to retry; so do we, after the storm.
      retry.push(event);
      return elapsed;
    }
    if (response.status !== 200) throw new Error(`${event.type} ${event.id}: HTTP ${response.status}: ${response.body.slice(0, 200)}`);
    const body = JSON.parse(response.body) as { duplicate: boolean };
    if (body.duplicate) reportedDuplicates++;
    else recorded++;
    if (record) (body.duplicate ? duplicateLatency : recordedLatency).push(elapsed);
    return elapsed;
  };
  const backlog = async () => (await ctx.db.query<InboxBacklog>(INBOX_BACKLOG_SQL)).rows[0]!;
  let cursor = 0;
  const stormStarted = performance.now();
  const storm = await closedLoop(deliveries.length, CONCURRENCY, () => deliver(deliveries[cursor++]!, true));
  const leftAfterStorm = (await backlog()).pending;
  const retried = retry.length;
  for (let round = 0; round < 5 && retry.length; round++) {
    const again = retry.splice(0);
    await new Promise((r) => setTimeout(r, 500 * 2 ** round));
    let i = 0;
    await closedLoop(again.length, 4, () => deliver(again[i++]!, false)).catch((error: unknown) => failures.push(String(error)));
  }
  // The drain has been applying events since the first one arrived; wait until it has applied them all.
  const drained = await waitForEmptyInbox(backlog, { timeoutMs: DRAIN_TIMEOUT_MS, intervalMs: 50 });
  const applySeconds = (performance.now() - stormStarted) / 1000;
  const drainAfterStorm = applySeconds - storm.seconds;

  result.rows.push({
    operation: "bad signature (baseline, 400)",
    concurrency: CONCURRENCY,
    count: baseline.count,
    perSecond: baseline.perSecond,
    p50: baseline.p50,
    p99: baseline.p99,
    ratio: null,
  });
  result.rows.push({
    operation: "signed events, all (accepted: recorded in the inbox)",
    concurrency: CONCURRENCY,
    count: storm.count,
    perSecond: storm.perSecond,
    p50: storm.p50,
    p99: storm.p99,
    ratio: storm.perSecond / baseline.perSecond,
  });
  const firsts = summarize(recordedLatency, storm.seconds);
  const dupes = summarize(duplicateLatency, storm.seconds);
  result.rows.push({
    operation: "  of which recorded (first delivery)",
    concurrency: CONCURRENCY,
    count: firsts.count,
    perSecond: null,
    p50: firsts.p50,
    p99: firsts.p99,
    ratio: null,
  });
  result.rows.push({
    operation: "  of which duplicates (no-op)",
    concurrency: CONCURRENCY,
    count: dupes.count,
    perSecond: null,
    p50: dupes.p50,
    p99: dupes.p99,
    ratio: null,
  });
  result.rows.push({
    operation: "unique events applied (storm start → inbox empty)",
    concurrency: null,
    count: stream.length,
    perSecond: stream.length / applySeconds,
    p50: null,
    p99: null,
    ratio: stream.length / applySeconds / baseline.perSecond,
  });

  // ------------------------------------------------------------------ what the database says
  check(
    result,
    "every delivery answered 200 (after retries of 5xx)",
    retry.length === 0 && failures.length === 0,
    `${retried} answered 5xx and were re-sent; ${retry.length} still failing${failures.length ? `; ${failures[0]}` : ""}`,
  );
  check(
    result,
    "the route reported each event id recorded exactly once",
    recorded === stream.length,
    `${recorded} recorded, ${reportedDuplicates} duplicates reported, ${stream.length} unique ids, ${deliveries.length} deliveries`,
  );
  check(
    result,
    "the inbox applied every recorded event",
    drained.empty,
    `${drained.empty ? "empty" : `${drained.backlog.pending} still pending (${drained.backlog.failing} failing)`} ${drainAfterStorm.toFixed(1)} s after the storm ended; ${leftAfterStorm} events were waiting when it ended`,
  );
  const { rows: events } = await ctx.db.query<{ n: string; processed: string; retried: string }>(
    `SELECT count(*) AS n, count("processedAt") AS processed, count(*) FILTER (WHERE "failedAttempts" > 0) AS retried
       FROM "StripeEvent" WHERE id LIKE $1`,
    [`evt_bench${runId}\\_%`],
  );
  check(
    result,
    "StripeEvent rows = unique event ids, all processed",
    Number(events[0]!.n) === stream.length && Number(events[0]!.processed) === stream.length,
    `${events[0]!.n} rows, ${events[0]!.processed} processed, ${stream.length} unique ids sent`,
  );

  const { rows: states } = await ctx.db.query<{
    id: string;
    status: string;
    paidAt: Date | null;
    canceledAt: Date | null;
    amountRefunded: number;
    failedAttempts: number;
    attention: string | null;
    cart: string;
    intent: string;
  }>(
    `SELECT o.id, o.status, o."paidAt", o."canceledAt", o."amountRefunded", o."failedAttempts", o.attention, c.status AS cart, o."paymentIntentId" AS intent
       FROM "Order" o JOIN "Cart" c ON c.id = o."cartId" WHERE o.number LIKE $1`,
    [`B${runId}-%`],
  );
  const byId = new Map(states.map((s) => [s.id, s]));
  const wrong: string[] = [];
  let succeeded = 0;
  let paidOnce = 0;
  let refundsChecked = 0;
  let refundsRight = 0;
  orders.forEach((order, i) => {
    const state = byId.get(order.id);
    if (!state) return void wrong.push(`${order.id}: missing`);
    const sent = new Set(queues[i]!.map((e) => e.type));
    const paidEvent = sent.has("payment_intent.succeeded") || sent.has("charge.succeeded") || sent.has("charge.refunded");
    const expectStatus =
      order.maxRefund >= order.total
        ? "refunded"
        : order.maxRefund > 0
          ? "partially_refunded"
          : paidEvent
            ? "paid"
            : sent.has("payment_intent.canceled")
              ? "canceled"
              : sent.has("payment_intent.processing")
                ? "processing"
                : "pending";
    if (paidEvent) {
      succeeded++;
      if (
        (PAID_STATUSES as readonly string[]).includes(state.status) &&
        state.paidAt &&
        state.cart === "checked_out" &&
        state.intent === order.intentId
      )
        paidOnce++;
    }
    if (order.maxRefund > 0) {
      refundsChecked++;
      if (state.amountRefunded === order.maxRefund) refundsRight++;
    }
    const problems = [
      state.status !== expectStatus && `status ${state.status}, expected ${expectStatus}`,
      state.attention && `flagged: ${state.attention}`,
      // Failures count once per event id; after the payment they change nothing, so only unpaid orders are exact.
      !paidEvent &&
        state.failedAttempts !== order.failures &&
        `failedAttempts ${state.failedAttempts} for ${order.failures} failure events`,
      paidEvent && state.failedAttempts > order.failures && `failedAttempts ${state.failedAttempts} > ${order.failures} failure events`,
      expectStatus === "canceled" && !state.canceledAt && "canceled without canceledAt",
    ].filter(Boolean);
    if (problems.length) wrong.push(`${order.id} (${order.scenario}): ${problems.join("; ")}`);
  });
  check(
    result,
    "every succeeded intent has exactly one paid order (paidAt set, cart closed)",
    paidOnce === succeeded,
    `${paidOnce} of ${succeeded}`,
  );
  check(
    result,
    "refund totals = largest refund snapshot sent",
    refundsRight === refundsChecked,
    `${refundsRight} of ${refundsChecked} refunded orders`,
  );
  check(
    result,
    "every order in the state its events lead to",
    wrong.length === 0,
    wrong.length ? `${wrong.length} wrong, e.g. ${wrong.slice(0, 3).join(" | ")}` : `${orders.length} orders`,
  );

  result.notes.push(
    `${orders.length} orders inserted directly; ${stream.length} unique events (${[...counts].map(([t, n]) => `${t} ${n}`).join(", ")}), ` +
      `${deliveries.length - stream.length} re-sent ids (${((1 - stream.length / deliveries.length) * 100).toFixed(0)}%), ~${OUT_OF_ORDER_SHARE * 100}% of orders with shuffled events` +
      `${truncatedComplete ? "" : " (the last order's story cut short to hit the count)"}; ratio = events/s ÷ bad-signature POST/s at the same concurrency.`,
    `Inbox: ${leftAfterStorm} of ${stream.length} events still to apply when the storm ended (${storm.seconds.toFixed(1)} s); ` +
      `empty ${drainAfterStorm.toFixed(1)} s later, ${applySeconds.toFixed(1)} s after the storm began; ` +
      `${events[0]!.retried} events needed more than one attempt.`,
  );
  return result;
}
