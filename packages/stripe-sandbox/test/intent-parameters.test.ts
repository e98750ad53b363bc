// Conformance: the documented PaymentIntent, SetupIntent and PaymentMethod parameters added by the endpoint walk
// (README "Parameters, endpoint by endpoint"), through the stripe SDK.
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SandboxHandle } from "../src/server.js";
import { sdk, start, thrown } from "./helpers.js";

let sandbox: SandboxHandle;
let stripe: Stripe;

beforeAll(async () => {
  sandbox = await start({ asyncDelayMs: 100 });
  stripe = sdk(sandbox);
});
afterAll(() => sandbox.close());

const MANDATE = { customer_acceptance: { type: "online" as const, online: { ip_address: "203.0.113.7", user_agent: "test" } } };
const SEPA = {
  type: "sepa_debit" as const,
  sepa_debit: { iban: "DE89370400440532013000" },
  billing_details: { name: "J R", email: "j@example.com" },
};

describe("allowed_payment_method_types and excluded_payment_method_types", () => {
  it("keeps the allowed types that suit the currency, in order, and echoes the list as sent", async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 1000,
      currency: "eur",
      allowed_payment_method_types: ["sepa_debit", "us_bank_account", "card"],
    });
    expect(pi.payment_method_types).toEqual(["sepa_debit", "card"]);
    expect(pi.allowed_payment_method_types).toEqual(["sepa_debit", "us_bank_account", "card"]);
    expect(pi.automatic_payment_methods).toBeNull();
  });

  it("refuses a list with nothing usable, and a list together with payment_method_types or automatic methods", async () => {
    const none = await thrown(
      stripe.paymentIntents.create({ amount: 1000, currency: "usd", allowed_payment_method_types: ["sepa_debit"] }),
    );
    expect(none).toMatchObject({ param: "allowed_payment_method_types", statusCode: 400 });
    const both = await thrown(
      stripe.paymentIntents.create({
        amount: 1000,
        currency: "usd",
        allowed_payment_method_types: ["card"],
        ...{ payment_method_types: ["card"] },
      }),
    );
    expect(both.message).toBe("You may only specify one of these parameters: allowed_payment_method_types, payment_method_types.");
    const withAutomatic = await thrown(
      stripe.paymentIntents.create({
        amount: 1000,
        currency: "usd",
        allowed_payment_method_types: ["card"],
        automatic_payment_methods: { enabled: true },
      }),
    );
    expect(withAutomatic.param).toBe("allowed_payment_method_types");
  });

  it("follows a currency change on update, and can be set on confirm", async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 1000,
      currency: "usd",
      allowed_payment_method_types: ["card", "sepa_debit", "us_bank_account"],
    });
    expect(pi.payment_method_types).toEqual(["card", "us_bank_account"]);
    const eur = await stripe.paymentIntents.update(pi.id, { currency: "eur" });
    expect(eur.payment_method_types).toEqual(["card", "sepa_debit"]);
    const confirmed = await stripe.paymentIntents.confirm(pi.id, {
      allowed_payment_method_types: ["sepa_debit"],
      payment_method_data: SEPA,
      mandate_data: MANDATE,
    });
    expect(confirmed.payment_method_types).toEqual(["sepa_debit"]);
    expect(confirmed.status).toBe("processing");
  });

  it("excluded types leave the automatic set; they need automatic methods", async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: "eur", excluded_payment_method_types: ["ideal"] });
    expect(pi.payment_method_types).toEqual(["card", "sepa_debit"]);
    expect(pi.excluded_payment_method_types).toEqual(["ideal"]);
    const clash = await thrown(
      stripe.paymentIntents.create({
        amount: 1000,
        currency: "eur",
        excluded_payment_method_types: ["ideal"],
        ...{ payment_method_types: ["card"] },
      }),
    );
    expect(clash.message).toBe("You may only specify one of these parameters: excluded_payment_method_types, payment_method_types.");
  });

  it("a SetupIntent takes allowed_payment_method_types too", async () => {
    const si = await stripe.setupIntents.create({ allowed_payment_method_types: ["ideal", "sepa_debit", "card"] });
    expect(si.payment_method_types).toEqual(["sepa_debit", "card"]);
    expect(si.allowed_payment_method_types).toEqual(["ideal", "sepa_debit", "card"]);
    const updated = await stripe.setupIntents.update(si.id, { allowed_payment_method_types: ["card"] });
    expect(updated.payment_method_types).toEqual(["card"]);
  });
});

describe("other PaymentIntent parameters", () => {
  it("transfer_group and payment_details are kept, and the charge carries the transfer group", async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 1000,
      currency: "usd",
      transfer_group: "ORDER-42",
      payment_details: { order_reference: "ORDER-42", customer_reference: "CUST-7" },
      payment_method: "pm_card_visa",
      automatic_payment_methods: { enabled: true, allow_redirects: "never" },
      radar_options: { session: "rses_test" },
      confirm: true,
    });
    expect(pi.transfer_group).toBe("ORDER-42");
    expect(pi.payment_details).toEqual({ order_reference: "ORDER-42", customer_reference: "CUST-7" });
    const charges = await stripe.charges.list({ transfer_group: "ORDER-42" });
    expect(charges.data.map((c) => c.id)).toEqual([pi.latest_charge]);
  });

  it("error_on_requires_action declines a 3-D Secure card instead of asking", async () => {
    const e = await thrown(
      stripe.paymentIntents.create({
        amount: 1000,
        currency: "usd",
        payment_method: "pm_card_threeDSecure2Required",
        automatic_payment_methods: { enabled: true, allow_redirects: "never" },
        error_on_requires_action: true,
        confirm: true,
      }),
    );
    expect(e).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(e.code).toBe("authentication_required");
    expect(e.payment_intent?.status).toBe("requires_payment_method");
  });

  it("mandate names an existing mandate of the method instead of mandate_data", async () => {
    const customer = await stripe.customers.create({ email: "mandate@example.com" });
    const si = await stripe.setupIntents.create({
      customer: customer.id,
      allowed_payment_method_types: ["sepa_debit"],
      payment_method_data: SEPA,
      mandate_data: MANDATE,
      confirm: true,
    });
    const pi = await stripe.paymentIntents.create({
      amount: 1000,
      currency: "eur",
      customer: customer.id,
      allowed_payment_method_types: ["sepa_debit"],
      payment_method: si.payment_method as string,
      mandate: si.mandate as string,
      confirm: true,
    });
    expect(pi.status).toBe("processing");
    const charge = await stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge.payment_method_details?.sepa_debit?.mandate).toBe(si.mandate);
    const unknown = await thrown(
      stripe.paymentIntents.create({
        amount: 1000,
        currency: "eur",
        allowed_payment_method_types: ["sepa_debit"],
        payment_method: si.payment_method as string,
        mandate: "mandate_nope",
        confirm: true,
      }),
    );
    expect(unknown).toMatchObject({ code: "resource_missing", param: "mandate" });
  });

  it("payment_method_data on update creates the method", async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: "usd", allowed_payment_method_types: ["card"] });
    const updated = await stripe.paymentIntents.update(pi.id, {
      payment_method_data: { type: "card", card: { number: "4242424242424242", exp_month: 12, exp_year: 2040, cvc: "123" } } as never,
    });
    expect(updated.status).toBe("requires_confirmation");
    expect(updated.payment_method).toMatch(/^pm_/);
  });

  it("capture refuses final_capture=false and a full statement descriptor on a card payment", async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 1000,
      currency: "usd",
      allowed_payment_method_types: ["card"],
      capture_method: "manual",
      payment_method: "pm_card_visa",
      confirm: true,
    });
    expect((await thrown(stripe.paymentIntents.capture(pi.id, { final_capture: false }))).param).toBe("final_capture");
    expect((await thrown(stripe.paymentIntents.capture(pi.id, { statement_descriptor: "TIDEWATER" }))).param).toBe("statement_descriptor");
    expect((await stripe.paymentIntents.capture(pi.id)).status).toBe("succeeded");
  });
});

describe("PaymentMethods", () => {
  it("create keeps allow_redisplay and billing_details[tax_id]; customer attaches with payment_method.attached", async () => {
    const customer = await stripe.customers.create({ email: "pm@example.com" });
    const pm = await stripe.paymentMethods.create({
      type: "card",
      card: { number: "4242424242424242", exp_month: 12, exp_year: 2040, cvc: "123" } as never,
      allow_redisplay: "always",
      billing_details: { name: "Acme", tax_id: "DE123456789" },
      ...{ customer: customer.id },
    });
    expect(pm.allow_redisplay).toBe("always");
    expect(pm.billing_details.tax_id).toBe("DE123456789");
    expect(pm.customer).toBe(customer.id);
    const attached = await stripe.events.list({ type: "payment_method.attached", limit: 10 });
    expect(attached.data.map((e) => (e.data.object as Stripe.PaymentMethod).id)).toContain(pm.id);
  });

  it("retrieve expands the customer and refuses unknown parameters", async () => {
    const customer = await stripe.customers.create({ email: "expand@example.com" });
    const pm = await stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    const got = await stripe.paymentMethods.retrieve(pm.id, { expand: ["customer"] });
    expect((got.customer as Stripe.Customer).email).toBe("expand@example.com");
    const e = await thrown(stripe.paymentMethods.retrieve(pm.id, { colour: "red" } as never));
    expect(e).toMatchObject({ code: "parameter_unknown", param: "colour" });
  });

  it("update changes a saved method's details and expiry, with payment_method.updated; an unsaved one is refused", async () => {
    const customer = await stripe.customers.create({ email: "update@example.com" });
    const pm = await stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    const updated = await stripe.paymentMethods.update(pm.id, {
      billing_details: { name: "New Name", address: { postal_code: "10115" } },
      card: { exp_month: 3, exp_year: 2041 },
      metadata: { note: "renewed" },
    });
    expect(updated.billing_details.name).toBe("New Name");
    expect(updated.billing_details.address?.postal_code).toBe("10115");
    expect(updated.card).toMatchObject({ exp_month: 3, exp_year: 2041 });
    expect(updated.metadata).toEqual({ note: "renewed" });
    const events = await stripe.events.list({ type: "payment_method.updated", limit: 10 });
    const event = events.data.find((e) => (e.data.object as Stripe.PaymentMethod).id === pm.id);
    expect(event?.data.previous_attributes).toHaveProperty("card");

    const loose = await stripe.paymentMethods.create({
      type: "card",
      card: { number: "4242424242424242", exp_month: 12, exp_year: 2040 } as never,
    });
    expect((await thrown(stripe.paymentMethods.update(loose.id, { metadata: { a: "b" } }))).statusCode).toBe(400);
    expect((await thrown(stripe.paymentMethods.update(pm.id, { card: { exp_month: 13 } }))).code).toBe("invalid_expiry_month");
  });
});
