// Conformance: the sandbox answered through the real stripe SDK and raw HTTP, as a shop would call Stripe.
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SandboxHandle } from "../src/server.js";
import { PUBLISHABLE_KEY, raw, sdk, SECRET_KEY, start, tempDataFile, thrown } from "./helpers.js";

let sandbox: SandboxHandle;
let stripe: Stripe;

beforeAll(async () => {
  sandbox = await start();
  stripe = sdk(sandbox);
});
afterAll(() => sandbox.close());

const card = { payment_method_types: ["card"] };

describe("payment intents", () => {
  it("creates with Stripe's shape and defaults", async () => {
    const pi = await stripe.paymentIntents.create({ amount: 2000, currency: "usd", metadata: { order_id: "o1" }, description: "Order o1" });
    expect(pi.id).toMatch(/^pi_/);
    expect(pi.object).toBe("payment_intent");
    expect(pi.client_secret).toMatch(new RegExp(`^${pi.id}_secret_`));
    expect(pi.status).toBe("requires_payment_method");
    expect(pi.automatic_payment_methods).toEqual({ enabled: true, allow_redirects: "always" });
    expect(pi.capture_method).toBe("automatic_async");
    expect(pi.amount_received).toBe(0);
    expect(pi.livemode).toBe(false);
    expect(pi.metadata).toEqual({ order_id: "o1" });
    expect(pi.latest_charge).toBeNull();
    expect(pi.lastResponse.headers["request-id"]).toMatch(/^req_/);
  });

  it("confirms with pm_card_visa to succeeded with a captured charge", async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 1500,
      currency: "eur",
      ...card,
      payment_method: "pm_card_visa",
      confirm: true,
      expand: ["latest_charge"],
    });
    expect(pi.status).toBe("succeeded");
    expect(pi.amount_received).toBe(1500);
    const charge = pi.latest_charge as Stripe.Charge;
    expect(charge.id).toMatch(/^ch_/);
    expect(charge.paid).toBe(true);
    expect(charge.captured).toBe(true);
    expect(charge.amount_captured).toBe(1500);
    expect(charge.balance_transaction).toMatch(/^txn_/);
    expect(charge.payment_method_details?.card?.last4).toBe("4242");
    expect(charge.payment_method_details?.card?.brand).toBe("visa");
  });

  it("goes requires_confirmation → succeeded when confirmed later, and refuses a second confirm", async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: "usd", ...card, payment_method: "pm_card_mastercard" });
    expect(pi.status).toBe("requires_confirmation");
    const done = await stripe.paymentIntents.confirm(pi.id);
    expect(done.status).toBe("succeeded");
    const err = await thrown(stripe.paymentIntents.confirm(pi.id));
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(err.code).toBe("payment_intent_unexpected_state");
    expect(err.message).toBe("You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.");
  });

  it("refuses confirming without a payment method", async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: "usd", ...card });
    const err = await thrown(stripe.paymentIntents.confirm(pi.id));
    expect(err.code).toBe("payment_intent_unexpected_state");
    expect(err.message).toMatch(/missing a payment method/);
  });

  it("needs return_url to confirm with automatic payment methods, unless redirects are off", async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: "usd" });
    const err = await thrown(stripe.paymentIntents.confirm(pi.id, { payment_method: "pm_card_visa" }));
    expect(err.param).toBe("return_url");
    expect(err.message).toMatch(/you must provide a `return_url`/);
    const ok = await stripe.paymentIntents.confirm(pi.id, { payment_method: "pm_card_visa", return_url: "http://shop.test/done" });
    expect(ok.status).toBe("succeeded");
    const never = await stripe.paymentIntents.create({
      amount: 1000,
      currency: "usd",
      automatic_payment_methods: { enabled: true, allow_redirects: "never" },
      payment_method: "pm_card_visa",
      confirm: true,
    });
    expect(never.status).toBe("succeeded");
  });

  it("declines with a 402 StripeCardError, records last_payment_error and can be retried with another card", async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: "usd", ...card });
    const err = await thrown(stripe.paymentIntents.confirm(pi.id, { payment_method: "pm_card_chargeDeclinedInsufficientFunds" }));
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(err.statusCode).toBe(402);
    expect(err.code).toBe("card_declined");
    expect(err.decline_code).toBe("insufficient_funds");
    expect(err.message).toBe("Your card has insufficient funds.");
    expect(err.payment_intent?.status).toBe("requires_payment_method");
    const after = await stripe.paymentIntents.retrieve(pi.id);
    expect(after.status).toBe("requires_payment_method");
    expect(after.last_payment_error?.decline_code).toBe("insufficient_funds");
    expect(after.payment_method).toBeNull();
    const retried = await stripe.paymentIntents.confirm(pi.id, { payment_method: "pm_card_visa" });
    expect(retried.status).toBe("succeeded");
    expect(retried.last_payment_error).toBeNull();
  });

  it.each([
    ["pm_card_chargeDeclined", "card_declined", "generic_decline"],
    ["pm_card_chargeDeclinedLostCard", "card_declined", "lost_card"],
    ["pm_card_chargeDeclinedStolenCard", "card_declined", "stolen_card"],
    ["pm_card_chargeDeclinedExpiredCard", "expired_card", "expired_card"],
    ["pm_card_chargeDeclinedIncorrectCvc", "incorrect_cvc", "incorrect_cvc"],
    ["pm_card_chargeDeclinedProcessingError", "processing_error", "processing_error"],
  ])("%s declines with %s / %s", async (token, code, declineCode) => {
    const err = await thrown(
      stripe.paymentIntents.create({ amount: 1000, currency: "usd", ...card, payment_method: token, confirm: true }),
    );
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(err.code).toBe(code);
    expect(err.decline_code).toBe(declineCode);
  });

  it("holds funds with manual capture, captures partially and releases the rest", async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 5000,
      currency: "usd",
      ...card,
      capture_method: "manual",
      payment_method: "pm_card_visa",
      confirm: true,
    });
    expect(pi.status).toBe("requires_capture");
    expect(pi.amount_capturable).toBe(5000);
    const err = await thrown(stripe.paymentIntents.capture(pi.id, { amount_to_capture: 6000 }));
    expect(err.param).toBe("amount_to_capture");
    const captured = await stripe.paymentIntents.capture(pi.id, { amount_to_capture: 3000, expand: ["latest_charge"] });
    expect(captured.status).toBe("succeeded");
    expect(captured.amount_received).toBe(3000);
    expect(captured.amount_capturable).toBe(0);
    const charge = captured.latest_charge as Stripe.Charge;
    expect(charge.captured).toBe(true);
    expect(charge.amount_captured).toBe(3000);
    expect(charge.amount_refunded).toBe(2000);
    const again = await thrown(stripe.paymentIntents.capture(pi.id));
    expect(again.code).toBe("payment_intent_unexpected_state");
  });

  it("cancels with a reason, and refuses to cancel a succeeded intent", async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: "usd", ...card });
    const canceled = await stripe.paymentIntents.cancel(pi.id, { cancellation_reason: "abandoned" });
    expect(canceled.status).toBe("canceled");
    expect(canceled.cancellation_reason).toBe("abandoned");
    expect(canceled.canceled_at).toBeGreaterThan(0);
    const paid = await stripe.paymentIntents.create({
      amount: 1000,
      currency: "usd",
      ...card,
      payment_method: "pm_card_visa",
      confirm: true,
    });
    const err = await thrown(stripe.paymentIntents.cancel(paid.id));
    expect(err.code).toBe("payment_intent_unexpected_state");
    expect(err.message).toMatch(/status of succeeded/);
  });

  it("updates metadata by merging, removes keys set to '' and refuses money changes once succeeded", async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: "usd", ...card, metadata: { a: "1", b: "2" } });
    const updated = await stripe.paymentIntents.update(pi.id, { metadata: { b: "", c: "3" }, description: "new" });
    expect(updated.metadata).toEqual({ a: "1", c: "3" });
    expect(updated.description).toBe("new");
    await stripe.paymentIntents.confirm(pi.id, { payment_method: "pm_card_visa" });
    const err = await thrown(stripe.paymentIntents.update(pi.id, { amount: 2000 }));
    expect(err.param).toBe("amount");
    const meta = await stripe.paymentIntents.update(pi.id, { metadata: { d: "4" } });
    expect(meta.metadata.d).toBe("4");
  });

  it("lists newest first and auto-paginates with for await", async () => {
    const local = await start();
    const s = sdk(local);
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push((await s.paymentIntents.create({ amount: 100 + i, currency: "usd", ...card })).id);
    const page = await s.paymentIntents.list({ limit: 10 });
    expect(page.object).toBe("list");
    expect(page.url).toBe("/v1/payment_intents");
    expect(page.has_more).toBe(true);
    expect(page.data.map((p) => p.id)).toEqual(ids.slice(-10).reverse());
    const seen: string[] = [];
    for await (const pi of s.paymentIntents.list({ limit: 7 })) seen.push(pi.id);
    expect(seen).toEqual([...ids].reverse());
    const before = await s.paymentIntents.list({ limit: 3, ending_before: ids[10] });
    expect(before.data.map((p) => p.id)).toEqual([ids[13], ids[12], ids[11]]);
    const err = await thrown(s.paymentIntents.list({ limit: 101 }));
    expect(err.param).toBe("limit");
    await local.close();
  });

  it("filters lists by customer and created", async () => {
    const customer = await stripe.customers.create({ email: "a@example.com" });
    expect(customer.id).toMatch(/^cus_/);
    const mine = await stripe.paymentIntents.create({ amount: 1000, currency: "usd", ...card, customer: customer.id });
    const list = await stripe.paymentIntents.list({ customer: customer.id });
    expect(list.data.map((p) => p.id)).toEqual([mine.id]);
    const none = await stripe.paymentIntents.list({ created: { lt: mine.created - 3600 } });
    expect(none.data).toEqual([]);
  });

  it("searches with the query language, pages with next_page and counts with expand total_count", async () => {
    const local = await start();
    const s = sdk(local);
    for (let i = 0; i < 5; i++)
      await s.paymentIntents.create({ amount: 1000 * (i + 1), currency: "usd", ...card, metadata: { shop: i % 2 ? "odd" : "even" } });
    const first = await s.paymentIntents.search({ query: `metadata['shop']:'even' AND amount>1000`, limit: 1, expand: ["total_count"] });
    expect(first.object).toBe("search_result");
    expect(first.data.map((p) => p.amount)).toEqual([5000]);
    expect(first.has_more).toBe(true);
    expect((first as unknown as { total_count: number }).total_count).toBe(2);
    const second = await s.paymentIntents.search({ query: `metadata['shop']:'even' AND amount>1000`, limit: 1, page: first.next_page! });
    expect(second.data.map((p) => p.amount)).toEqual([3000]);
    expect(second.next_page).toBeNull();
    const all: number[] = [];
    for await (const pi of s.paymentIntents.search({ query: `status:"requires_payment_method"`, limit: 2 })) all.push(pi.amount);
    expect(all).toEqual([5000, 4000, 3000, 2000, 1000]);
    const err = await thrown(s.paymentIntents.search({ query: `status:requires_payment_method` }));
    expect(err.param).toBe("query");
    await local.close();
  });
});

describe("validation errors", () => {
  it("names missing, invalid and unknown parameters like Stripe", async () => {
    const missing = await thrown(stripe.paymentIntents.create({ currency: "usd" } as Stripe.PaymentIntentCreateParams));
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect([missing.code, missing.param, missing.message]).toEqual(["parameter_missing", "amount", "Missing required param: amount."]);
    const unknown = await thrown(
      stripe.paymentIntents.create({ amount: 1000, currency: "usd", foo: "x" } as Stripe.PaymentIntentCreateParams),
    );
    expect([unknown.code, unknown.param, unknown.message]).toEqual(["parameter_unknown", "foo", "Received unknown parameter: foo"]);
    const bad = await raw(sandbox, "POST", "/v1/payment_intents", { body: "amount=abc&currency=usd" });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({
      type: "invalid_request_error",
      code: "parameter_invalid_integer",
      param: "amount",
      message: "Invalid integer: abc",
    });
    const empty = await raw(sandbox, "POST", "/v1/payment_intents", { body: "amount=&currency=usd" });
    expect(empty.json.error?.code).toBe("parameter_invalid_empty");
    const nested = await raw(sandbox, "POST", "/v1/payment_intents", { body: "amount=1000&currency=usd&shipping[nme]=x" });
    expect(nested.json.error?.message).toBe("Received unknown parameter: shipping[nme]");
  });

  it("applies currency rules and per-currency minimums", async () => {
    const cur = await thrown(stripe.paymentIntents.create({ amount: 1000, currency: "xyz" }));
    expect(cur.param).toBe("currency");
    expect(cur.message).toMatch(/^Invalid currency: xyz\./);
    const small = await thrown(stripe.paymentIntents.create({ amount: 49, currency: "usd" }));
    expect([small.code, small.message]).toEqual(["amount_too_small", "Amount must be at least $0.50 usd"]);
    const gbp = await thrown(stripe.paymentIntents.create({ amount: 29, currency: "gbp" }));
    expect(gbp.message).toBe("Amount must be at least £0.30 gbp");
    expect((await stripe.paymentIntents.create({ amount: 50, currency: "jpy" })).amount).toBe(50);
    const jpy = await thrown(stripe.paymentIntents.create({ amount: 49, currency: "jpy" }));
    expect(jpy.message).toBe("Amount must be at least ¥50 jpy");
    const big = await thrown(stripe.paymentIntents.create({ amount: 100_000_000, currency: "usd" }));
    expect(big.code).toBe("amount_too_large");
    const kwd = await thrown(stripe.paymentIntents.create({ amount: 1005, currency: "kwd" }));
    expect(kwd.param).toBe("amount");
  });

  it("enforces metadata and statement descriptor limits", async () => {
    const longKey = await thrown(stripe.paymentIntents.create({ amount: 1000, currency: "usd", metadata: { ["k".repeat(41)]: "v" } }));
    expect(longKey.param).toBe(`metadata[${"k".repeat(41)}]`);
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"]));
    expect((await thrown(stripe.paymentIntents.create({ amount: 1000, currency: "usd", metadata: many }))).param).toBe("metadata");
    const star = await thrown(stripe.paymentIntents.create({ amount: 1000, currency: "usd", statement_descriptor_suffix: "ORDER*1" }));
    expect(star.param).toBe("statement_descriptor_suffix");
    const long = await thrown(
      stripe.paymentIntents.create({ amount: 1000, currency: "usd", statement_descriptor_suffix: "ABCDEFGHIJKLMNOP" }),
    );
    expect(long.param).toBe("statement_descriptor_suffix");
    const onCard = await thrown(stripe.paymentIntents.create({ amount: 1000, currency: "usd", ...card, statement_descriptor: "MY SHOP" }));
    expect(onCard.param).toBe("statement_descriptor");
    const ok = await stripe.paymentIntents.create({
      amount: 1000,
      currency: "usd",
      ...card,
      statement_descriptor_suffix: "ORDER 42",
      payment_method: "pm_card_visa",
      confirm: true,
      expand: ["latest_charge"],
    });
    expect((ok.latest_charge as Stripe.Charge).calculated_statement_descriptor).toBe("SANDBOX* ORDER 42");
  });

  it("answers 404 resource_missing for unknown ids", async () => {
    const err = await thrown(stripe.paymentIntents.retrieve("pi_123"));
    expect(err.statusCode).toBe(404);
    expect([err.code, err.param, err.message]).toEqual(["resource_missing", "intent", "No such payment_intent: 'pi_123'"]);
  });

  it("rejects non-sequential array keys over HTTP", async () => {
    const res = await raw(sandbox, "GET", "/v1/payment_intents?expand[1]=data.latest_charge");
    expect(res.status).toBe(400);
    expect(res.json.error?.param).toBe("expand");
    expect(res.json.error?.message).toMatch(/keys must be numeric and sequential starting from 0\. You passed the keys `1`/);
  });

  it("rejects expansion of a field that cannot be expanded", async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: "usd" });
    const err = await thrown(stripe.paymentIntents.retrieve(pi.id, { expand: ["amount"] }));
    expect(err.message).toBe("This property cannot be expanded (amount).");
  });
});

describe("wire format and auth", () => {
  it("accepts curl-style Basic auth and x[]= arrays, and echoes Stripe-Version", async () => {
    const basic = Buffer.from(`${SECRET_KEY}:`).toString("base64");
    const res = await raw(sandbox, "POST", "/v1/payment_intents", {
      key: null,
      headers: { Authorization: `Basic ${basic}`, "Stripe-Version": "2023-10-16" },
      body: "amount=2000&currency=usd&payment_method_types[]=card&metadata[order]=9&payment_method=pm_card_visa&confirm=true",
    });
    expect(res.status).toBe(200);
    expect(res.json.payment_method_types).toEqual(["card"]);
    expect(res.json.metadata).toEqual({ order: "9" });
    // Before 2024-04-10 the default capture_method was automatic.
    expect(res.json.capture_method).toBe("automatic");
    expect(res.headers.get("stripe-version")).toBe("2023-10-16");
    expect(res.headers.get("request-id")).toMatch(/^req_/);
  });

  it("401s without a key, with a malformed key (masked) and with a live key", async () => {
    const none = await raw(sandbox, "GET", "/v1/payment_intents", { key: null });
    expect(none.status).toBe(401);
    expect(none.json.error?.message).toMatch(/^You did not provide an API key/);
    const bad = await thrown(sdk(sandbox, "sk_test_nope!abcd").paymentIntents.list());
    expect(bad).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    // A made-up live key, assembled so secret scanners do not mistake the test for a leaked key.
    const live = await raw(sandbox, "GET", "/v1/payment_intents", { key: ["sk", "live", "abcdefgh1234"].join("_") });
    expect(live.status).toBe(401);
    expect(live.json.error?.message).toMatch(/Live mode keys are refused.*sk_live_\*{8}1234/);
  });

  it("masks an invalid key as Stripe does", async () => {
    const res = await raw(sandbox, "GET", "/v1/payment_intents", { key: "xx_test_12345abcd" });
    expect(res.json.error?.message).toBe("Invalid API Key provided: xx_test_*****abcd");
  });

  it("only accepts the fixed key when started with one", async () => {
    const fixed = await start({ apiKey: "sk_test_onlythisone" });
    expect((await raw(fixed, "GET", "/v1/payment_intents", { key: "sk_test_onlythisone" })).status).toBe(200);
    expect((await raw(fixed, "GET", "/v1/payment_intents", { key: "sk_test_another1" })).status).toBe(401);
    await fixed.close();
  });

  it("lets a publishable key only retrieve and confirm with the client secret, in the client view", async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: "usd", metadata: { secret: "x" } });
    const pk = sdk(sandbox, PUBLISHABLE_KEY);
    expect(await thrown(pk.paymentIntents.list())).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(await thrown(pk.paymentIntents.create({ amount: 1000, currency: "usd" }))).toBeInstanceOf(
      Stripe.errors.StripeAuthenticationError,
    );
    const noSecret = await raw(sandbox, "GET", `/v1/payment_intents/${pi.id}`, { key: PUBLISHABLE_KEY });
    expect(noSecret.json.error?.param).toBe("client_secret");
    const wrong = await raw(sandbox, "GET", `/v1/payment_intents/${pi.id}?client_secret=${pi.id}_secret_nope`, { key: PUBLISHABLE_KEY });
    expect(wrong.status).toBe(400);
    const seen = await raw(sandbox, "GET", `/v1/payment_intents/${pi.id}?client_secret=${pi.client_secret}&key=${PUBLISHABLE_KEY}`, {
      key: null,
    });
    expect(seen.status).toBe(200);
    expect(seen.json.id).toBe(pi.id);
    expect(seen.json.metadata).toBeUndefined();
    const pm = await raw<Stripe.PaymentMethod>(sandbox, "POST", "/v1/payment_methods", {
      key: PUBLISHABLE_KEY,
      body: "type=card&card[number]=4242424242424242&card[exp_month]=12&card[exp_year]=34&card[cvc]=123&billing_details[address][postal_code]=10001",
    });
    expect(pm.status).toBe(200);
    expect(pm.json.card).toMatchObject({ brand: "visa", last4: "4242", exp_year: 2034 });
    const confirmed = await raw(sandbox, "POST", `/v1/payment_intents/${pi.id}/confirm`, {
      key: PUBLISHABLE_KEY,
      body: `client_secret=${pi.client_secret}&payment_method=${pm.json.id}&return_url=http%3A%2F%2Fshop.test%2Fdone`,
    });
    expect(confirmed.json.status).toBe("succeeded");
    expect(confirmed.json.latest_charge).toBeUndefined();
  });

  it("answers card-detail errors with 402 card_error on payment method creation", async () => {
    const luhn = await raw(sandbox, "POST", "/v1/payment_methods", {
      key: PUBLISHABLE_KEY,
      body: "type=card&card[number]=4242424242424241&card[exp_month]=12&card[exp_year]=2034&card[cvc]=123",
    });
    expect(luhn.status).toBe(402);
    expect(luhn.json.error).toMatchObject({ type: "card_error", code: "incorrect_number" });
    const past = await raw(sandbox, "POST", "/v1/payment_methods", {
      key: PUBLISHABLE_KEY,
      body: "type=card&card[number]=4242424242424242&card[exp_month]=12&card[exp_year]=2001&card[cvc]=123",
    });
    expect(past.json.error?.code).toBe("invalid_expiry_year");
    const cvc = await raw(sandbox, "POST", "/v1/payment_methods", {
      key: PUBLISHABLE_KEY,
      body: "type=card&card[number]=378282246310005&card[exp_month]=12&card[exp_year]=2034&card[cvc]=123",
    });
    expect(cvc.json.error?.code).toBe("invalid_cvc");
  });

  it("answers CORS preflight for the browser", async () => {
    const res = await fetch(`${sandbox.url}/v1/payment_intents/pi_x/confirm`, { method: "OPTIONS" });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-headers")).toMatch(/Idempotency-Key/);
  });
});

describe("idempotency", () => {
  it("replays the first result for the same key and params", async () => {
    const key = `idem-${Date.now()}`;
    const a = await raw(sandbox, "POST", "/v1/payment_intents", { body: "amount=1000&currency=usd", headers: { "Idempotency-Key": key } });
    const b = await raw(sandbox, "POST", "/v1/payment_intents", { body: "amount=1000&currency=usd", headers: { "Idempotency-Key": key } });
    expect(a.json.id).toMatch(/^pi_/);
    expect(b.json.id).toBe(a.json.id);
    expect(b.headers.get("idempotent-replayed")).toBe("true");
    expect(b.headers.get("original-request")).toBe(a.headers.get("request-id"));
    expect(b.headers.get("request-id")).not.toBe(a.headers.get("request-id"));
  });

  it("raises StripeIdempotencyError for the same key with other params", async () => {
    const key = `idem-conflict-${Date.now()}`;
    await stripe.paymentIntents.create({ amount: 1000, currency: "usd" }, { idempotencyKey: key });
    const err = await thrown(stripe.paymentIntents.create({ amount: 2000, currency: "usd" }, { idempotencyKey: key }));
    expect(err).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(err.message).toMatch(/^Keys for idempotent requests can only be used with the same parameters/);
  });

  it("does not store validation failures, so the key can be used again", async () => {
    const key = `idem-invalid-${Date.now()}`;
    const bad = await raw(sandbox, "POST", "/v1/payment_intents", { body: "amount=abc&currency=usd", headers: { "Idempotency-Key": key } });
    expect(bad.status).toBe(400);
    const good = await raw(sandbox, "POST", "/v1/payment_intents", {
      body: "amount=1000&currency=usd",
      headers: { "Idempotency-Key": key },
    });
    expect(good.status).toBe(200);
    expect(good.headers.get("idempotent-replayed")).toBeNull();
  });

  it("stores and replays a decline (the endpoint ran)", async () => {
    const key = `idem-decline-${Date.now()}`;
    const body = "amount=1000&currency=usd&payment_method_types[]=card&payment_method=pm_card_chargeDeclined&confirm=true";
    const a = await raw(sandbox, "POST", "/v1/payment_intents", { body, headers: { "Idempotency-Key": key } });
    const b = await raw(sandbox, "POST", "/v1/payment_intents", { body, headers: { "Idempotency-Key": key } });
    expect(a.status).toBe(402);
    expect(b.status).toBe(402);
    expect(a.json.error?.payment_intent?.id).toMatch(/^pi_/);
    expect(b.json.error?.payment_intent?.id).toBe(a.json.error?.payment_intent?.id);
    expect(b.headers.get("idempotent-replayed")).toBe("true");
  });

  it("answers 409 idempotency_key_in_use while the first request still runs", async () => {
    await fetch(`${sandbox.url}/_sandbox/faults`, { method: "POST", body: JSON.stringify({ apiDelayMs: 300 }) });
    try {
      const key = `idem-inflight-${Date.now()}`;
      const send = () =>
        raw(sandbox, "POST", "/v1/payment_intents", { body: "amount=1000&currency=usd", headers: { "Idempotency-Key": key } });
      const first = send();
      await new Promise((r) => setTimeout(r, 50));
      const second = await send();
      expect(second.status).toBe(409);
      expect(second.json.error?.code).toBe("idempotency_key_in_use");
      expect((await first).status).toBe(200);
    } finally {
      await fetch(`${sandbox.url}/_sandbox/faults`, { method: "DELETE" });
    }
  });
});

describe("refunds and events", () => {
  it("refunds partially then fully, updating the charge and emitting events", async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 3000,
      currency: "usd",
      ...card,
      payment_method: "pm_card_visa",
      confirm: true,
    });
    const partial = await stripe.refunds.create({
      payment_intent: pi.id,
      amount: 1000,
      reason: "requested_by_customer",
      metadata: { why: "size" },
    });
    expect(partial.id).toMatch(/^re_/);
    expect(partial).toMatchObject({ amount: 1000, status: "succeeded", payment_intent: pi.id, reason: "requested_by_customer" });
    let charge = await stripe.charges.retrieve(pi.latest_charge as string);
    expect([charge.amount_refunded, charge.refunded]).toEqual([1000, false]);
    const tooMuch = await thrown(stripe.refunds.create({ charge: charge.id, amount: 2500 }));
    expect(tooMuch.param).toBe("amount");
    const rest = await stripe.refunds.create({ charge: charge.id, expand: ["payment_intent"] });
    expect(rest.amount).toBe(2000);
    expect((rest.payment_intent as Stripe.PaymentIntent).id).toBe(pi.id);
    charge = await stripe.charges.retrieve(charge.id, { expand: ["payment_intent"] });
    expect([charge.amount_refunded, charge.refunded]).toEqual([3000, true]);
    expect((charge.payment_intent as Stripe.PaymentIntent).status).toBe("succeeded");
    const again = await thrown(stripe.refunds.create({ payment_intent: pi.id }));
    expect(again.code).toBe("charge_already_refunded");
    const list = await stripe.refunds.list({ payment_intent: pi.id });
    expect(list.data.map((r) => r.id)).toEqual([rest.id, partial.id]);
    const updated = await stripe.refunds.update(partial.id, { metadata: { note: "ok" } });
    expect(updated.metadata).toEqual({ why: "size", note: "ok" });
    const refundedEvents = await stripe.events.list({ type: "charge.refunded", limit: 2 });
    expect((refundedEvents.data[0]!.data.object as Stripe.Charge).amount_refunded).toBe(3000);
    expect(refundedEvents.data[0]!.data.previous_attributes).toMatchObject({ amount_refunded: 1000, refunded: false });
    const refundUpdated = await stripe.events.list({ type: "refund.updated", limit: 1 });
    expect((refundUpdated.data[0]!.data.object as Stripe.Refund).id).toBe(partial.id);
  });

  it("records the event sequence of a payment with request ids", async () => {
    const local = await start();
    const s = sdk(local);
    const pi = await s.paymentIntents.create(
      { amount: 1000, currency: "usd", ...card, payment_method: "pm_card_visa", confirm: true },
      { idempotencyKey: "evt-seq" },
    );
    const events = await s.events.list({ limit: 10 });
    expect(events.data.map((e) => e.type).reverse()).toEqual([
      "payment_intent.created",
      "charge.succeeded",
      "payment_intent.succeeded",
      "charge.updated",
    ]);
    const succeeded = events.data.find((e) => e.type === "payment_intent.succeeded")!;
    expect(succeeded.id).toMatch(/^evt_/);
    expect(succeeded.request).toEqual({ id: expect.stringMatching(/^req_/), idempotency_key: "evt-seq" });
    expect(succeeded.api_version).toBe("2026-10-28.endive");
    expect((succeeded.data.object as Stripe.PaymentIntent).id).toBe(pi.id);
    expect(succeeded.data.previous_attributes).toMatchObject({ status: "requires_confirmation" });
    const one = await s.events.retrieve(succeeded.id);
    expect(one.type).toBe("payment_intent.succeeded");
    const declined = await thrown(
      s.paymentIntents.create({ amount: 1000, currency: "usd", ...card, payment_method: "pm_card_chargeDeclined", confirm: true }),
    );
    expect(declined.type).toBe("StripeCardError");
    const failed = await s.events.list({ types: ["charge.failed", "payment_intent.payment_failed"] });
    expect(failed.data.map((e) => e.type)).toEqual(["payment_intent.payment_failed", "charge.failed"]);
    await local.close();
  });
});

describe("3-D Secure", () => {
  it("requires action, then the challenge page's Complete succeeds and redirects to return_url", async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 1000,
      currency: "usd",
      payment_method: "pm_card_authenticationRequired",
      confirm: true,
      return_url: "http://shop.test/done?order=7#top",
    });
    expect(pi.status).toBe("requires_action");
    expect(pi.next_action?.type).toBe("redirect_to_url");
    const challengeUrl = pi.next_action!.redirect_to_url!.url!;
    const page = await fetch(challengeUrl);
    const html = await page.text();
    expect(html).toContain("3D Secure 2 Test Page");
    expect(html).toMatch(/<button[^>]*>Complete<\/button>/);
    expect(html).toMatch(/<button[^>]*>Fail<\/button>/);
    const q = new URL(challengeUrl).searchParams;
    const res = await fetch(`${sandbox.url}/3ds/challenge/${pi.id}/complete`, {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams({ client_secret: q.get("client_secret")!, return_url: q.get("return_url")!, mode: "redirect" }),
    });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get("location")!);
    expect(location.origin + location.pathname).toBe("http://shop.test/done");
    expect(location.hash).toBe("#top");
    expect(Object.fromEntries(location.searchParams)).toEqual({
      order: "7",
      payment_intent: pi.id,
      payment_intent_client_secret: pi.client_secret,
      redirect_status: "succeeded",
    });
    const after = await stripe.paymentIntents.retrieve(pi.id, { expand: ["latest_charge"] });
    expect(after.status).toBe("succeeded");
    expect((after.latest_charge as Stripe.Charge).payment_method_details?.card?.three_d_secure?.result).toBe("authenticated");
  });

  it("Fail in a frame sets payment_intent_authentication_failure and posts a message to the parent", async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 1000,
      currency: "usd",
      ...card,
      payment_method: "pm_card_threeDSecure2Required",
      confirm: true,
      use_stripe_sdk: true,
    } as Stripe.PaymentIntentCreateParams);
    expect(pi.next_action?.type).toBe("use_stripe_sdk");
    const frameUrl = (pi.next_action!.use_stripe_sdk as { stripe_js: string }).stripe_js;
    expect(new URL(frameUrl).searchParams.get("mode")).toBe("frame");
    const res = await fetch(`${sandbox.url}/3ds/challenge/${pi.id}/fail`, {
      method: "POST",
      body: new URLSearchParams({ client_secret: pi.client_secret!, mode: "frame", return_url: "" }),
    });
    const html = await res.text();
    expect(html).toContain(`"type":"stripe-sandbox-3ds-complete"`);
    expect(html).toContain(pi.id);
    const after = await stripe.paymentIntents.retrieve(pi.id);
    expect(after.status).toBe("requires_payment_method");
    expect(after.last_payment_error?.code).toBe("payment_intent_authentication_failure");
    expect(after.last_payment_error?.message).toBe(
      "We are unable to authenticate your payment method. Please choose a different payment method and try again.",
    );
  });

  it("declines after authentication for the authenticate-then-decline card, and holds for manual capture", async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 1000,
      currency: "usd",
      ...card,
      payment_method: "pm_card_authenticationRequiredChargeDeclinedInsufficientFunds",
      confirm: true,
    });
    await fetch(`${sandbox.url}/3ds/challenge/${pi.id}/complete`, {
      method: "POST",
      body: new URLSearchParams({ client_secret: pi.client_secret!, mode: "frame" }),
    });
    const declined = await stripe.paymentIntents.retrieve(pi.id);
    expect(declined.status).toBe("requires_payment_method");
    expect(declined.last_payment_error?.decline_code).toBe("insufficient_funds");
    const manual = await stripe.paymentIntents.create({
      amount: 1000,
      currency: "usd",
      ...card,
      capture_method: "manual",
      payment_method: "pm_card_authenticationRequired",
      confirm: true,
    });
    await fetch(`${sandbox.url}/3ds/challenge/${manual.id}/complete`, {
      method: "POST",
      body: new URLSearchParams({ client_secret: manual.client_secret!, mode: "frame" }),
    });
    expect((await stripe.paymentIntents.retrieve(manual.id)).status).toBe("requires_capture");
  });

  it("declines off-session payments that would need authentication", async () => {
    const err = await thrown(
      stripe.paymentIntents.create({
        amount: 1000,
        currency: "usd",
        ...card,
        payment_method: "pm_card_authenticationRequiredOnSetup",
        confirm: true,
        off_session: true,
      }),
    );
    expect(err.code).toBe("authentication_required");
  });

  it("refuses a challenge with the wrong client secret", async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 1000,
      currency: "usd",
      ...card,
      payment_method: "pm_card_authenticationRequired",
      confirm: true,
    });
    const res = await fetch(`${sandbox.url}/3ds/challenge/${pi.id}?client_secret=nope&mode=frame`);
    expect(res.status).toBe(404);
  });
});

describe("persistence and control", () => {
  it("keeps state across a restart with the same data file", async () => {
    const dataFile = tempDataFile();
    const first = await start({ dataFile });
    const pi = await sdk(first).paymentIntents.create(
      { amount: 4200, currency: "usd", ...card, payment_method: "pm_card_visa", confirm: true },
      { idempotencyKey: "persist-1" },
    );
    await first.close();
    const second = await start({ dataFile });
    const s = sdk(second);
    const back = await s.paymentIntents.retrieve(pi.id);
    expect([back.status, back.amount]).toEqual(["succeeded", 4200]);
    const replay = await s.paymentIntents.create(
      { amount: 4200, currency: "usd", ...card, payment_method: "pm_card_visa", confirm: true },
      { idempotencyKey: "persist-1" },
    );
    expect(replay.id).toBe(pi.id);
    expect((await s.events.list({ type: "payment_intent.succeeded" })).data).toHaveLength(1);
    await second.close();
  });

  it("keeps nothing with persist: false", async () => {
    const dataFile = tempDataFile();
    const first = await start({ dataFile, persist: false });
    const pi = await sdk(first).paymentIntents.create({ amount: 1000, currency: "usd" });
    await first.close();
    const second = await start({ dataFile });
    expect((await thrown(sdk(second).paymentIntents.retrieve(pi.id))).statusCode).toBe(404);
    await second.close();
  });

  it("resets, reports health and serves a status page", async () => {
    const local = await start();
    await sdk(local).paymentIntents.create({ amount: 1000, currency: "usd" });
    expect(await (await fetch(`${local.url}/_sandbox/health`)).json()).toEqual({ ok: true });
    expect(await (await fetch(`${local.url}/_sandbox/status`)).text()).toContain("1 payment intents");
    await fetch(`${local.url}/_sandbox/reset`, { method: "POST" });
    expect((await sdk(local).paymentIntents.list()).data).toEqual([]);
    await local.close();
  });

  it("explains a missing browser bundle with a 404 instead of failing obscurely", async () => {
    const local = await start({ clientDir: "/nonexistent-client-dir" });
    const res = await fetch(`${local.url}/v3/stripe.js`);
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(/stripe-js\.ts/);
    await local.close();
  });
});
