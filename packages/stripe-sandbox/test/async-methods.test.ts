// Conformance: SEPA Direct Debit, US bank accounts and iDEAL (processing, mandates, the bank's redirect page), and
// cards saved by payments (setup_future_usage) then charged off session, through the stripe SDK.
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SandboxHandle } from "../src/server.js";
import { PUBLISHABLE_KEY, raw, sdk, start, tempDataFile, thrown, waitFor } from "./helpers.js";

/** Short, so the tests wait little; long enough to see `processing` first. */
const ASYNC_DELAY_MS = 300;

let sandbox: SandboxHandle;
let stripe: Stripe;

beforeAll(async () => {
  sandbox = await start({ asyncDelayMs: ASYNC_DELAY_MS });
  stripe = sdk(sandbox);
});
afterAll(() => sandbox.close());

/** Types of the events about `id` (as data.object), oldest first. */
async function eventTypes(client: Stripe, id: string): Promise<string[]> {
  const events = await client.events.list({ limit: 100 });
  return events.data
    .filter((e) => (e.data.object as { id: string }).id === id || (e.data.object as { payment_intent?: string }).payment_intent === id)
    .map((e) => e.type)
    .reverse();
}

const MANDATE = {
  customer_acceptance: { type: "online" as const, online: { ip_address: "203.0.113.7", user_agent: "Mozilla/5.0 (test)" } },
};
const SEPA_OWNER = { name: "Jenny Rosen", email: "jenny@example.com" };

/** An eur intent confirmed by SEPA Direct Debit with `iban`. */
function sepaPayment(iban: string, extra: Partial<Stripe.PaymentIntentCreateParams> = {}) {
  return stripe.paymentIntents.create({
    amount: 1999,
    currency: "eur",
    ...{ payment_method_types: ["sepa_debit"] },
    payment_method_data: { type: "sepa_debit", sepa_debit: { iban }, billing_details: SEPA_OWNER },
    mandate_data: MANDATE,
    confirm: true,
    ...extra,
  } as Stripe.PaymentIntentCreateParams);
}

function bankPayment(account: string) {
  return stripe.paymentIntents.create({
    amount: 5000,
    currency: "usd",
    ...{ payment_method_types: ["us_bank_account"] },
    payment_method_data: {
      type: "us_bank_account",
      us_bank_account: { routing_number: "110000000", account_number: account, account_holder_type: "individual" },
      billing_details: { name: "Jenny Rosen" },
    },
    mandate_data: MANDATE,
    confirm: true,
  } as Stripe.PaymentIntentCreateParams);
}

const settled = (id: string, status: Stripe.PaymentIntent.Status) =>
  waitFor(async () => {
    const pi = await stripe.paymentIntents.retrieve(id);
    return pi.status === status && pi;
  });

describe("which methods an intent offers", () => {
  it("automatic payment methods offer card plus the methods that take the currency", async () => {
    const types = async (currency: string, allow_redirects?: "never") =>
      (await stripe.paymentIntents.create({ amount: 1000, currency, automatic_payment_methods: { enabled: true, allow_redirects } }))
        .payment_method_types;
    expect(await types("usd")).toEqual(["card", "us_bank_account"]);
    expect(await types("eur")).toEqual(["card", "ideal", "sepa_debit"]);
    expect(await types("eur", "never")).toEqual(["card", "sepa_debit"]);
    expect(await types("gbp")).toEqual(["card"]);
  });

  it("changing the currency of an automatic intent changes its methods", async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: "usd" });
    const updated = await stripe.paymentIntents.update(pi.id, { currency: "eur" });
    expect(updated.payment_method_types).toEqual(["card", "ideal", "sepa_debit"]);
    expect(Object.keys(updated.payment_method_options ?? {}).sort()).toEqual(["card", "ideal", "sepa_debit"]);
  });

  it("refuses a method that cannot take the currency, and a type the sandbox does not know", async () => {
    const wrongCurrency = await thrown(
      stripe.paymentIntents.create({ amount: 1000, currency: "usd", ...{ payment_method_types: ["sepa_debit"] } }),
    );
    expect(wrongCurrency).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(wrongCurrency.param).toBe("currency");
    expect(wrongCurrency.message).toContain("sepa_debit support the following currencies: eur");
    const unknown = await thrown(stripe.paymentIntents.create({ amount: 1000, currency: "eur", ...{ payment_method_types: ["klarna"] } }));
    expect(unknown.param).toBe("payment_method_types");
  });

  it("a card cannot pay an intent that only takes SEPA Direct Debit", async () => {
    const e = await thrown(
      stripe.paymentIntents.create({
        amount: 1000,
        currency: "eur",
        ...{ payment_method_types: ["sepa_debit"] },
        payment_method: "pm_card_visa",
        confirm: true,
      }),
    );
    expect(e.code).toBe("payment_intent_incompatible_payment_method");
  });
});

describe("creating bank payment methods", () => {
  it("a SEPA method keeps the IBAN's country, bank code and last four digits, never the IBAN", async () => {
    const pm = await sdk(sandbox, PUBLISHABLE_KEY).paymentMethods.create({
      type: "sepa_debit",
      sepa_debit: { iban: "de89 3704 0044 0532 0130 00" },
      billing_details: SEPA_OWNER,
    });
    expect(pm.sepa_debit).toMatchObject({ country: "DE", bank_code: "37040044", last4: "3000" });
    expect(JSON.stringify(pm)).not.toContain("370400440532013000");
  });

  it("refuses an IBAN whose check digits are wrong, and a SEPA method without the owner's email", async () => {
    const bad = await thrown(
      stripe.paymentMethods.create({ type: "sepa_debit", sepa_debit: { iban: "DE89370400440532013001" }, billing_details: SEPA_OWNER }),
    );
    expect(bad).toMatchObject({ code: "invalid_bank_account_iban", param: "sepa_debit[iban]", statusCode: 400 });
    const noEmail = await thrown(
      stripe.paymentMethods.create({ type: "sepa_debit", sepa_debit: { iban: "DE89370400440532013000" }, billing_details: { name: "J" } }),
    );
    expect(noEmail).toMatchObject({ code: "parameter_missing", param: "billing_details[email]" });
  });

  it("checks a US routing number and account number", async () => {
    const create = (routing_number: string, account_number: string) =>
      stripe.paymentMethods.create({
        type: "us_bank_account",
        us_bank_account: { routing_number, account_number, account_holder_type: "company", account_type: "savings" },
        billing_details: { name: "Acme" },
      });
    const pm = await create("110000000", "000123456789");
    expect(pm.us_bank_account).toMatchObject({
      routing_number: "110000000",
      last4: "6789",
      account_holder_type: "company",
      account_type: "savings",
    });
    expect(await thrown(create("110000001", "000123456789"))).toMatchObject({ code: "routing_number_invalid" });
    expect(await thrown(create("110000000", "12"))).toMatchObject({ code: "account_number_invalid" });
  });

  it("names the nested param when payment_method_data is wrong", async () => {
    const e = await thrown(
      stripe.paymentIntents.create({
        amount: 1000,
        currency: "eur",
        ...{ payment_method_types: ["sepa_debit"] },
        payment_method_data: { type: "sepa_debit", sepa_debit: { iban: "NOT-AN-IBAN" }, billing_details: SEPA_OWNER },
        mandate_data: MANDATE,
        confirm: true,
      } as Stripe.PaymentIntentCreateParams),
    );
    expect(e.param).toBe("payment_method_data[sepa_debit][iban]");
  });
});

describe("SEPA Direct Debit", () => {
  it("DE89… goes processing with a pending charge and a mandate, then succeeds after the delay", async () => {
    const pi = await sepaPayment("DE89370400440532013000");
    expect(pi.status).toBe("processing");
    const pending = await stripe.charges.retrieve(pi.latest_charge as string);
    expect(pending).toMatchObject({ status: "pending", paid: false });
    const mandateId = pending.payment_method_details?.sepa_debit?.mandate;
    expect(mandateId).toMatch(/^mandate_/);
    const mandate = await stripe.mandates.retrieve(mandateId!);
    expect(mandate).toMatchObject({
      type: "single_use",
      status: "active",
      payment_method: pi.payment_method,
      customer_acceptance: { type: "online", online: { ip_address: "203.0.113.7", user_agent: "Mozilla/5.0 (test)" } },
    });

    const done = await settled(pi.id, "succeeded");
    expect(done.amount_received).toBe(1999);
    expect(await stripe.charges.retrieve(pi.latest_charge as string)).toMatchObject({ status: "succeeded", paid: true });
    expect(await eventTypes(stripe, pi.id)).toEqual([
      "payment_intent.created",
      "payment_intent.processing",
      "charge.pending",
      "charge.succeeded",
      "payment_intent.succeeded",
    ]);
  });

  it("DE62… fails after processing: payment_failed, the bank's reason, and the intent can be paid again", async () => {
    const pi = await sepaPayment("DE62370400440532013001");
    expect(pi.status).toBe("processing");
    const failed = await settled(pi.id, "requires_payment_method");
    expect(failed.last_payment_error).toMatchObject({ code: "insufficient_funds" });
    expect(await stripe.charges.retrieve(pi.latest_charge as string)).toMatchObject({
      status: "failed",
      failure_code: "insufficient_funds",
    });
    expect((await eventTypes(stripe, pi.id)).slice(-2)).toEqual(["charge.failed", "payment_intent.payment_failed"]);

    const again = await stripe.paymentIntents.confirm(pi.id, {
      payment_method_data: { type: "sepa_debit", sepa_debit: { iban: "AT611904300234573201" }, billing_details: SEPA_OWNER },
      mandate_data: MANDATE,
    } as Stripe.PaymentIntentConfirmParams);
    expect(again.status).toBe("processing");
    await settled(pi.id, "succeeded");
  });

  it("a debit needs the customer's mandate; infer_from_client is for publishable keys only", async () => {
    const noMandate = await thrown(sepaPayment("DE89370400440532013000", { mandate_data: undefined }));
    expect(noMandate).toMatchObject({ param: "mandate_data", statusCode: 400 });
    const inferred = await thrown(
      sepaPayment("DE89370400440532013000", {
        mandate_data: { customer_acceptance: { type: "online", online: { infer_from_client: true } } },
      } as never),
    );
    expect(inferred.param).toBe("mandate_data[customer_acceptance][online][infer_from_client]");
    const noAgent = await thrown(
      sepaPayment("DE89370400440532013000", {
        mandate_data: { customer_acceptance: { type: "online", online: { ip_address: "203.0.113.7" } } },
      } as never),
    );
    expect(noAgent).toMatchObject({ code: "parameter_missing", param: "mandate_data[customer_acceptance][online][user_agent]" });
  });

  it("a publishable key confirms with infer_from_client, as Stripe.js does", async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1500, currency: "eur", ...{ payment_method_types: ["sepa_debit"] } });
    const pm = await sdk(sandbox, PUBLISHABLE_KEY).paymentMethods.create({
      type: "sepa_debit",
      sepa_debit: { iban: "DE89370400440532013000" },
      billing_details: SEPA_OWNER,
    });
    const body = new URLSearchParams({
      client_secret: pi.client_secret!,
      payment_method: pm.id,
      "mandate_data[customer_acceptance][type]": "online",
      "mandate_data[customer_acceptance][online][infer_from_client]": "true",
    });
    const res = await raw(sandbox, "POST", `/v1/payment_intents/${pi.id}/confirm`, { key: PUBLISHABLE_KEY, body: body.toString() });
    expect(res.status).toBe(200);
    expect(res.json.status).toBe("processing");
  });

  it("canceled while processing, it never settles", async () => {
    const pi = await sepaPayment("DE89370400440532013000");
    await stripe.paymentIntents.cancel(pi.id);
    await new Promise((resolve) => setTimeout(resolve, ASYNC_DELAY_MS * 2));
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe("canceled");
    expect(await eventTypes(stripe, pi.id)).not.toContain("payment_intent.succeeded");
  });

  it("saved for later, its mandate is multi-use and a later off-session debit needs no new one", async () => {
    const customer = await stripe.customers.create({ email: "sepa@example.com" });
    const first = await sepaPayment("DE89370400440532013000", { customer: customer.id, setup_future_usage: "off_session" });
    await settled(first.id, "succeeded");
    const pmId = first.payment_method as string;
    expect((await stripe.paymentMethods.retrieve(pmId)).customer).toBe(customer.id);
    const charge = await stripe.charges.retrieve(first.latest_charge as string);
    expect((await stripe.mandates.retrieve(charge.payment_method_details!.sepa_debit!.mandate!)).type).toBe("multi_use");

    const later = await stripe.paymentIntents.create({
      amount: 700,
      currency: "eur",
      customer: customer.id,
      payment_method: pmId,
      ...{ payment_method_types: ["sepa_debit"] },
      off_session: true,
      confirm: true,
    });
    expect(later.status).toBe("processing");
    await settled(later.id, "succeeded");
  });

  it("a SetupIntent sets up a SEPA method with its mandate at once", async () => {
    const customer = await stripe.customers.create({ email: "seti-sepa@example.com" });
    const si = await stripe.setupIntents.create({
      customer: customer.id,
      ...{ payment_method_types: ["sepa_debit"] },
      payment_method_data: { type: "sepa_debit", sepa_debit: { iban: "DE89370400440532013000" }, billing_details: SEPA_OWNER },
      mandate_data: MANDATE,
      confirm: true,
    } as Stripe.SetupIntentCreateParams);
    expect(si.status).toBe("succeeded");
    expect((await stripe.mandates.retrieve(si.mandate as string)).type).toBe("multi_use");
  });
});

describe("US bank accounts", () => {
  it("000123456789 succeeds after processing", async () => {
    const pi = await bankPayment("000123456789");
    expect(pi.status).toBe("processing");
    await settled(pi.id, "succeeded");
    const charge = await stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge.payment_method_details).toMatchObject({
      type: "us_bank_account",
      us_bank_account: { last4: "6789", routing_number: "110000000" },
    });
  });

  it.each([
    ["000111111113", "account_closed"],
    ["000111111116", "no_account"],
    ["000222222227", "insufficient_funds"],
    ["000333333335", "debit_not_authorized"],
  ])("%s fails with %s", async (account, code) => {
    const pi = await bankPayment(account);
    const failed = await settled(pi.id, "requires_payment_method");
    expect(failed.last_payment_error?.code).toBe(code);
  });
});

describe("iDEAL (a redirect method)", () => {
  const idealIntent = () => stripe.paymentIntents.create({ amount: 2500, currency: "eur", ...{ payment_method_types: ["ideal"] } });
  const confirmIdeal = (id: string, return_url?: string) =>
    stripe.paymentIntents.confirm(id, { payment_method_data: { type: "ideal", ideal: { bank: "ing" } }, return_url });

  it("needs a return_url, then sends the customer to the bank's page", async () => {
    const pi = await idealIntent();
    expect(await thrown(confirmIdeal(pi.id))).toMatchObject({ param: "return_url", statusCode: 400 });
    const confirmed = await confirmIdeal(pi.id, "https://shop.example/return?order=7");
    expect(confirmed.status).toBe("requires_action");
    expect(confirmed.next_action?.type).toBe("redirect_to_url");
    expect(confirmed.next_action?.redirect_to_url?.return_url).toBe("https://shop.example/return?order=7");
    const page = await fetch(confirmed.next_action!.redirect_to_url!.url!);
    const html = await page.text();
    expect(html).toContain("iDEAL test payment page");
    expect(html).toContain("Authorize Test Payment");
    expect(html).toContain("Fail Test Payment");
  });

  async function press(pi: Stripe.PaymentIntent, button: "complete" | "fail"): Promise<URL> {
    const url = new URL(pi.next_action!.redirect_to_url!.url!);
    const res = await fetch(`${sandbox.url}${url.pathname}/${button}`, {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams({ client_secret: pi.client_secret!, mode: "redirect" }),
    });
    expect(res.status).toBe(303);
    return new URL(res.headers.get("location")!);
  }

  it("Authorize Test Payment returns with redirect_status=succeeded and the payment succeeded", async () => {
    const pi = await confirmIdeal((await idealIntent()).id, "https://shop.example/return?order=7");
    const back = await press(pi, "complete");
    expect(back.origin + back.pathname).toBe("https://shop.example/return");
    expect(Object.fromEntries(back.searchParams)).toMatchObject({ order: "7", payment_intent: pi.id, redirect_status: "succeeded" });
    const paid = await stripe.paymentIntents.retrieve(pi.id, { expand: ["latest_charge"] });
    expect(paid.status).toBe("succeeded");
    expect((paid.latest_charge as Stripe.Charge).payment_method_details).toMatchObject({
      type: "ideal",
      ideal: { bank: "ing", bic: "INGBNL2A" },
    });
  });

  it("Fail Test Payment returns with redirect_status=failed and the payment can be tried again", async () => {
    const pi = await confirmIdeal((await idealIntent()).id, "https://shop.example/return");
    const back = await press(pi, "fail");
    expect(back.searchParams.get("redirect_status")).toBe("failed");
    const failed = await stripe.paymentIntents.retrieve(pi.id);
    expect(failed.status).toBe("requires_payment_method");
    expect(failed.last_payment_error?.code).toBe("payment_intent_authentication_failure");
    expect((await eventTypes(stripe, pi.id)).at(-1)).toBe("payment_intent.payment_failed");
  });
});

describe("cards saved by a payment, then charged off session", () => {
  async function customerWith(email: string) {
    return stripe.customers.create({ email });
  }

  it("setup_future_usage attaches the card to the customer; an off-session payment with it succeeds", async () => {
    const customer = await customerWith("sfu@example.com");
    const first = await stripe.paymentIntents.create({
      amount: 1200,
      currency: "usd",
      customer: customer.id,
      setup_future_usage: "off_session",
      payment_method: "pm_card_visa",
      ...{ payment_method_types: ["card"] },
      confirm: true,
    });
    expect(first.status).toBe("succeeded");
    const saved = await stripe.customers.listPaymentMethods(customer.id);
    expect(saved.data.map((pm) => pm.id)).toEqual([first.payment_method]);
    const attached = (await stripe.events.list({ type: "payment_method.attached", limit: 20 })).data.map(
      (e) => (e.data.object as Stripe.PaymentMethod).id,
    );
    expect(attached).toContain(first.payment_method);

    const later = await stripe.paymentIntents.create({
      amount: 800,
      currency: "usd",
      customer: customer.id,
      payment_method: first.payment_method as string,
      off_session: true,
      confirm: true,
    });
    expect(later.status).toBe("succeeded");
  });

  it("4000 0027 6000 3184 authenticates when saved, yet declines off session with authentication_required", async () => {
    const customer = await customerWith("3184@example.com");
    const first = await stripe.paymentIntents.create({
      amount: 1200,
      currency: "usd",
      customer: customer.id,
      setup_future_usage: "off_session",
      payment_method: "pm_card_authenticationRequired",
      ...{ payment_method_types: ["card"] },
      confirm: true,
    });
    expect(first.status).toBe("requires_action");
    await fetch(`${sandbox.url}/3ds/challenge/${first.id}/complete`, {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams({ client_secret: first.client_secret!, mode: "frame" }),
    });
    expect((await stripe.paymentIntents.retrieve(first.id)).status).toBe("succeeded");
    const offSession = await thrown(
      stripe.paymentIntents.create({
        amount: 800,
        currency: "usd",
        customer: customer.id,
        payment_method: first.payment_method as string,
        off_session: true,
        confirm: true,
      }),
    );
    expect(offSession).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(offSession.code).toBe("authentication_required");
    expect(offSession.payment_intent?.status).toBe("requires_payment_method");
  });

  it("4000 0025 0000 3155 declines off session until it is set up, then passes", async () => {
    const customer = await customerWith("3155@example.com");
    const pm = await stripe.paymentMethods.attach("pm_card_authenticationRequiredOnSetup", { customer: customer.id });
    const offSession = (amount: number) =>
      stripe.paymentIntents.create({
        amount,
        currency: "usd",
        customer: customer.id,
        payment_method: pm.id,
        off_session: true,
        confirm: true,
      });
    expect((await thrown(offSession(900))).code).toBe("authentication_required");

    const si = await stripe.setupIntents.create({
      customer: customer.id,
      payment_method: pm.id,
      ...{ payment_method_types: ["card"] },
      confirm: true,
    });
    expect(si.status).toBe("requires_action");
    await fetch(`${sandbox.url}/3ds/challenge/${si.id}/complete`, {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams({ client_secret: si.client_secret!, mode: "frame" }),
    });
    expect((await stripe.setupIntents.retrieve(si.id)).status).toBe("succeeded");
    expect((await offSession(1000)).status).toBe("succeeded");
  });
});

describe("restart", () => {
  it("a debit processing when the sandbox stops settles after it starts again", async () => {
    const dataFile = tempDataFile();
    const first = await start({ dataFile, asyncDelayMs: 400 });
    const client = sdk(first);
    const pi = await client.paymentIntents.create({
      amount: 1999,
      currency: "eur",
      ...{ payment_method_types: ["sepa_debit"] },
      payment_method_data: { type: "sepa_debit", sepa_debit: { iban: "DE89370400440532013000" }, billing_details: SEPA_OWNER },
      mandate_data: MANDATE,
      confirm: true,
    } as Stripe.PaymentIntentCreateParams);
    await first.close();
    const second = await start({ dataFile, asyncDelayMs: 400 });
    try {
      const again = sdk(second);
      expect((await again.paymentIntents.retrieve(pi.id)).status).toBe("processing");
      await waitFor(async () => (await again.paymentIntents.retrieve(pi.id)).status === "succeeded");
    } finally {
      await second.close();
    }
  });
});
