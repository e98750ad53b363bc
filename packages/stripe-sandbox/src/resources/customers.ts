// Customers: create, retrieve, update, delete, list, search, and the payment methods attached to them.
import type Stripe from "stripe";
import { secretKeyRequired } from "../auth.js";
import type { Ctx, HandlerResult } from "../context.js";
import { invalidRequest, parameterMissing, resourceMissing } from "../errors.js";
import { changedFields } from "../events.js";
import { expand, expandList } from "../expand.js";
import type { FormObject } from "../form.js";
import { newId, nowSeconds } from "../ids.js";
import { createdFilter, LIST_PARAMS, paginate, readSearch, searchResult } from "../list.js";
import { assertKnown, readBool, readEnum, readInt, readList, readObject, readString, requireString, type Shape } from "../params.js";
import { applyMetadata } from "../rules.js";
import { matches } from "../search.js";
import { prepareAttach } from "./payment-methods.js";

const ADDRESS: Shape = { city: "scalar", country: "scalar", line1: "scalar", line2: "scalar", postal_code: "scalar", state: "scalar" };
const SHIPPING: Shape = { address: ADDRESS, name: "scalar", phone: "scalar" };
const INVOICE_SETTINGS: Shape = {
  custom_fields: "any",
  default_payment_method: "scalar",
  footer: "scalar",
  rendering_options: { amount_tax_display: "scalar", template: "scalar" },
};
/**
 * Documented parameters left out on purpose, so that they answer `parameter_unknown` (README "Parameters, endpoint by
 * endpoint"): `cash_balance`, `source`, `default_source`, `tax_id_data` and `test_clock` would create objects the
 * sandbox does not have (cash balances, Sources, Tax IDs, test clocks).
 */
const FIELDS: Shape = {
  address: ADDRESS,
  balance: "scalar",
  business_name: "scalar",
  description: "scalar",
  email: "scalar",
  individual_name: "scalar",
  invoice_prefix: "scalar",
  invoice_settings: INVOICE_SETTINGS,
  metadata: "hash",
  name: "scalar",
  next_invoice_sequence: "scalar",
  phone: "scalar",
  preferred_locales: "list",
  shipping: SHIPPING,
  // Read for its type, then ignored: the sandbox has no Stripe Tax, so no tax location is inferred or checked.
  tax: { ip_address: "scalar", validate_location: "scalar" },
  tax_exempt: "scalar",
  // Read for its type, then ignored: it only concerns `source`, which is refused.
  validate: "scalar",
  expand: "list",
};
const CREATE: Shape = { ...FIELDS, payment_method: "scalar" };

function readAddress(o: FormObject, name: string): Stripe.Address {
  const str = (k: string) => readString(o, k, { unsettable: true, name: `${name}[${k}]` }) ?? null;
  return {
    city: str("city"),
    country: str("country"),
    line1: str("line1"),
    line2: str("line2"),
    postal_code: str("postal_code"),
    state: str("state"),
  };
}

/** `address=` unsets; otherwise the given hash replaces the address (Stripe does not merge address parts). */
function readCustomerAddress(p: FormObject): Stripe.Address | null | undefined {
  const a = readObject(p, "address");
  if (a === undefined) return undefined;
  if (a === "") return null;
  return readAddress(a, "address");
}

/** Stripe requires `shipping[name]` and `shipping[address]` (with `line1`) whenever shipping is set. */
function readCustomerShipping(p: FormObject): Stripe.Customer.Shipping | null | undefined {
  const s = readObject(p, "shipping");
  if (s === undefined) return undefined;
  if (s === "") return null;
  const a = readObject(s, "address", "shipping[address]");
  if (!a) throw parameterMissing("shipping[address]");
  if (!readString(a, "line1", { name: "shipping[address][line1]" })) throw parameterMissing("shipping[address][line1]");
  const name = readString(s, "name", { name: "shipping[name]" });
  if (!name) throw parameterMissing("shipping[name]");
  return {
    address: readAddress(a, "shipping[address]"),
    name,
    phone: readString(s, "phone", { unsettable: true, name: "shipping[phone]" }) ?? null,
  };
}

/** The default payment method must already be attached to this customer. */
function readDefaultPaymentMethod(ctx: Ctx, customerId: string): string | null | undefined {
  const settings = readObject(ctx.params, "invoice_settings");
  if (!settings) return undefined;
  const name = "invoice_settings[default_payment_method]";
  const id = readString(settings, "default_payment_method", { unsettable: true, name });
  if (!id) return id;
  if (ctx.store.t.payment_methods.get(id)?.customer !== customerId) {
    const e = resourceMissing("PaymentMethod", id, name);
    e.body.message = `The customer does not have a payment method with the ID ${id}. The payment method must be attached to the customer.`;
    throw e;
  }
  return id;
}

/** `invoice_settings[custom_fields]`: at most 4 `{name, value}` pairs (40 and 140 characters); "" removes them. */
function readCustomFields(settings: FormObject): Stripe.Customer.InvoiceSettings["custom_fields"] | undefined {
  const name = "invoice_settings[custom_fields]";
  const v = settings.custom_fields;
  if (v === undefined) return undefined;
  if (v === "") return null;
  if (!Array.isArray(v)) throw invalidRequest("Invalid array", { param: name });
  if (v.length > 4) throw invalidRequest("This list must have at most 4 items.", { param: name });
  return v.map((item, i) => {
    const at = `${name}[${i}]`;
    if (typeof item !== "object" || Array.isArray(item)) throw invalidRequest("Invalid object", { param: at });
    assertKnown(item, { name: "scalar", value: "scalar" }, at);
    const fieldName = requireString(item, "name", `${at}[name]`);
    const value = requireString(item, "value", `${at}[value]`);
    if (fieldName.length > 40) throw invalidRequest("This value must be at most 40 characters long.", { param: `${at}[name]` });
    if (value.length > 140) throw invalidRequest("This value must be at most 140 characters long.", { param: `${at}[value]` });
    return { name: fieldName, value };
  });
}

/** The invoice settings other than the default payment method (checked on its own, see readDefaultPaymentMethod). */
function applyInvoiceSettings(p: FormObject, c: Stripe.Customer): void {
  const settings = readObject(p, "invoice_settings");
  if (!settings) return;
  const customFields = readCustomFields(settings);
  if (customFields !== undefined) c.invoice_settings.custom_fields = customFields;
  const footer = readString(settings, "footer", { unsettable: true, name: "invoice_settings[footer]" });
  if (footer !== undefined) c.invoice_settings.footer = footer;
  const rendering = readObject(settings, "rendering_options", "invoice_settings[rendering_options]");
  if (rendering === "") c.invoice_settings.rendering_options = null;
  else if (rendering) {
    const name = (k: string) => `invoice_settings[rendering_options][${k}]`;
    const current = c.invoice_settings.rendering_options ?? { amount_tax_display: null, template: null };
    const display = readString(rendering, "amount_tax_display", { unsettable: true, name: name("amount_tax_display") });
    if (display && display !== "exclude_tax" && display !== "include_inclusive_tax")
      throw invalidRequest(`Invalid ${name("amount_tax_display")}: must be one of exclude_tax, or include_inclusive_tax`, {
        param: name("amount_tax_display"),
      });
    const template = readString(rendering, "template", { name: name("template") });
    c.invoice_settings.rendering_options = {
      amount_tax_display: display === undefined ? current.amount_tax_display : display,
      template: template ?? current.template,
    };
  }
}

/** `business_name` and `individual_name` appear on the customer only while set; "" removes them. */
function applyOptionalName(p: FormObject, c: Stripe.Customer, key: "business_name" | "individual_name"): void {
  const v = readString(p, key, { unsettable: true });
  if (v === undefined) return;
  if (v !== null && v.length > 150) throw invalidRequest("This value must be at most 150 characters long.", { param: key });
  if (v === null) delete c[key];
  else c[key] = v;
}

/** Applies the fields shared by create and update to `c` (in place). */
function applyFields(ctx: Ctx, c: Stripe.Customer): void {
  const p = ctx.params;
  for (const key of ["description", "email", "name", "phone"] as const) {
    const v = readString(p, key, { unsettable: true });
    if (v !== undefined) c[key] = v;
  }
  const address = readCustomerAddress(p);
  if (address !== undefined) c.address = address;
  const shipping = readCustomerShipping(p);
  if (shipping !== undefined) c.shipping = shipping;
  c.metadata = applyMetadata(c.metadata, p.metadata as FormObject | "" | undefined);
  const balance = readInt(p, "balance");
  if (balance !== undefined) c.balance = balance;
  applyOptionalName(p, c, "business_name");
  applyOptionalName(p, c, "individual_name");
  const prefix = readString(p, "invoice_prefix");
  if (prefix !== undefined && prefix !== null) {
    if (!/^[A-Z0-9]{1,12}$/.test(prefix))
      throw invalidRequest("Invoice prefix must be 1–12 uppercase letters or numbers.", { param: "invoice_prefix" });
    c.invoice_prefix = prefix;
  }
  const sequence = readInt(p, "next_invoice_sequence");
  if (sequence !== undefined) {
    if (sequence < 1) throw invalidRequest("This value must be greater than or equal to 1.", { param: "next_invoice_sequence" });
    c.next_invoice_sequence = sequence;
  }
  const locales = readList(p, "preferred_locales");
  if (locales !== undefined) c.preferred_locales = locales;
  if (p.tax_exempt === "") c.tax_exempt = "none";
  else {
    const exempt = readEnum(p, "tax_exempt", ["none", "exempt", "reverse"] as const);
    if (exempt) c.tax_exempt = exempt;
  }
  applyInvoiceSettings(p, c);
  const tax = readObject(p, "tax");
  if (tax) {
    readString(tax, "ip_address", { unsettable: true, name: "tax[ip_address]" });
    readEnum(tax, "validate_location", ["auto", "deferred", "immediately"] as const, "tax[validate_location]");
  }
  readBool(p, "validate");
}

function render(ctx: Ctx, body: object): HandlerResult {
  return { body: expand(ctx.store, body, readList(ctx.params, "expand") ?? []) };
}

/** A live customer, or resource_missing (also for a deleted one, which Stripe no longer lets you change). */
function load(ctx: Ctx): Stripe.Customer {
  const customer = ctx.store.t.customers.get(ctx.path.id!);
  if (!customer) throw resourceMissing("customer", ctx.path.id!);
  return customer;
}

export function createCustomer(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  const p = ctx.params;
  assertKnown(p, CREATE);
  const customer: Stripe.Customer = {
    id: newId("cus"),
    object: "customer",
    address: null,
    balance: 0,
    created: nowSeconds(),
    currency: null,
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: null,
    invoice_prefix: newId("cus").slice(4, 12).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: {},
    name: null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: "none",
    test_clock: null,
  } satisfies Stripe.Customer;
  applyFields(ctx, customer);
  // `payment_method` is attached before the default is checked, so both may name the same method.
  const pmId = readString(p, "payment_method");
  const pm = pmId ? prepareAttach(ctx, pmId, customer.id, "payment_method") : undefined;
  const settings = readObject(p, "invoice_settings");
  const defaultId = settings ? readString(settings, "default_payment_method", { unsettable: true }) : undefined;
  if (defaultId && pm && (defaultId === pmId || defaultId === pm.id)) customer.invoice_settings.default_payment_method = pm.id;
  else {
    const checked = readDefaultPaymentMethod(ctx, customer.id);
    if (checked !== undefined) customer.invoice_settings.default_payment_method = checked;
  }
  ctx.store.t.customers.put(customer);
  ctx.emit("customer.created", customer);
  if (pm) {
    ctx.store.t.payment_methods.put(pm);
    ctx.emit("payment_method.attached", pm);
  }
  return render(ctx, customer);
}

export function retrieveCustomer(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  assertKnown(ctx.params, { expand: "list" });
  // Stripe still answers 200 for a deleted customer, with only its id and `deleted: true`.
  const tombstone = ctx.store.t.deleted_customers.get(ctx.path.id!);
  if (tombstone) return { body: tombstone };
  return render(ctx, load(ctx));
}

export function updateCustomer(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  assertKnown(ctx.params, FIELDS);
  const customer = load(ctx);
  const before = structuredClone(customer);
  const next = structuredClone(customer);
  applyFields(ctx, next);
  const defaultId = readDefaultPaymentMethod(ctx, customer.id);
  if (defaultId !== undefined) next.invoice_settings.default_payment_method = defaultId;
  const previous = changedFields(before, next);
  ctx.store.t.customers.put(next);
  // Stripe sends customer.updated only when something changed.
  if (Object.keys(previous).length > 0) ctx.emit("customer.updated", next, previous);
  return render(ctx, next);
}

export function deleteCustomer(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  assertKnown(ctx.params, {});
  const customer = load(ctx);
  ctx.store.t.customers.delete(customer.id);
  const tombstone: Stripe.DeletedCustomer = { id: customer.id, object: "customer", deleted: true };
  ctx.store.t.deleted_customers.put(tombstone);
  // The customer's saved methods can no longer be used; the sandbox detaches them (without events).
  for (const pm of ctx.store.t.payment_methods.newestFirst()) if (pm.customer === customer.id) pm.customer = null;
  ctx.emit("customer.deleted", customer);
  return { body: tombstone };
}

export function listCustomers(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  // `test_clock` is documented but refused as unknown: the sandbox has no test clocks.
  assertKnown(ctx.params, { ...LIST_PARAMS, email: "scalar" });
  const created = createdFilter(ctx.params);
  const email = readString(ctx.params, "email");
  // Stripe's email filter is exact and case-sensitive.
  const rows = ctx.store.t.customers.newestFirst().filter((c) => created(c.created) && (!email || c.email === email));
  const page = paginate(ctx.params, rows, ctx.url, "customer");
  return { body: { ...page, data: expandList(ctx.store, page.data, readList(ctx.params, "expand") ?? []) } };
}

const SEARCH_FIELDS = { created: "number", email: "string", metadata: "metadata", name: "string", phone: "string" } as const;

export function searchCustomers(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  const { query, limit } = readSearch(ctx, SEARCH_FIELDS);
  const all = ctx.store.t.customers
    .newestFirst()
    .filter((c) =>
      matches(query, (field, key) =>
        field === "metadata" ? c.metadata[key!] : c[field as Exclude<keyof typeof SEARCH_FIELDS, "metadata">],
      ),
    );
  return { body: searchResult(ctx, all, limit) };
}
