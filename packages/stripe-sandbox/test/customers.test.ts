// Conformance: Customers (create, update, delete, list, search) and attaching payment methods to them, through the stripe SDK.
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SandboxHandle } from "../src/server.js";
import { invalid, raw, sdk, start } from "./helpers.js";

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

const address = { line1: "1 Harbour St", line2: "Unit 2", city: "Tidewater", state: "CA", postal_code: "94105", country: "US" };

/** A fresh card PaymentMethod, not attached to anyone. */
const newCard = () =>
  stripe.paymentMethods.create({ type: "card", card: { number: "4242424242424242", exp_month: 12, exp_year: 2040, cvc: "123" } });

describe("customers: create and retrieve", () => {
  it("creates with Stripe's shape, defaults and every supported field", async () => {
    const customer = await stripe.customers.create({
      email: "ann@example.com",
      name: "Ann Lee",
      phone: "+14155550100",
      description: "VIP",
      metadata: { tier: "gold" },
      address,
      shipping: { name: "Ann Lee", phone: "+14155550101", address: { line1: "2 Dock Rd", country: "US" } },
    });
    expect(customer.id).toMatch(/^cus_/);
    expect(customer).toMatchObject({
      object: "customer",
      email: "ann@example.com",
      name: "Ann Lee",
      phone: "+14155550100",
      description: "VIP",
      metadata: { tier: "gold" },
      address,
      balance: 0,
      delinquent: false,
      livemode: false,
      invoice_settings: { default_payment_method: null },
    });
    expect(customer.shipping).toEqual({
      name: "Ann Lee",
      phone: "+14155550101",
      address: { line1: "2 Dock Rd", line2: null, city: null, state: null, postal_code: null, country: "US" },
    });
    expect(await stripe.customers.retrieve(customer.id)).toEqual(customer);
  });

  it("sends customer.created", async () => {
    const customer = await stripe.customers.create({ email: "created@example.com" });
    const [event] = await eventsFor("customer.created", customer.id);
    expect(event!.data.object).toMatchObject({ id: customer.id, email: "created@example.com" });
  });

  it("refuses shipping without a name", async () => {
    const e = await invalid(
      stripe.customers.create({ shipping: { address: { line1: "1 Quay" } } as Stripe.CustomerCreateParams.Shipping }),
    );
    expect(e).toMatchObject({ code: "parameter_missing", param: "shipping[name]" });
  });

  it("refuses an unknown address field", async () => {
    const res = await raw<Stripe.Customer>(sandbox, "POST", "/v1/customers", { body: "address[street]=x" });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: "parameter_unknown", param: "address[street]" });
  });

  it("attaches payment_method on create, and may make a test token the default in the same request", async () => {
    const customer = await stripe.customers.create({
      payment_method: "pm_card_visa",
      invoice_settings: { default_payment_method: "pm_card_visa" },
    });
    const pmId = customer.invoice_settings.default_payment_method as string;
    expect(pmId).toMatch(/^pm_/);
    expect(pmId).not.toBe("pm_card_visa");
    const attached = await stripe.customers.listPaymentMethods(customer.id);
    expect(attached.data.map((pm) => pm.id)).toEqual([pmId]);
    expect((await eventsFor("payment_method.attached", pmId)).length).toBe(1);
  });

  it("refuses a default payment method that is not attached to the customer", async () => {
    const pm = await newCard();
    const e = await invalid(stripe.customers.create({ invoice_settings: { default_payment_method: pm.id } }));
    expect(e).toMatchObject({ code: "resource_missing", param: "invoice_settings[default_payment_method]" });
    expect(e.message).toContain(pm.id);
  });

  it("answers resource_missing for an unknown customer", async () => {
    const e = await invalid(stripe.customers.retrieve("cus_nope"));
    expect(e).toMatchObject({ code: "resource_missing", param: "id", statusCode: 404 });
  });
});

describe("customers: update", () => {
  it("merges metadata, unsets fields with an empty string and replaces the address", async () => {
    const customer = await stripe.customers.create({ name: "Bo", phone: "+1555", metadata: { a: "1", b: "2" }, address });
    const updated = await stripe.customers.update(customer.id, {
      phone: "",
      metadata: { b: "", c: "3" },
      address: { line1: "9 New Rd", country: "GB" },
    });
    expect(updated.name).toBe("Bo");
    expect(updated.phone).toBeNull();
    expect(updated.metadata).toEqual({ a: "1", c: "3" });
    expect(updated.address).toEqual({ line1: "9 New Rd", line2: null, city: null, state: null, postal_code: null, country: "GB" });
  });

  it("sends customer.updated with the previous values of what changed", async () => {
    const customer = await stripe.customers.create({ email: "old@example.com", name: "Same" });
    await stripe.customers.update(customer.id, { email: "new@example.com", name: "Same" });
    const [event] = await eventsFor("customer.updated", customer.id);
    expect(event!.data.object).toMatchObject({ email: "new@example.com" });
    expect(event!.data.previous_attributes).toEqual({ email: "old@example.com" });
  });

  it("sends no customer.updated when nothing changed", async () => {
    const customer = await stripe.customers.create({ email: "same@example.com" });
    await stripe.customers.update(customer.id, { email: "same@example.com" });
    expect(await eventsFor("customer.updated", customer.id)).toEqual([]);
  });

  it("sets and clears invoice_settings.default_payment_method to an attached method", async () => {
    const customer = await stripe.customers.create({});
    const pm = await stripe.paymentMethods.attach("pm_card_mastercard", { customer: customer.id });
    const withDefault = await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
    expect(withDefault.invoice_settings.default_payment_method).toBe(pm.id);
    const cleared = await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: "" } });
    expect(cleared.invoice_settings.default_payment_method).toBeNull();
  });

  it("refuses a default payment method attached to another customer", async () => {
    const [mine, theirs] = await Promise.all([stripe.customers.create({}), stripe.customers.create({})]);
    const pm = await stripe.paymentMethods.attach("pm_card_visa", { customer: theirs.id });
    const e = await invalid(stripe.customers.update(mine.id, { invoice_settings: { default_payment_method: pm.id } }));
    expect(e).toMatchObject({ code: "resource_missing", param: "invoice_settings[default_payment_method]" });
  });

  it("expands invoice_settings.default_payment_method", async () => {
    const customer = await stripe.customers.create({ payment_method: "pm_card_visa" });
    const [pm] = (await stripe.customers.listPaymentMethods(customer.id)).data;
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm!.id } });
    const expanded = await stripe.customers.retrieve(customer.id, { expand: ["invoice_settings.default_payment_method"] });
    expect((expanded as Stripe.Customer).invoice_settings.default_payment_method).toMatchObject({ id: pm!.id, object: "payment_method" });
  });
});

describe("customers: delete", () => {
  it("answers {id, object, deleted: true} and sends customer.deleted", async () => {
    const customer = await stripe.customers.create({ email: "gone@example.com" });
    const deleted = await stripe.customers.del(customer.id);
    expect(deleted).toMatchObject({ id: customer.id, object: "customer", deleted: true });
    const [event] = await eventsFor("customer.deleted", customer.id);
    expect(event!.data.object).toMatchObject({ id: customer.id, email: "gone@example.com" });
  });

  it("still retrieves a deleted customer as {id, object, deleted: true}", async () => {
    const customer = await stripe.customers.create({});
    await stripe.customers.del(customer.id);
    const again = await raw<Stripe.DeletedCustomer>(sandbox, "GET", `/v1/customers/${customer.id}`);
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ id: customer.id, object: "customer", deleted: true });
  });

  it("refuses to update or delete a deleted customer", async () => {
    const customer = await stripe.customers.create({});
    await stripe.customers.del(customer.id);
    expect(await invalid(stripe.customers.update(customer.id, { name: "x" }))).toMatchObject({ code: "resource_missing" });
    expect(await invalid(stripe.customers.del(customer.id))).toMatchObject({ code: "resource_missing" });
  });

  it("leaves a deleted customer out of lists and search", async () => {
    const customer = await stripe.customers.create({ email: "listed-then-gone@example.com" });
    await stripe.customers.del(customer.id);
    expect((await stripe.customers.list({ email: "listed-then-gone@example.com" })).data).toEqual([]);
    expect((await stripe.customers.search({ query: "email:'listed-then-gone@example.com'" })).data).toEqual([]);
  });
});

describe("customers: list", () => {
  it("filters by exact email", async () => {
    const a = await stripe.customers.create({ email: "list-me@example.com" });
    await stripe.customers.create({ email: "not-me@example.com" });
    const b = await stripe.customers.create({ email: "list-me@example.com" });
    const list = await stripe.customers.list({ email: "list-me@example.com" });
    expect(list.data.map((c) => c.id)).toEqual([b.id, a.id]);
  });

  it("pages with limit and starting_after, newest first", async () => {
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await stripe.customers.create({ email: "pages@example.com" }));
    const first = await stripe.customers.list({ email: "pages@example.com", limit: 2 });
    expect(first.has_more).toBe(true);
    expect(first.data.map((c) => c.id)).toEqual([made[2]!.id, made[1]!.id]);
    const second = await stripe.customers.list({ email: "pages@example.com", limit: 2, starting_after: first.data[1]!.id });
    expect(second.has_more).toBe(false);
    expect(second.data.map((c) => c.id)).toEqual([made[0]!.id]);
  });

  it("filters by created", async () => {
    const customer = await stripe.customers.create({});
    const later = await stripe.customers.list({ created: { gt: customer.created } });
    expect(later.data.map((c) => c.id)).not.toContain(customer.id);
    const exact = await stripe.customers.list({ created: customer.created, limit: 100 });
    expect(exact.data.map((c) => c.id)).toContain(customer.id);
  });
});

describe("customers: search", () => {
  it("matches email, name substrings, phone and metadata", async () => {
    const customer = await stripe.customers.create({
      email: "Searchable@Example.com",
      name: "Marguerite Odell",
      phone: "+14155550999",
      metadata: { shop_user: "u-77" },
    });
    const q = async (query: string) => (await stripe.customers.search({ query })).data.map((c) => c.id);
    expect(await q("email:'searchable@example.com'")).toEqual([customer.id]);
    expect(await q('name~"guerite"')).toEqual([customer.id]);
    expect(await q("phone:'+14155550999'")).toEqual([customer.id]);
    expect(await q(`metadata['shop_user']:'u-77'`)).toEqual([customer.id]);
    expect(await q(`metadata['shop_user']:'u-77' AND -name~"guerite"`)).toEqual([]);
  });

  it("matches created with number operators and joins with OR", async () => {
    const a = await stripe.customers.create({ email: "or-a@example.com" });
    const b = await stripe.customers.create({ email: "or-b@example.com" });
    const found = await stripe.customers.search({ query: `email:'or-a@example.com' OR email:'or-b@example.com'` });
    expect(found.data.map((c) => c.id)).toEqual([b.id, a.id]);
    const recent = await stripe.customers.search({ query: `created>=${a.created} AND email~"or-"`, limit: 100 });
    expect(recent.data.map((c) => c.id)).toEqual([b.id, a.id]);
  });

  it("pages with next_page and counts with expand[]=total_count", async () => {
    for (let i = 0; i < 3; i++) await stripe.customers.create({ metadata: { batch: "paged" } });
    const query = `metadata['batch']:'paged'`;
    const first = await stripe.customers.search({ query, limit: 2, expand: ["total_count"] });
    expect(first).toMatchObject({ object: "search_result", has_more: true, total_count: 3 });
    const second = await stripe.customers.search({ query, limit: 2, page: first.next_page! });
    expect(second.has_more).toBe(false);
    expect(second.next_page).toBeNull();
    expect(second.data).toHaveLength(1);
  });

  it("refuses a field customers cannot be searched on", async () => {
    const e = await invalid(stripe.customers.search({ query: "status:'active'" }));
    expect(e).toMatchObject({ param: "query", statusCode: 400 });
  });
});

describe("payment methods: attach", () => {
  it("attaches a method to a customer and sends payment_method.attached", async () => {
    const customer = await stripe.customers.create({});
    const pm = await newCard();
    const attached = await stripe.paymentMethods.attach(pm.id, { customer: customer.id });
    expect(attached).toMatchObject({ id: pm.id, customer: customer.id });
    expect((await stripe.paymentMethods.retrieve(pm.id)).customer).toBe(customer.id);
    const [event] = await eventsFor("payment_method.attached", pm.id);
    expect(event!.data.object).toMatchObject({ id: pm.id, customer: customer.id });
  });

  it("attaches a fresh method made from a test token", async () => {
    const customer = await stripe.customers.create({});
    const attached = await stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    expect(attached.id).toMatch(/^pm_/);
    expect(attached.id).not.toBe("pm_card_visa");
    expect(attached).toMatchObject({ customer: customer.id, card: { brand: "visa", last4: "4242" } });
  });

  it("refuses a method already attached to another customer", async () => {
    const [first, second] = await Promise.all([stripe.customers.create({}), stripe.customers.create({})]);
    const pm = await stripe.paymentMethods.attach("pm_card_visa", { customer: first.id });
    const e = await invalid(stripe.paymentMethods.attach(pm.id, { customer: second.id }));
    expect(e.message).toBe("The payment method you provided has already been attached to a customer.");
    expect((await stripe.paymentMethods.retrieve(pm.id)).customer).toBe(first.id);
  });

  it("answers resource_missing for an unknown customer or method", async () => {
    const pm = await newCard();
    expect(await invalid(stripe.paymentMethods.attach(pm.id, { customer: "cus_nope" }))).toMatchObject({
      code: "resource_missing",
      param: "customer",
    });
    const customer = await stripe.customers.create({});
    expect(await invalid(stripe.paymentMethods.attach("pm_nope", { customer: customer.id }))).toMatchObject({ code: "resource_missing" });
  });

  it("requires customer", async () => {
    const pm = await newCard();
    const e = await invalid(stripe.paymentMethods.attach(pm.id, {} as Stripe.PaymentMethodAttachParams));
    expect(e).toMatchObject({ code: "parameter_missing", param: "customer" });
  });
});

describe("payment methods: detach", () => {
  it("answers the method with customer null and sends payment_method.detached", async () => {
    const customer = await stripe.customers.create({});
    const pm = await stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    const detached = await stripe.paymentMethods.detach(pm.id);
    expect(detached).toMatchObject({ id: pm.id, customer: null });
    const [event] = await eventsFor("payment_method.detached", pm.id);
    expect(event!.data.previous_attributes).toEqual({ customer: customer.id });
    expect((await stripe.customers.listPaymentMethods(customer.id)).data).toEqual([]);
  });

  it("refuses a method that is not attached", async () => {
    const pm = await newCard();
    const e = await invalid(stripe.paymentMethods.detach(pm.id));
    expect(e.message).toBe("The payment method you provided is not attached to a customer so detachment is impossible.");
  });

  it("clears the customer's default payment method when it was that method, with customer.updated", async () => {
    const customer = await stripe.customers.create({ payment_method: "pm_card_visa" });
    const [pm] = (await stripe.customers.listPaymentMethods(customer.id)).data;
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm!.id } });
    await stripe.paymentMethods.detach(pm!.id);
    const after = (await stripe.customers.retrieve(customer.id)) as Stripe.Customer;
    expect(after.invoice_settings.default_payment_method).toBeNull();
    const [event] = await eventsFor("customer.updated", customer.id);
    expect(event!.data.previous_attributes).toMatchObject({ invoice_settings: { default_payment_method: pm!.id } });
  });

  it("answers resource_missing for an unknown method", async () => {
    expect(await invalid(stripe.paymentMethods.detach("pm_nope"))).toMatchObject({ code: "resource_missing" });
  });
});

describe("payment methods: a customer's list", () => {
  it("lists a customer's methods newest first, with limit and starting_after", async () => {
    const customer = await stripe.customers.create({});
    const a = await stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    const b = await stripe.paymentMethods.attach("pm_card_mastercard", { customer: customer.id });
    await stripe.paymentMethods.attach("pm_card_visa", { customer: (await stripe.customers.create({})).id });
    const first = await stripe.customers.listPaymentMethods(customer.id, { limit: 1 });
    expect(first).toMatchObject({ object: "list", has_more: true, url: `/v1/customers/${customer.id}/payment_methods` });
    expect(first.data.map((pm) => pm.id)).toEqual([b.id]);
    const rest = await stripe.customers.listPaymentMethods(customer.id, { starting_after: b.id });
    expect(rest.data.map((pm) => pm.id)).toEqual([a.id]);
  });

  it("filters by type", async () => {
    const customer = await stripe.customers.create({ payment_method: "pm_card_visa" });
    expect((await stripe.customers.listPaymentMethods(customer.id, { type: "card" })).data).toHaveLength(1);
    expect((await stripe.customers.listPaymentMethods(customer.id, { type: "sepa_debit" })).data).toEqual([]);
  });

  it("filters by allow_redisplay", async () => {
    const customer = await stripe.customers.create({ payment_method: "pm_card_visa" });
    expect((await stripe.customers.listPaymentMethods(customer.id, { allow_redisplay: "unspecified" })).data).toHaveLength(1);
    expect((await stripe.customers.listPaymentMethods(customer.id, { allow_redisplay: "always" })).data).toEqual([]);
  });

  it("lists the same through /v1/payment_methods?customer=", async () => {
    const customer = await stripe.customers.create({ payment_method: "pm_card_visa" });
    const viaCustomer = await stripe.customers.listPaymentMethods(customer.id);
    const viaMethods = await stripe.paymentMethods.list({ customer: customer.id, type: "card" });
    expect(viaMethods.data.map((pm) => pm.id)).toEqual(viaCustomer.data.map((pm) => pm.id));
  });

  it("retrieves one of the customer's methods, and not another customer's", async () => {
    const [mine, theirs] = await Promise.all([stripe.customers.create({}), stripe.customers.create({})]);
    const pm = await stripe.paymentMethods.attach("pm_card_visa", { customer: mine.id });
    expect(await stripe.customers.retrievePaymentMethod(mine.id, pm.id)).toMatchObject({ id: pm.id, customer: mine.id });
    expect(await invalid(stripe.customers.retrievePaymentMethod(theirs.id, pm.id))).toMatchObject({ code: "resource_missing" });
  });

  it("answers resource_missing for an unknown customer", async () => {
    expect(await invalid(stripe.customers.listPaymentMethods("cus_nope"))).toMatchObject({ code: "resource_missing" });
    expect(await invalid(stripe.paymentMethods.list({ customer: "cus_nope" }))).toMatchObject({
      code: "resource_missing",
      param: "customer",
    });
  });
});
