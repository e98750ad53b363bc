// Conformance: the documented parameters of Customers, Charges, Refunds and Events (README "Parameters, endpoint by
// endpoint"): the ones the sandbox honours have their effect, and the ones it does not support are refused as Stripe
// refuses a parameter it does not know.
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SandboxHandle } from "../src/server.js";
import { invalid, receiver, sdk, start, waitFor } from "./helpers.js";

let sandbox: SandboxHandle;
let stripe: Stripe;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  sandbox = await start();
  stripe = sdk(sandbox);
});
afterAll(async () => {
  for (const close of closers) await close();
  await sandbox.close();
});

/** A succeeded card payment for `customer` (if given); the intent, with its charge id. */
async function pay(amount: number, customer?: string): Promise<Stripe.PaymentIntent> {
  // payment_method_types is spread in because SDK 23 no longer types it (see the README's PaymentIntents row).
  return stripe.paymentIntents.create({
    amount,
    currency: "usd",
    ...{ payment_method_types: ["card"] },
    payment_method: "pm_card_visa",
    confirm: true,
    ...(customer ? { customer } : {}),
  });
}

describe("customers: documented fields now honoured", () => {
  it("create sets balance, names, invoice prefix and sequence, locales, tax exemption and invoice settings", async () => {
    const customer = await stripe.customers.create({
      name: "Harbour Supplies",
      balance: -1500,
      business_name: "Harbour Supplies Ltd",
      individual_name: "Ann Lee",
      invoice_prefix: "HARB01",
      next_invoice_sequence: 7,
      preferred_locales: ["en-GB", "fr"],
      tax_exempt: "reverse",
      tax: { ip_address: "203.0.113.9", validate_location: "deferred" },
      validate: true,
      invoice_settings: {
        custom_fields: [{ name: "PO", value: "12345" }],
        footer: "Thank you",
        rendering_options: { amount_tax_display: "exclude_tax" },
      },
    });
    expect(customer).toMatchObject({
      balance: -1500,
      business_name: "Harbour Supplies Ltd",
      individual_name: "Ann Lee",
      invoice_prefix: "HARB01",
      next_invoice_sequence: 7,
      preferred_locales: ["en-GB", "fr"],
      tax_exempt: "reverse",
      invoice_settings: {
        custom_fields: [{ name: "PO", value: "12345" }],
        default_payment_method: null,
        footer: "Thank you",
        rendering_options: { amount_tax_display: "exclude_tax", template: null },
      },
    });
    expect(await stripe.customers.retrieve(customer.id)).toMatchObject({ balance: -1500, invoice_prefix: "HARB01" });
  });

  it("update changes and unsets them, announcing the change in customer.updated", async () => {
    const customer = await stripe.customers.create({
      business_name: "Old Name",
      tax_exempt: "exempt",
      invoice_settings: { custom_fields: [{ name: "PO", value: "1" }], footer: "Old footer" },
    });
    const updated = await stripe.customers.update(customer.id, {
      balance: 250,
      business_name: "",
      tax_exempt: "",
      preferred_locales: [],
      invoice_settings: { custom_fields: "", footer: "New footer" },
    });
    expect(updated.balance).toBe(250);
    expect(updated.business_name).toBeUndefined();
    expect(updated.tax_exempt).toBe("none");
    expect(updated.preferred_locales).toEqual([]);
    expect(updated.invoice_settings).toMatchObject({ custom_fields: null, footer: "New footer" });
    const events = await stripe.events.list({ type: "customer.updated", limit: 100 });
    const event = events.data.find((e) => (e.data.object as Stripe.Customer).id === customer.id)!;
    expect(event.data.previous_attributes).toMatchObject({ balance: 0, tax_exempt: "exempt" });
  });

  it("checks the values as Stripe does", async () => {
    const prefix = await invalid(stripe.customers.create({ invoice_prefix: "lower" }));
    expect(prefix.param).toBe("invoice_prefix");
    const sequence = await invalid(stripe.customers.create({ next_invoice_sequence: 0 }));
    expect(sequence.param).toBe("next_invoice_sequence");
    const exempt = await invalid(stripe.customers.create({ tax_exempt: "sometimes" }));
    expect(exempt.param).toBe("tax_exempt");
    const fields = Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, value: "v" }));
    const tooMany = await invalid(stripe.customers.create({ invoice_settings: { custom_fields: fields } }));
    expect(tooMany.param).toBe("invoice_settings[custom_fields]");
    const stray = await invalid(
      stripe.customers.create({ invoice_settings: { custom_fields: [{ name: "a", value: "b", colour: "red" } as never] } }),
    );
    expect([stray.code, stray.param]).toEqual(["parameter_unknown", "invoice_settings[custom_fields][0][colour]"]);
  });
});

describe("charges and refunds: list filters", () => {
  it("lists charges by customer and payment_intent; transfer_group matches none (no Connect)", async () => {
    const customer = await stripe.customers.create({ email: "filters@example.com" });
    const mine = await pay(1100, customer.id);
    const other = await pay(1200);
    const byCustomer = await stripe.charges.list({ customer: customer.id });
    expect(byCustomer.data.map((c) => c.id)).toEqual([mine.latest_charge]);
    const byIntent = await stripe.charges.list({ payment_intent: other.id });
    expect(byIntent.data.map((c) => c.id)).toEqual([other.latest_charge]);
    expect((await stripe.charges.list({ transfer_group: "ORDER_1" })).data).toEqual([]);
  });

  it("lists refunds by charge and payment_intent", async () => {
    const first = await pay(2000);
    const second = await pay(3000);
    const a = await stripe.refunds.create({ payment_intent: first.id, amount: 500 });
    const b = await stripe.refunds.create({ charge: second.latest_charge as string });
    expect((await stripe.refunds.list({ payment_intent: first.id })).data.map((r) => r.id)).toEqual([a.id]);
    expect((await stripe.refunds.list({ charge: second.latest_charge as string })).data.map((r) => r.id)).toEqual([b.id]);
  });
});

describe("events: list filters", () => {
  it("filters by created and refuses type together with types, or more than 20 types", async () => {
    const customer = await stripe.customers.create();
    const created = await stripe.events.list({ type: "customer.created", limit: 100 });
    const event = created.data.find((e) => (e.data.object as Stripe.Customer).id === customer.id)!;
    const exact = await stripe.events.list({ created: event.created, type: "customer.created", limit: 100 });
    expect(exact.data.map((e) => e.id)).toContain(event.id);
    expect(
      (await stripe.events.list({ created: { lt: event.created }, type: "customer.created", limit: 100 })).data.map((e) => e.id),
    ).not.toContain(event.id);
    const both = await invalid(stripe.events.list({ type: "customer.created", types: ["customer.updated"] }));
    expect(both.param).toBe("type");
    const many = await invalid(stripe.events.list({ types: Array.from({ length: 21 }, (_, i) => `customer.t${i}`) }));
    expect(many.param).toBe("types");
  });

  it("filters by delivery_success: delivered to every endpoint, or still pending / failed", async () => {
    // A sandbox of its own, so that the endpoints registered here do not receive the other tests' events.
    const own = await start();
    closers.push(() => own.close());
    const api = sdk(own);
    const ok = await receiver(() => 200);
    const failing = await receiver(() => 500);
    closers.push(ok.close, failing.close);
    await api.webhookEndpoints.create({ url: ok.url, enabled_events: ["customer.created"] });
    await api.webhookEndpoints.create({ url: failing.url, enabled_events: ["customer.updated"] });
    const customer = await api.customers.create({ name: "Before" });
    await api.customers.update(customer.id, { name: "After" });
    await waitFor(() => ok.received.length >= 1 && failing.received.length >= 1);
    const delivered = await waitFor(async () => {
      const list = await api.events.list({ delivery_success: true });
      return list.data.some((e) => e.type === "customer.created") && list;
    });
    expect(delivered.data.map((e) => e.type)).toEqual(["customer.created"]);
    const pending = await api.events.list({ delivery_success: false });
    expect(pending.data.map((e) => e.type)).toEqual(["customer.updated"]);
    expect(pending.data[0]!.pending_webhooks).toBe(1);
  });
});

describe("refusals", () => {
  it("an undocumented parameter answers parameter_unknown, naming it", async () => {
    const e = await invalid(stripe.customers.create({ nickname: "Ann" } as Stripe.CustomerCreateParams));
    expect(e).toMatchObject({
      statusCode: 400,
      code: "parameter_unknown",
      param: "nickname",
      message: "Received unknown parameter: nickname",
    });
    // Parameters of earlier API versions that this one no longer documents are unknown too.
    const coupon = await invalid(stripe.customers.create({ coupon: "SUMMER" } as Stripe.CustomerCreateParams));
    expect([coupon.code, coupon.param]).toEqual(["parameter_unknown", "coupon"]);
  });

  // Documented by Stripe, not supported by the sandbox: refused as unknown (README "Parameters, endpoint by endpoint").
  const documentedButUnsupported: [string, () => Promise<unknown>, string][] = [
    [
      "customer create cash_balance",
      () => stripe.customers.create({ cash_balance: { settings: { reconciliation_mode: "manual" } } }),
      "cash_balance",
    ],
    ["customer create source", () => stripe.customers.create({ source: "tok_visa" }), "source"],
    [
      "customer create tax_id_data",
      () => stripe.customers.create({ tax_id_data: [{ type: "eu_vat", value: "DE123456789" }] }),
      "tax_id_data",
    ],
    ["customer create test_clock", () => stripe.customers.create({ test_clock: "clock_123" }), "test_clock"],
    ["customer list test_clock", () => stripe.customers.list({ test_clock: "clock_123" }), "test_clock"],
    ["refund create origin", () => stripe.refunds.create({ origin: "customer_balance" }), "origin"],
    ["refund create customer", () => stripe.refunds.create({ customer: "cus_123", amount: 100 }), "customer"],
    ["refund create currency", () => stripe.refunds.create({ currency: "usd", amount: 100 }), "currency"],
    [
      "refund create reverse_transfer",
      () => stripe.refunds.create({ payment_intent: "pi_123", reverse_transfer: true }),
      "reverse_transfer",
    ],
    [
      "refund create refund_application_fee",
      () => stripe.refunds.create({ payment_intent: "pi_123", refund_application_fee: true }),
      "refund_application_fee",
    ],
  ];

  it.each(documentedButUnsupported)(
    "a documented but unsupported parameter (%s) answers parameter_unknown",
    async (_label, call, param) => {
      const e = await invalid(call());
      expect([e.statusCode, e.code, e.param]).toEqual([400, "parameter_unknown", param]);
    },
  );

  it("refuses default_source on update like source on create", async () => {
    const customer = await stripe.customers.create();
    const e = await invalid(stripe.customers.update(customer.id, { default_source: "card_123" }));
    expect([e.code, e.param]).toEqual(["parameter_unknown", "default_source"]);
  });
});
