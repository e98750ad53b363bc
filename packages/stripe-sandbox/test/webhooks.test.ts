// Webhook delivery to a local receiver: signatures stripe-node accepts, retries, and the fault switches.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterEach, describe, expect, it } from "vitest";
import type { SandboxHandle } from "../src/server.js";
import type { DeliveryAttempt } from "../src/webhooks.js";
import { receiver, sdk, start, waitFor } from "./helpers.js";

const card = { payment_method_types: ["card"] };
const verifier = new Stripe("sk_test_verifier");

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setup(options: { answer?: (i: number) => number; retryBaseMs?: number; webhookTimeoutMs?: number } = {}) {
  const hook = await receiver(options.answer);
  const sandbox = await start({
    forwardTo: hook.url,
    webhookSecret: "whsec_test_secret_for_tests",
    retryBaseMs: options.retryBaseMs ?? 50,
    webhookTimeoutMs: options.webhookTimeoutMs,
  });
  cleanup.push(hook.close, sandbox.close);
  return { hook, sandbox, stripe: sdk(sandbox) };
}

async function faults(sandbox: SandboxHandle, body: object) {
  const res = await fetch(`${sandbox.url}/_sandbox/faults`, { method: "POST", body: JSON.stringify(body) });
  expect(res.status).toBe(200);
}

async function deliveries(sandbox: SandboxHandle): Promise<DeliveryAttempt[]> {
  return (await fetch(`${sandbox.url}/_sandbox/deliveries`)).json() as Promise<DeliveryAttempt[]>;
}

describe("webhook delivery", () => {
  it("signs each delivery so stripe.webhooks.constructEvent accepts it", async () => {
    const { hook, sandbox, stripe } = await setup();
    const pi = await stripe.paymentIntents.create({
      amount: 1000,
      currency: "usd",
      ...card,
      payment_method: "pm_card_visa",
      confirm: true,
    });
    await waitFor(() => hook.received.length >= 4);
    const types = hook.received.map((r) => {
      expect(r.headers["content-type"]).toMatch(/^application\/json/);
      expect(r.headers["user-agent"]).toBe("Stripe/1.0 (+https://stripe.com/docs/webhooks)");
      expect(r.headers["stripe-signature"]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      const event = verifier.webhooks.constructEvent(r.body, r.headers["stripe-signature"] as string, sandbox.webhookSecret);
      return event.type;
    });
    expect(types.sort()).toEqual(["charge.succeeded", "charge.updated", "payment_intent.created", "payment_intent.succeeded"]);
    const succeeded = hook.received.map((r) => JSON.parse(r.body) as Stripe.Event).find((e) => e.type === "payment_intent.succeeded")!;
    expect((succeeded.data.object as Stripe.PaymentIntent).id).toBe(pi.id);
    expect(() =>
      verifier.webhooks.constructEvent(hook.received[0]!.body, hook.received[0]!.headers["stripe-signature"] as string, "whsec_wrong"),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError);
    await waitFor(async () => (await stripe.events.retrieve(succeeded.id)).pending_webhooks === 0);
  });

  it("retries a 500 with backoff until the receiver answers 2xx, signing each attempt afresh", async () => {
    const { hook, sandbox, stripe } = await setup({ answer: (i) => (i < 2 ? 500 : 200), retryBaseMs: 100 });
    const customer = await stripe.customers.create({ email: "retry@example.com" });
    await waitFor(() => hook.received.length >= 3, 5000);
    const attempts = (await deliveries(sandbox)).filter((d) => d.event_type === "customer.created");
    expect(attempts.map((a) => [a.attempt, a.outcome, a.status_code])).toEqual([
      [1, "failed", 500],
      [2, "failed", 500],
      [3, "delivered", 200],
    ]);
    // Backoff doubles: the gap before attempt 3 is at least 2 × retryBaseMs.
    const gap = Date.parse(attempts[2]!.at) - Date.parse(attempts[1]!.at);
    expect(gap).toBeGreaterThanOrEqual(190);
    for (const r of hook.received) {
      const event = verifier.webhooks.constructEvent(r.body, r.headers["stripe-signature"] as string, sandbox.webhookSecret);
      expect((event.data.object as Stripe.Customer).id).toBe(customer.id);
    }
    const status = await (await fetch(`${sandbox.url}/_sandbox/status`)).text();
    expect(status).toContain("customer.created");
  });

  it("counts a receiver that does not answer in time as failed", async () => {
    const { sandbox, stripe } = await setup({ webhookTimeoutMs: 100 });
    const silent = createServer(() => undefined); // accepts the request and never answers
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    cleanup.push(
      () =>
        new Promise<void>((r) => {
          silent.closeAllConnections();
          silent.close(() => r());
        }),
    );
    const hook = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
    await stripe.webhookEndpoints.create({ url: hook, enabled_events: ["customer.created"] });
    await stripe.customers.create({});
    const attempts = await waitFor(async () => {
      const list = (await deliveries(sandbox)).filter((d) => d.endpoint === hook);
      return list.length > 0 ? list : undefined;
    });
    expect(attempts[0]!.outcome).toBe("failed");
    expect(attempts[0]!.error).toMatch(/timed out after 100 ms/);
  });

  it("duplicate fault delivers every event twice", async () => {
    const { hook, sandbox, stripe } = await setup();
    await faults(sandbox, { duplicate: true });
    await stripe.customers.create({});
    await waitFor(() => hook.received.length >= 2);
    await new Promise((r) => setTimeout(r, 100));
    const ids = hook.received.map((r) => (JSON.parse(r.body) as Stripe.Event).id);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
  });

  it("dropFirstAttempt loses the first attempt, records it as failed and delivers on retry", async () => {
    const { hook, sandbox, stripe } = await setup();
    await faults(sandbox, { dropFirstAttempt: true });
    await stripe.customers.create({});
    await waitFor(() => hook.received.length >= 1);
    const attempts = await deliveries(sandbox);
    expect(attempts.map((a) => [a.attempt, a.outcome])).toEqual([
      [1, "dropped"],
      [2, "delivered"],
    ]);
    expect(hook.received).toHaveLength(1);
  });

  it("dropEventTypes never delivers those types", async () => {
    const { hook, sandbox, stripe } = await setup();
    await faults(sandbox, { dropEventTypes: ["payment_intent.succeeded"] });
    await stripe.paymentIntents.create({ amount: 1000, currency: "usd", ...card, payment_method: "pm_card_visa", confirm: true });
    await waitFor(() => hook.received.length >= 3);
    await new Promise((r) => setTimeout(r, 150));
    const types = hook.received.map((r) => (JSON.parse(r.body) as Stripe.Event).type);
    expect(types).not.toContain("payment_intent.succeeded");
    expect(types).toHaveLength(3);
    expect((await deliveries(sandbox)).find((d) => d.event_type === "payment_intent.succeeded")?.outcome).toBe("dropped");
  });

  it("outOfOrder delivers a held batch in reverse order", async () => {
    const { hook, sandbox, stripe } = await setup();
    await faults(sandbox, { outOfOrder: true });
    await stripe.paymentIntents.create({ amount: 1000, currency: "usd", ...card, payment_method: "pm_card_visa", confirm: true });
    await waitFor(() => hook.received.length >= 4);
    const types = hook.received.map((r) => (JSON.parse(r.body) as Stripe.Event).type);
    expect(types).toEqual(["charge.updated", "payment_intent.succeeded", "charge.succeeded", "payment_intent.created"]);
  });

  it("delayMs holds each attempt back", async () => {
    const { hook, sandbox, stripe } = await setup();
    await faults(sandbox, { delayMs: 300 });
    const started = Date.now();
    await stripe.customers.create({});
    expect(Date.now() - started).toBeLessThan(250); // the API answer does not wait for delivery
    await waitFor(() => hook.received.length >= 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("rejects unknown fault switches", async () => {
    const { sandbox } = await setup();
    const res = await fetch(`${sandbox.url}/_sandbox/faults`, { method: "POST", body: JSON.stringify({ explode: true }) });
    expect(res.status).toBe(400);
  });
});

describe("webhook endpoints API", () => {
  it("creates with a whsec_ secret, filters by enabled_events, lists, retrieves without secret and deletes", async () => {
    const { stripe } = await setup();
    const hook = await receiver();
    cleanup.push(hook.close);
    const we = await stripe.webhookEndpoints.create({ url: hook.url, enabled_events: ["payment_intent.succeeded"] });
    expect(we.id).toMatch(/^we_/);
    expect(we.secret).toMatch(/^whsec_/);
    await stripe.paymentIntents.create({ amount: 1000, currency: "usd", ...card, payment_method: "pm_card_visa", confirm: true });
    await waitFor(() => hook.received.length >= 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(hook.received).toHaveLength(1);
    const event = verifier.webhooks.constructEvent(
      hook.received[0]!.body,
      hook.received[0]!.headers["stripe-signature"] as string,
      we.secret!,
    );
    expect(event.type).toBe("payment_intent.succeeded");
    expect((await stripe.webhookEndpoints.retrieve(we.id)).secret).toBeUndefined();
    expect((await stripe.webhookEndpoints.list()).data.map((w) => w.id)).toEqual([we.id]);
    expect(await stripe.webhookEndpoints.del(we.id)).toMatchObject({ id: we.id, deleted: true });
    expect((await stripe.webhookEndpoints.list()).data).toEqual([]);
  });
});
