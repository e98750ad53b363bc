// Conformance: the dispute test cards, and retrieving, listing, answering and closing disputes, through the stripe SDK.
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SandboxHandle } from "../src/server.js";
import { invalid, sdk, start, tempDataFile, waitFor } from "./helpers.js";

/** Short, so the tests wait little; long enough to see `under_review` before the decision. */
const DISPUTE_DELAY_MS = 150;

let sandbox: SandboxHandle;
let stripe: Stripe;

beforeAll(async () => {
  sandbox = await start({ disputeDelayMs: DISPUTE_DELAY_MS });
  stripe = sdk(sandbox);
});
afterAll(() => sandbox.close());

/** A paid intent with `paymentMethod`, and the dispute its card opened (undefined when none). */
async function pay(client: Stripe, paymentMethod: string, amount = 2500) {
  const pi = await client.paymentIntents.create({
    amount,
    currency: "usd",
    payment_method: paymentMethod,
    automatic_payment_methods: { enabled: true, allow_redirects: "never" },
    confirm: true,
  });
  const disputes = await client.disputes.list({ payment_intent: pi.id });
  return { pi, chargeId: pi.latest_charge as string, dispute: disputes.data[0] };
}

async function disputed(client: Stripe = stripe, paymentMethod = "pm_card_createDispute") {
  const paid = await pay(client, paymentMethod);
  if (!paid.dispute) throw new Error(`${paymentMethod} opened no dispute`);
  return { ...paid, dispute: paid.dispute };
}

/** Types of the events about these objects, oldest first. */
async function eventTypes(client: Stripe, ids: string[]): Promise<string[]> {
  const events = await client.events.list({ limit: 100 });
  return events.data
    .filter((event) => ids.includes((event.data.object as { id: string }).id))
    .reverse()
    .map((event) => event.type);
}

async function eventsOf(client: Stripe, type: string, id: string): Promise<Stripe.Event[]> {
  const events = await client.events.list({ type, limit: 100 });
  return events.data.filter((event) => (event.data.object as { id: string }).id === id);
}

describe("dispute test cards", () => {
  it("pm_card_createDispute succeeds, then a fraudulent dispute opens that needs a response within a week", async () => {
    const { pi, chargeId, dispute } = await disputed();
    expect(pi.status).toBe("succeeded");
    const now = Math.floor(Date.now() / 1000);
    expect(dispute).toMatchObject({
      object: "dispute",
      amount: 2500,
      currency: "usd",
      charge: chargeId,
      payment_intent: pi.id,
      reason: "fraudulent",
      status: "needs_response",
      is_charge_refundable: false,
      livemode: false,
      metadata: {},
      evidence: { uncategorized_text: null, product_description: null, customer_email_address: null, customer_name: null },
      evidence_details: { has_evidence: false, past_due: false, submission_count: 0 },
    });
    expect(dispute.id).toMatch(/^du_/);
    expect(dispute.evidence_details.due_by).toBeGreaterThanOrEqual(now + 7 * 86400 - 5);
    expect(dispute.evidence_details.due_by).toBeLessThanOrEqual(now + 7 * 86400 + 5);
    expect(Math.abs(dispute.created - now)).toBeLessThanOrEqual(5);
    expect((await stripe.charges.retrieve(chargeId)).disputed).toBe(true);
  });

  it("the dispute's events follow the payment's own: charge.dispute.created, then charge.dispute.funds_withdrawn", async () => {
    const plain = await pay(stripe, "pm_card_visa");
    const paymentOwn = await eventTypes(stripe, [plain.pi.id, plain.chargeId]);
    expect(paymentOwn).toContain("payment_intent.succeeded");
    const { pi, chargeId, dispute } = await disputed();
    expect(await eventTypes(stripe, [pi.id, chargeId, dispute.id])).toEqual([
      ...paymentOwn,
      "charge.dispute.created",
      "charge.dispute.funds_withdrawn",
    ]);
    const [created] = await eventsOf(stripe, "charge.dispute.created", dispute.id);
    expect((created!.data.object as Stripe.Dispute).status).toBe("needs_response");
  });

  it("the card number 4000 0000 0000 0259 disputes like its token", async () => {
    const pm = await stripe.paymentMethods.create({
      type: "card",
      card: { number: "4000000000000259", exp_month: 12, exp_year: 2040, cvc: "123" },
    });
    const { dispute } = await disputed(stripe, pm.id);
    expect(dispute.reason).toBe("fraudulent");
  });

  it("4000 0000 0000 2685 opens a product_not_received dispute", async () => {
    const pm = await stripe.paymentMethods.create({
      type: "card",
      card: { number: "4000000000002685", exp_month: 12, exp_year: 2040, cvc: "123" },
    });
    const { dispute } = await disputed(stripe, pm.id);
    expect(dispute).toMatchObject({ reason: "product_not_received", status: "needs_response" });
  });

  it("4000 0000 0000 1976 opens an inquiry: warning_needs_response, still refundable, no funds withdrawn", async () => {
    const pm = await stripe.paymentMethods.create({
      type: "card",
      card: { number: "4000000000001976", exp_month: 12, exp_year: 2040, cvc: "123" },
    });
    const { pi, chargeId, dispute } = await disputed(stripe, pm.id);
    expect(dispute).toMatchObject({ status: "warning_needs_response", is_charge_refundable: true });
    const types = await eventTypes(stripe, [pi.id, chargeId, dispute.id]);
    expect(types).toContain("charge.dispute.created");
    expect(types).not.toContain("charge.dispute.funds_withdrawn");
  });

  it("an ordinary card is not disputed", async () => {
    const { chargeId, dispute } = await pay(stripe, "pm_card_visa");
    expect(dispute).toBeUndefined();
    expect((await stripe.charges.retrieve(chargeId)).disputed).toBe(false);
  });
});

describe("retrieve and list", () => {
  it("retrieves a dispute, and answers resource_missing for an unknown id", async () => {
    const { dispute } = await disputed();
    expect(await stripe.disputes.retrieve(dispute.id)).toEqual(dispute);
    const e = await invalid(stripe.disputes.retrieve("du_missing"));
    expect(e.statusCode).toBe(404);
    expect(e.code).toBe("resource_missing");
  });

  it("lists newest first, filtered by charge, with cursors", async () => {
    const first = await disputed();
    const second = await disputed();
    const byCharge = await stripe.disputes.list({ charge: first.chargeId });
    expect(byCharge.data.map((d) => d.id)).toEqual([first.dispute.id]);
    const page = await stripe.disputes.list({ limit: 1 });
    expect(page.data.map((d) => d.id)).toEqual([second.dispute.id]);
    expect(page.has_more).toBe(true);
    const next = await stripe.disputes.list({ limit: 1, starting_after: second.dispute.id });
    expect(next.data.map((d) => d.id)).toEqual([first.dispute.id]);
  });

  it("expands the charge and the payment intent, on one dispute and on lists", async () => {
    const { pi, chargeId, dispute } = await disputed();
    const expanded = await stripe.disputes.retrieve(dispute.id, { expand: ["charge", "payment_intent"] });
    expect((expanded.charge as Stripe.Charge).id).toBe(chargeId);
    expect((expanded.charge as Stripe.Charge).disputed).toBe(true);
    expect((expanded.payment_intent as Stripe.PaymentIntent).id).toBe(pi.id);
    const list = await stripe.disputes.list({ charge: chargeId, expand: ["data.charge"] });
    expect((list.data[0]!.charge as Stripe.Charge).id).toBe(chargeId);
  });
});

describe("evidence and outcome", () => {
  it("winning_evidence puts the dispute under review, then wins it and reinstates the funds", async () => {
    const { dispute } = await disputed();
    const updated = await stripe.disputes.update(dispute.id, {
      evidence: { uncategorized_text: "winning_evidence", customer_name: "Jenny Rosen", product_description: "Tide chart" },
      metadata: { case: "7" },
    });
    expect(updated).toMatchObject({
      status: "under_review",
      metadata: { case: "7" },
      evidence: { uncategorized_text: "winning_evidence", customer_name: "Jenny Rosen", product_description: "Tide chart" },
      evidence_details: { has_evidence: true, submission_count: 1 },
    });
    const [update] = await eventsOf(stripe, "charge.dispute.updated", dispute.id);
    expect(update!.data.previous_attributes).toMatchObject({ status: "needs_response" });
    const won = await waitFor(async () => {
      const d = await stripe.disputes.retrieve(dispute.id);
      return d.status === "won" && d;
    });
    expect(won.status).toBe("won");
    expect(await eventTypes(stripe, [dispute.id])).toEqual([
      "charge.dispute.created",
      "charge.dispute.funds_withdrawn",
      "charge.dispute.updated",
      "charge.dispute.closed",
      "charge.dispute.funds_reinstated",
    ]);
    const [closed] = await eventsOf(stripe, "charge.dispute.closed", dispute.id);
    expect(closed!.request).toEqual({ id: null, idempotency_key: null });
  });

  it("losing_evidence loses the dispute, with charge.dispute.closed and no funds back", async () => {
    const { dispute } = await disputed();
    await stripe.disputes.update(dispute.id, { evidence: { uncategorized_text: "losing_evidence" } });
    await waitFor(async () => (await stripe.disputes.retrieve(dispute.id)).status === "lost");
    expect(await eventTypes(stripe, [dispute.id])).toEqual([
      "charge.dispute.created",
      "charge.dispute.funds_withdrawn",
      "charge.dispute.updated",
      "charge.dispute.closed",
    ]);
  });

  it("other evidence stays under review", async () => {
    const { dispute } = await disputed();
    await stripe.disputes.update(dispute.id, { evidence: { uncategorized_text: "The customer signed for it." } });
    await new Promise((r) => setTimeout(r, DISPUTE_DELAY_MS * 3));
    expect((await stripe.disputes.retrieve(dispute.id)).status).toBe("under_review");
  });

  it("submit=false stores the evidence without submitting it", async () => {
    const { dispute } = await disputed();
    const staged = await stripe.disputes.update(dispute.id, { evidence: { uncategorized_text: "winning_evidence" }, submit: false });
    expect(staged).toMatchObject({ status: "needs_response", evidence_details: { has_evidence: true, submission_count: 0 } });
    await new Promise((r) => setTimeout(r, DISPUTE_DELAY_MS * 3));
    expect((await stripe.disputes.retrieve(dispute.id)).status).toBe("needs_response");
  });

  it("refuses evidence fields Stripe does not know", async () => {
    const { dispute } = await disputed();
    const e = await invalid(
      stripe.disputes.update(dispute.id, { evidence: { favourite_colour: "blue" } } as unknown as Stripe.DisputeUpdateParams),
    );
    expect(e.code).toBe("parameter_unknown");
    expect(e.param).toBe("evidence[favourite_colour]");
  });
});

describe("closing", () => {
  it("closing accepts the loss with charge.dispute.closed; a closed dispute refuses evidence and a second close", async () => {
    const { dispute } = await disputed();
    const closed = await stripe.disputes.close(dispute.id);
    expect(closed.status).toBe("lost");
    const [event] = await eventsOf(stripe, "charge.dispute.closed", dispute.id);
    expect(event!.data.previous_attributes).toMatchObject({ status: "needs_response" });
    await invalid(stripe.disputes.update(dispute.id, { evidence: { uncategorized_text: "winning_evidence" } }));
    await invalid(stripe.disputes.close(dispute.id));
    expect((await stripe.disputes.retrieve(dispute.id)).status).toBe("lost");
  });

  it("a won dispute refuses further evidence", async () => {
    const { dispute } = await disputed();
    await stripe.disputes.update(dispute.id, { evidence: { uncategorized_text: "winning_evidence" } });
    await waitFor(async () => (await stripe.disputes.retrieve(dispute.id)).status === "won");
    const e = await invalid(stripe.disputes.update(dispute.id, { evidence: { uncategorized_text: "losing_evidence" } }));
    expect(e.statusCode).toBe(400);
  });
});

describe("restart", () => {
  it("a decision pending when the sandbox stops is made after it starts again", async () => {
    const dataFile = tempDataFile();
    const first = await start({ dataFile, disputeDelayMs: 400 });
    const { dispute } = await disputed(sdk(first));
    await sdk(first).disputes.update(dispute.id, { evidence: { uncategorized_text: "winning_evidence" } });
    await first.close();
    const second = await start({ dataFile, disputeDelayMs: 400 });
    try {
      const client = sdk(second);
      expect((await client.disputes.retrieve(dispute.id)).status).toBe("under_review");
      await waitFor(async () => (await client.disputes.retrieve(dispute.id)).status === "won");
      expect((await eventsOf(client, "charge.dispute.funds_reinstated", dispute.id)).length).toBe(1);
    } finally {
      await second.close();
    }
  });
});
