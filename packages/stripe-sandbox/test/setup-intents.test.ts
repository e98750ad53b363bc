// Conformance: SetupIntents (create, confirm with 3-D Secure, retrieve, update, cancel, list) and their events, through the stripe SDK.
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SandboxHandle } from "../src/server.js";
import { PUBLISHABLE_KEY, raw, sdk, start, thrown } from "./helpers.js";

let sandbox: SandboxHandle;
let stripe: Stripe;

beforeAll(async () => {
  sandbox = await start();
  stripe = sdk(sandbox);
});
afterAll(() => sandbox.close());

/** The events of `type` about the object `id`, newest first. */
async function eventsFor(type: string, id: string): Promise<Stripe.Event[]> {
  const events = await stripe.events.list({ type, limit: 100 });
  return events.data.filter((event) => (event.data.object as { id: string }).id === id);
}

/** Ids of the methods attached to a customer. */
async function attachedTo(customer: string): Promise<string[]> {
  return (await stripe.customers.listPaymentMethods(customer)).data.map((pm) => pm.id);
}

/** Presses Complete or Fail on the challenge page, as the page's own form does. */
function answer(id: string, outcome: "complete" | "fail", fields: Record<string, string>): Promise<Response> {
  return fetch(`${sandbox.url}/3ds/challenge/${id}/${outcome}`, { method: "POST", redirect: "manual", body: new URLSearchParams(fields) });
}

const card = { payment_method_types: ["card"] };

describe("setup intents: create and retrieve", () => {
  it("creates with Stripe's shape and defaults, and announces setup_intent.created", async () => {
    const si = await stripe.setupIntents.create();
    expect(si.id).toMatch(/^seti_/);
    expect(si.client_secret).toMatch(new RegExp(`^${si.id}_secret_\\w+$`));
    expect(si).toMatchObject({
      object: "setup_intent",
      status: "requires_payment_method",
      usage: "off_session",
      customer: null,
      description: null,
      payment_method: null,
      next_action: null,
      last_setup_error: null,
      latest_attempt: null,
      mandate: null,
      single_use_mandate: null,
      flow_directions: null,
      cancellation_reason: null,
      livemode: false,
      metadata: {},
      payment_method_types: ["card"],
      automatic_payment_methods: { enabled: true, allow_redirects: "always" },
      payment_method_options: { card: { request_three_d_secure: "automatic" } },
    });
    expect(await stripe.setupIntents.retrieve(si.id)).toEqual(si);
    const [created] = await eventsFor("setup_intent.created", si.id);
    expect((created!.data.object as Stripe.SetupIntent).status).toBe("requires_payment_method");
  });

  it("takes customer, payment method, usage, description and metadata; a method makes it requires_confirmation", async () => {
    const customer = await stripe.customers.create({ email: "setup@example.com" });
    const si = await stripe.setupIntents.create({
      ...card,
      customer: customer.id,
      payment_method: "pm_card_visa",
      usage: "on_session",
      description: "Save for later",
      metadata: { order: "7" },
    });
    expect(si).toMatchObject({
      status: "requires_confirmation",
      customer: customer.id,
      usage: "on_session",
      description: "Save for later",
      metadata: { order: "7" },
      automatic_payment_methods: null,
    });
    expect(si.payment_method).toMatch(/^pm_/);
    const expanded = await stripe.setupIntents.retrieve(si.id, { expand: ["payment_method", "customer"] });
    expect((expanded.payment_method as Stripe.PaymentMethod).card?.last4).toBe("4242");
    expect((expanded.customer as Stripe.Customer).email).toBe("setup@example.com");
  });

  it("refuses an unknown customer, an unknown id, a bad usage and confirm-only params without confirm", async () => {
    expect((await thrown(stripe.setupIntents.create({ customer: "cus_nope" }))).code).toBe("resource_missing");
    const missing = await thrown(stripe.setupIntents.retrieve("seti_nope"));
    expect([missing.statusCode, missing.code]).toEqual([404, "resource_missing"]);
    const usage = await thrown(stripe.setupIntents.create({ usage: "sometimes" as "on_session" }));
    expect(usage.param).toBe("usage");
    const returnUrl = await thrown(stripe.setupIntents.create({ return_url: "https://shop.test/done" }));
    expect(returnUrl.param).toBe("return_url");
  });
});

describe("setup intents: confirm", () => {
  it("succeeds, attaches the method to the customer and emits payment_method.attached and setup_intent.succeeded", async () => {
    const customer = await stripe.customers.create();
    const si = await stripe.setupIntents.create({ ...card, customer: customer.id, payment_method: "pm_card_visa" });
    const done = await stripe.setupIntents.confirm(si.id);
    expect(done.status).toBe("succeeded");
    expect(done.payment_method).toBe(si.payment_method);
    expect(await attachedTo(customer.id)).toEqual([si.payment_method]);
    const [attached] = await eventsFor("payment_method.attached", si.payment_method as string);
    expect((attached!.data.object as Stripe.PaymentMethod).customer).toBe(customer.id);
    const [succeeded] = await eventsFor("setup_intent.succeeded", si.id);
    expect(succeeded!.data.previous_attributes).toMatchObject({ status: "requires_confirmation" });
    const again = await thrown(stripe.setupIntents.confirm(si.id));
    expect([again.code, again.message]).toEqual([
      "setup_intent_unexpected_state",
      "You cannot confirm this SetupIntent because it has already succeeded after being previously confirmed.",
    ]);
  });

  it("creates and confirms in one request with a test token and mandate_data; without a customer nothing is attached", async () => {
    const si = await stripe.setupIntents.create({
      ...card,
      payment_method: "pm_card_mastercard",
      confirm: true,
      mandate_data: { customer_acceptance: { type: "online", online: { ip_address: "127.0.0.1", user_agent: "vitest" } } },
    });
    expect(si.status).toBe("succeeded");
    expect((await stripe.paymentMethods.retrieve(si.payment_method as string)).customer).toBeNull();
  });

  it("declines a declined card with a 402 card_error, last_setup_error and setup_intent.setup_failed, then accepts another card", async () => {
    const customer = await stripe.customers.create();
    const si = await stripe.setupIntents.create({ ...card, customer: customer.id });
    const err = await thrown(stripe.setupIntents.confirm(si.id, { payment_method: "pm_card_chargeDeclined" }));
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect([err.statusCode, err.code, err.decline_code]).toEqual([402, "card_declined", "generic_decline"]);
    expect(err.setup_intent).toMatchObject({ id: si.id, status: "requires_payment_method" });
    const failed = await stripe.setupIntents.retrieve(si.id);
    expect(failed.status).toBe("requires_payment_method");
    expect(failed.payment_method).toBeNull();
    expect(failed.last_setup_error).toMatchObject({ type: "card_error", code: "card_declined", decline_code: "generic_decline" });
    expect(await eventsFor("setup_intent.setup_failed", si.id)).toHaveLength(1);
    expect(await attachedTo(customer.id)).toEqual([]);
    const retried = await stripe.setupIntents.confirm(si.id, { payment_method: "pm_card_visa" });
    expect([retried.status, retried.last_setup_error]).toEqual(["succeeded", null]);
    expect(await attachedTo(customer.id)).toEqual([retried.payment_method]);
  });

  it("refuses a confirm without a method, without return_url under automatic payment methods, and with another customer's method", async () => {
    const bare = await stripe.setupIntents.create({ ...card, description: "no method yet" });
    expect((await thrown(stripe.setupIntents.confirm(bare.id))).code).toBe("setup_intent_unexpected_state");
    const automatic = await stripe.setupIntents.create({ payment_method: "pm_card_visa" });
    expect((await thrown(stripe.setupIntents.confirm(automatic.id))).param).toBe("return_url");
    const [ann, bob] = await Promise.all([stripe.customers.create(), stripe.customers.create()]);
    const pm = await stripe.paymentMethods.attach("pm_card_visa", { customer: ann.id });
    const bobs = await stripe.setupIntents.create({ ...card, customer: bob.id });
    const err = await thrown(stripe.setupIntents.confirm(bobs.id, { payment_method: pm.id }));
    expect(err.message).toBe("The payment method you provided has already been attached to a customer.");
    expect((await stripe.setupIntents.retrieve(bobs.id)).status).toBe("requires_payment_method");
  });
});

describe("setup intents: 3-D Secure", () => {
  it("asks for 3-D Secure on setup (4000 0025 0000 3155); Complete redirects to return_url and attaches the card", async () => {
    const customer = await stripe.customers.create();
    const si = await stripe.setupIntents.create({
      ...card,
      customer: customer.id,
      payment_method: "pm_card_authenticationRequiredOnSetup",
    });
    const pending = await stripe.setupIntents.confirm(si.id, { return_url: "http://shop.test/saved?step=2#top" });
    expect(pending.status).toBe("requires_action");
    expect(pending.next_action?.type).toBe("redirect_to_url");
    expect(pending.next_action?.redirect_to_url?.return_url).toBe("http://shop.test/saved?step=2#top");
    expect(await eventsFor("setup_intent.requires_action", si.id)).toHaveLength(1);
    expect(await attachedTo(customer.id)).toEqual([]);
    const challengeUrl = pending.next_action!.redirect_to_url!.url!;
    const html = await (await fetch(challengeUrl)).text();
    expect(html).toContain("3D Secure 2 Test Page");
    expect(html).toContain(si.id);
    expect(html).toMatch(/<button[^>]*>Complete<\/button>/);
    const q = new URL(challengeUrl).searchParams;
    const res = await answer(si.id, "complete", {
      client_secret: q.get("client_secret")!,
      return_url: q.get("return_url")!,
      mode: "redirect",
    });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get("location")!);
    expect(location.origin + location.pathname).toBe("http://shop.test/saved");
    expect(location.hash).toBe("#top");
    expect(Object.fromEntries(location.searchParams)).toEqual({
      step: "2",
      setup_intent: si.id,
      setup_intent_client_secret: si.client_secret,
      redirect_status: "succeeded",
    });
    const after = await stripe.setupIntents.retrieve(si.id);
    expect([after.status, after.next_action]).toEqual(["succeeded", null]);
    expect(await attachedTo(customer.id)).toEqual([si.payment_method]);
    const repeat = await answer(si.id, "complete", { client_secret: si.client_secret!, mode: "frame" });
    expect(repeat.status).toBe(409);
  });

  it("confirmed by Stripe.js (publishable key, 4000 0027 6000 3184): Fail in a frame sets setup_intent_authentication_failure", async () => {
    const si = await stripe.setupIntents.create({ ...card, usage: "on_session" });
    const confirmed = await raw<Stripe.SetupIntent>(sandbox, "POST", `/v1/setup_intents/${si.id}/confirm`, {
      key: PUBLISHABLE_KEY,
      body: new URLSearchParams({
        client_secret: si.client_secret!,
        payment_method: "pm_card_authenticationRequired",
        use_stripe_sdk: "true",
      }).toString(),
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.json.status).toBe("requires_action");
    expect(confirmed.json.next_action?.type).toBe("use_stripe_sdk");
    expect(confirmed.json).not.toHaveProperty("metadata");
    const frameUrl = new URL((confirmed.json.next_action!.use_stripe_sdk as { stripe_js: string }).stripe_js);
    expect(frameUrl.pathname).toBe(`/3ds/challenge/${si.id}`);
    expect(frameUrl.searchParams.get("mode")).toBe("frame");
    const res = await answer(si.id, "fail", { client_secret: si.client_secret!, mode: "frame", return_url: "" });
    const html = await res.text();
    expect(html).toContain(`"type":"stripe-sandbox-3ds-complete"`);
    expect(html).toContain(`"setupIntentId":"${si.id}"`);
    const after = await stripe.setupIntents.retrieve(si.id);
    expect(after.status).toBe("requires_payment_method");
    expect(after.last_setup_error).toMatchObject({
      code: "setup_intent_authentication_failure",
      message: "We are unable to authenticate your payment method. Please choose a different payment method and try again.",
    });
    const [failed] = await eventsFor("setup_intent.setup_failed", si.id);
    expect(failed!.request).toEqual({ id: null, idempotency_key: null });
  });

  it("refuses a challenge with the wrong client secret", async () => {
    const si = await stripe.setupIntents.create({ ...card, payment_method: "pm_card_threeDSecure2Required", confirm: true });
    expect(si.status).toBe("requires_action");
    const res = await fetch(`${sandbox.url}/3ds/challenge/${si.id}?client_secret=nope&mode=frame`);
    expect(res.status).toBe(404);
    expect((await answer(si.id, "complete", { client_secret: "nope", mode: "frame" })).status).toBe(404);
    expect((await stripe.setupIntents.retrieve(si.id)).status).toBe("requires_action");
  });
});

describe("setup intents: the publishable key", () => {
  it("retrieves the client view with the client secret only", async () => {
    const customer = await stripe.customers.create();
    const si = await stripe.setupIntents.create({ ...card, customer: customer.id, metadata: { secret: "yes" } });
    const client = sdk(sandbox, PUBLISHABLE_KEY);
    const view = await client.setupIntents.retrieve(si.id, { client_secret: si.client_secret! });
    expect(view).toMatchObject({ id: si.id, status: "requires_payment_method", usage: "off_session", client_secret: si.client_secret });
    expect(view).not.toHaveProperty("customer");
    expect(view).not.toHaveProperty("metadata");
    expect((await thrown(client.setupIntents.retrieve(si.id))).code).toBe("parameter_missing");
    expect((await thrown(client.setupIntents.retrieve(si.id, { client_secret: "seti_x_secret_y" }))).param).toBe("client_secret");
    expect((await thrown(client.setupIntents.create())).statusCode).toBe(401);
    expect((await thrown(client.setupIntents.cancel(si.id))).statusCode).toBe(401);
  });
});

describe("setup intents: update, cancel and list", () => {
  it("updates metadata, description and the method; the method and customer are fixed once succeeded", async () => {
    const si = await stripe.setupIntents.create({ ...card, metadata: { a: "1" } });
    const updated = await stripe.setupIntents.update(si.id, {
      metadata: { b: "2" },
      description: "card on file",
      payment_method: "pm_card_visa",
    });
    expect(updated).toMatchObject({ metadata: { a: "1", b: "2" }, description: "card on file", status: "requires_confirmation" });
    await stripe.setupIntents.confirm(si.id);
    const err = await thrown(stripe.setupIntents.update(si.id, { payment_method: "pm_card_visa" }));
    expect([err.code, err.param]).toEqual(["setup_intent_unexpected_state", "payment_method"]);
    expect((await stripe.setupIntents.update(si.id, { metadata: { a: "" } })).metadata).toEqual({ b: "2" });
  });

  it("cancels from requires_action with a reason and setup_intent.canceled; a succeeded or canceled one cannot be canceled or confirmed", async () => {
    const si = await stripe.setupIntents.create({ ...card, payment_method: "pm_card_authenticationRequired", confirm: true });
    const canceled = await stripe.setupIntents.cancel(si.id, { cancellation_reason: "requested_by_customer" });
    expect(canceled).toMatchObject({ status: "canceled", cancellation_reason: "requested_by_customer", next_action: null });
    const [event] = await eventsFor("setup_intent.canceled", si.id);
    expect(event!.data.previous_attributes).toMatchObject({ status: "requires_action" });
    expect((await thrown(stripe.setupIntents.confirm(si.id))).code).toBe("setup_intent_unexpected_state");
    expect((await answer(si.id, "complete", { client_secret: si.client_secret!, mode: "frame" })).status).toBe(409);
    const done = await stripe.setupIntents.create({ ...card, payment_method: "pm_card_visa", confirm: true });
    const err = await thrown(stripe.setupIntents.cancel(done.id));
    expect([err.code, err.message]).toEqual([
      "setup_intent_unexpected_state",
      "You cannot cancel this SetupIntent because it has a status of succeeded. Only a SetupIntent with one of the following statuses may be canceled: requires_payment_method, requires_confirmation, requires_action, processing.",
    ]);
    expect((await thrown(stripe.setupIntents.cancel(done.id, { cancellation_reason: "fraudulent" as "abandoned" }))).param).toBe(
      "cancellation_reason",
    );
  });

  it("lists newest first by customer and payment method, with cursors and created filters", async () => {
    const customer = await stripe.customers.create();
    const first = await stripe.setupIntents.create({ ...card, customer: customer.id });
    const second = await stripe.setupIntents.create({ ...card, customer: customer.id, payment_method: "pm_card_visa" });
    const third = await stripe.setupIntents.create({ ...card, customer: customer.id });
    const all = await stripe.setupIntents.list({ customer: customer.id });
    expect(all.data.map((si) => si.id)).toEqual([third.id, second.id, first.id]);
    const page = await stripe.setupIntents.list({ customer: customer.id, limit: 1, starting_after: third.id });
    expect([page.data.map((si) => si.id), page.has_more]).toEqual([[second.id], true]);
    const byMethod = await stripe.setupIntents.list({ payment_method: second.payment_method as string });
    expect(byMethod.data.map((si) => si.id)).toEqual([second.id]);
    const later = await stripe.setupIntents.list({ customer: customer.id, created: { gt: first.created + 3600 } });
    expect(later.data).toEqual([]);
    const expanded = await stripe.setupIntents.list({ customer: customer.id, limit: 1, expand: ["data.customer"] });
    expect((expanded.data[0]!.customer as Stripe.Customer).id).toBe(customer.id);
  });
});
