// Customers: just enough to attach intents and payment methods to (create, retrieve, list).
import type Stripe from "stripe";
import { secretKeyRequired } from "../auth.js";
import type { Ctx, HandlerResult } from "../context.js";
import { resourceMissing } from "../errors.js";
import type { FormObject } from "../form.js";
import { newId, nowSeconds } from "../ids.js";
import { createdFilter, LIST_PARAMS, paginate } from "../list.js";
import { assertKnown, readString } from "../params.js";
import { applyMetadata } from "../rules.js";

export function createCustomer(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  const p = ctx.params;
  assertKnown(p, { email: "scalar", name: "scalar", description: "scalar", phone: "scalar", metadata: "hash", expand: "list" });
  const customer: Stripe.Customer = {
    id: newId("cus"),
    object: "customer",
    address: null,
    balance: 0,
    created: nowSeconds(),
    currency: null,
    default_source: null,
    delinquent: false,
    description: readString(p, "description", { unsettable: true }) ?? null,
    discount: null,
    email: readString(p, "email", { unsettable: true }) ?? null,
    invoice_prefix: newId("cus").slice(4, 12).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: applyMetadata({}, p.metadata as FormObject | "" | undefined),
    name: readString(p, "name", { unsettable: true }) ?? null,
    next_invoice_sequence: 1,
    phone: readString(p, "phone", { unsettable: true }) ?? null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: "none",
    test_clock: null,
  } satisfies Stripe.Customer;
  ctx.store.t.customers.put(customer);
  ctx.emit("customer.created", customer);
  return { body: customer };
}

export function retrieveCustomer(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  assertKnown(ctx.params, { expand: "list" });
  const customer = ctx.store.t.customers.get(ctx.path.id!);
  if (!customer) throw resourceMissing("customer", ctx.path.id!);
  return { body: customer };
}

export function listCustomers(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  assertKnown(ctx.params, { ...LIST_PARAMS, email: "scalar" });
  const created = createdFilter(ctx.params);
  const email = readString(ctx.params, "email");
  const rows = ctx.store.t.customers.newestFirst().filter((c) => created(c.created) && (!email || c.email === email));
  return { body: paginate(ctx.params, rows, ctx.url, "customer") };
}
