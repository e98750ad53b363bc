// PaymentMethods: test tokens (pm_card_visa…) and cards created from their details, as Stripe.js does from its iframe;
// attach to and detach from customers, and list a customer's.
import type Stripe from "stripe";
import { secretKeyRequired } from "../auth.js";
import type { Core, Ctx, HandlerResult } from "../context.js";
import { docUrl, invalidRequest, parameterMissing, ranError, resourceMissing, StripeApiError } from "../errors.js";
import type { FormObject } from "../form.js";
import { newId, nowSeconds } from "../ids.js";
import { changedFields } from "../events.js";
import { expand, expandList } from "../expand.js";
import { paginate } from "../list.js";
import { assertKnown, readEnum, readInt, readList, readObject, readString, requireString, type Shape } from "../params.js";
import { applyMetadata } from "../rules.js";
import type { Store } from "../store.js";
import { buildBankMethod, METHOD_TYPES, type MethodType } from "./bank-methods.js";
import { cardForNumber, luhnValid, TEST_TOKENS, type CardBehaviour, type TestCard } from "./test-cards.js";

const ADDRESS: Shape = { city: "scalar", country: "scalar", line1: "scalar", line2: "scalar", postal_code: "scalar", state: "scalar" };
const BILLING: Shape = { address: ADDRESS, email: "scalar", name: "scalar", phone: "scalar", tax_id: "scalar" };
// networks[preferred] only matters for co-badged cards; no test card is, so it is accepted without effect.
const CARD: Shape = { number: "scalar", exp_month: "scalar", exp_year: "scalar", cvc: "scalar", networks: { preferred: "scalar" } };

/** The method-data part of `POST /v1/payment_methods`, also accepted as `payment_method_data` on confirm. */
export const PAYMENT_METHOD_DATA: Shape = {
  type: "scalar",
  card: CARD,
  sepa_debit: { iban: "scalar" },
  us_bank_account: {
    account_holder_type: "scalar",
    account_number: "scalar",
    account_type: "scalar",
    financial_connections_account: "scalar",
    routing_number: "scalar",
  },
  ideal: { bank: "scalar" },
  billing_details: BILLING,
  metadata: "hash",
  allow_redisplay: "scalar",
};

// Radar sessions only feed fraud scoring, which the sandbox does not do: accepted without effect.
const CREATE: Shape = { ...PAYMENT_METHOD_DATA, expand: "list", customer: "scalar", radar_options: { session: "scalar" } };

const REDISPLAY = ["always", "limited", "unspecified"] as const;

function cardError(code: string, message: string, param: string): StripeApiError {
  return new StripeApiError(402, { type: "card_error", code, message, param, doc_url: docUrl(code) });
}

function billingDetails(input: FormObject | "" | undefined): Stripe.PaymentMethod.BillingDetails {
  const b = typeof input === "object" ? input : {};
  const a = typeof b.address === "object" && !Array.isArray(b.address) ? b.address : {};
  const s = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
  return {
    address: {
      city: s(a.city),
      country: s(a.country),
      line1: s(a.line1),
      line2: s(a.line2),
      postal_code: s(a.postal_code),
      state: s(a.state),
    },
    email: s(b.email),
    name: s(b.name),
    phone: s(b.phone),
    tax_id: s(b.tax_id),
  };
}

function build(
  card: TestCard,
  exp: { month: number; year: number },
  billing: Stripe.PaymentMethod.BillingDetails,
  metadata: Stripe.Metadata,
  redisplay: Stripe.PaymentMethod.AllowRedisplay = "unspecified",
): Stripe.PaymentMethod {
  return {
    id: newId("pm"),
    object: "payment_method",
    allow_redisplay: redisplay,
    billing_details: billing,
    card: {
      brand: card.brand,
      checks: { address_line1_check: null, address_postal_code_check: billing.address?.postal_code ? "pass" : null, cvc_check: "pass" },
      country: card.country,
      display_brand: card.brand,
      exp_month: exp.month,
      exp_year: exp.year,
      // Stable per number, like Stripe's fingerprint.
      fingerprint: Buffer.from(card.number).toString("base64url").slice(-16),
      funding: card.funding,
      generated_from: null,
      last4: card.number.slice(-4),
      networks: { available: [card.brand], preferred: null },
      regulated_status: "unregulated",
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created: nowSeconds(),
    customer: null,
    customer_account: null,
    livemode: false,
    metadata,
    type: "card",
  } satisfies Stripe.PaymentMethod;
}

function save(store: Store, pm: Stripe.PaymentMethod, behaviour: CardBehaviour): Stripe.PaymentMethod {
  store.t.payment_methods.put(pm);
  store.t.card_behaviour.put({ id: pm.id, behaviour });
  return pm;
}

/** A test token (pm_card_visa…) becomes a fresh pm_ each time it is used, as on Stripe; otherwise the stored one. */
export function resolvePaymentMethod(store: Store, id: string, param = "payment_method"): Stripe.PaymentMethod {
  const token = TEST_TOKENS[id];
  if (token) {
    const year = new Date().getUTCFullYear() + 1;
    return save(store, build(token, { month: 12, year }, billingDetails(undefined), {}), token.behaviour);
  }
  const pm = store.t.payment_methods.get(id);
  if (!pm) throw resourceMissing("PaymentMethod", id, param);
  return pm;
}

/** Saved with the cardholder present (SetupIntent, or a payment with setup_future_usage): off-session payments may pass. */
export function isSetUp(store: Store, pmId: string): boolean {
  return store.t.card_behaviour.get(pmId)?.setUp === true;
}

/**
 * Keeps `pm` for later: attached to `customerId` (with payment_method.attached) when it is not yet, and marked set up
 * when the cardholder was there to authenticate (`setUp`).
 */
export function attachForLater(core: Core, pm: Stripe.PaymentMethod, customerId: string | null, setUp: boolean): void {
  const row = core.store.t.card_behaviour.get(pm.id);
  if (setUp && row) core.store.t.card_behaviour.put({ ...row, setUp: true });
  if (!customerId || pm.customer === customerId) return;
  const attached = { ...structuredClone(pm), customer: customerId };
  core.store.t.payment_methods.put(attached);
  core.emit("payment_method.attached", attached, { customer: pm.customer ?? null });
}

export function behaviourOf(store: Store, pmId: string): CardBehaviour {
  return store.t.card_behaviour.get(pmId)?.behaviour ?? { kind: "succeeds" };
}

/** Card checks Stripe makes on creation: 402 card_error with incorrect_number, invalid_expiry_*, invalid_cvc. */
export function createFromData(store: Store, data: FormObject, prefix: string): Stripe.PaymentMethod {
  assertKnown(data, PAYMENT_METHOD_DATA, prefix);
  // "sepa_debit[iban]" → "payment_method_data[sepa_debit][iban]" when nested.
  const name = (key: string) => {
    if (!prefix) return key;
    const cut = key.indexOf("[");
    return cut < 0 ? `${prefix}[${key}]` : `${prefix}[${key.slice(0, cut)}]${key.slice(cut)}`;
  };
  const type = readString(data, "type", { name: name("type") });
  if (!type) throw parameterMissing(name("type"));
  if (!(METHOD_TYPES as readonly string[]).includes(type))
    throw invalidRequest(`Invalid type: must be one of ${METHOD_TYPES.join(", ")} (the types the Stripe sandbox supports).`, {
      param: name("type"),
    });
  if (type !== "card") return createBankMethod(store, data, type as Exclude<MethodType, "card">, name);
  const cardParams = readObject(data, "card", `${prefix ? `${prefix}[card]` : "card"}`);
  const p = (name: string) => (prefix ? `${prefix}[card][${name}]` : `card[${name}]`);
  if (!cardParams) throw parameterMissing(prefix ? `${prefix}[card]` : "card");
  const number = String(cardParams.number ?? "").replace(/[\s-]/g, "");
  if (!number) throw parameterMissing(p("number"));
  if (!/^\d{12,19}$/.test(number)) throw cardError("invalid_number", "Your card number is invalid.", "number");
  if (!luhnValid(number)) throw cardError("incorrect_number", "Your card number is incorrect.", "number");
  const month = Number(cardParams.exp_month);
  if (cardParams.exp_month === undefined) throw parameterMissing(p("exp_month"));
  if (!Number.isInteger(month) || month < 1 || month > 12)
    throw cardError("invalid_expiry_month", "Your card's expiration month is invalid.", "exp_month");
  if (cardParams.exp_year === undefined) throw parameterMissing(p("exp_year"));
  let year = Number(cardParams.exp_year);
  if (!Number.isInteger(year)) throw cardError("invalid_expiry_year", "Your card's expiration year is invalid.", "exp_year");
  if (year < 100) year += 2000; // two-digit years, as typed in "MM / YY"
  const now = new Date();
  const thisYear = now.getUTCFullYear();
  if (year < thisYear || year > thisYear + 50)
    throw cardError("invalid_expiry_year", "Your card's expiration year is invalid.", "exp_year");
  if (year === thisYear && month < now.getUTCMonth() + 1)
    throw cardError("invalid_expiry_month", "Your card's expiration month is invalid.", "exp_month");
  const card = cardForNumber(number);
  if (cardParams.cvc !== undefined) {
    const cvcLength = card.brand === "amex" ? 4 : 3;
    if (!new RegExp(`^\\d{${cvcLength}}$`).test(String(cardParams.cvc)))
      throw cardError("invalid_cvc", "Your card's security code is invalid.", "cvc");
  }
  const redisplay = readEnum(data, "allow_redisplay", REDISPLAY, name("allow_redisplay"));
  const metadata = applyMetadata({}, readObject(data, "metadata"));
  const billing = data.billing_details;
  return save(
    store,
    build(
      card,
      { month, year },
      billingDetails(typeof billing === "object" && !Array.isArray(billing) ? billing : undefined),
      metadata,
      redisplay,
    ),
    card.behaviour,
  );
}

/** A SEPA, US bank account or iDEAL method from its details (bank-methods.ts checks them). */
function createBankMethod(
  store: Store,
  data: FormObject,
  type: Exclude<MethodType, "card">,
  name: (key: string) => string,
): Stripe.PaymentMethod {
  if (data.card !== undefined)
    throw invalidRequest(`Received unexpected parameter \`card\` for a ${type} payment method.`, { param: name("card") });
  const billing = data.billing_details;
  const billingDetailsOf = billingDetails(typeof billing === "object" && !Array.isArray(billing) ? billing : undefined);
  const built = buildBankMethod(type, data, name, billingDetailsOf);
  const pm: Stripe.PaymentMethod = {
    id: newId("pm"),
    object: "payment_method",
    allow_redisplay: readEnum(data, "allow_redisplay", REDISPLAY, name("allow_redisplay")) ?? "unspecified",
    billing_details: billingDetailsOf,
    created: nowSeconds(),
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: applyMetadata({}, readObject(data, "metadata")),
    ...built.details,
  };
  return save(store, pm, built.behaviour);
}

export function createPaymentMethod(ctx: Ctx): HandlerResult {
  assertKnown(ctx.params, CREATE);
  if (ctx.credential.kind === "publishable" && ctx.params.customer !== undefined) throw secretKeyRequired();
  const { customer, expand: _expand, ...data } = ctx.params;
  if (typeof customer === "string" && customer && !ctx.store.t.customers.get(customer))
    throw resourceMissing("customer", customer, "customer");
  const { radar_options: _radar, ...methodData } = data;
  const pm = createFromData(ctx.store, methodData, "");
  if (typeof customer === "string" && customer) {
    pm.customer = customer;
    ctx.emit("payment_method.attached", pm, { customer: null });
  }
  return render(ctx, pm);
}

export function retrievePaymentMethod(ctx: Ctx): HandlerResult {
  assertKnown(ctx.params, { expand: "list" });
  return render(ctx, resolvePaymentMethod(ctx.store, ctx.path.id!, "id"));
}

const UPDATE: Shape = {
  allow_redisplay: "scalar",
  billing_details: BILLING,
  card: { exp_month: "scalar", exp_year: "scalar", networks: { preferred: "scalar" } },
  metadata: "hash",
  us_bank_account: { account_holder_type: "scalar", account_type: "scalar" },
  expand: "list",
};

/** `POST /v1/payment_methods/:id`: billing details, expiry, metadata… of a method saved to a customer. */
export function updatePaymentMethod(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  const p = ctx.params;
  assertKnown(p, UPDATE);
  const pm = ctx.store.t.payment_methods.get(ctx.path.id!);
  if (!pm) throw resourceMissing("PaymentMethod", ctx.path.id!, "payment_method");
  if (!pm.customer) throw invalidRequest("You must save this PaymentMethod to a customer before you can update it.");
  const next = structuredClone(pm);
  const redisplay = readEnum(p, "allow_redisplay", REDISPLAY);
  if (redisplay) next.allow_redisplay = redisplay;
  const billing = readObject(p, "billing_details");
  if (billing !== undefined) {
    // Only the fields sent change; an address is replaced field by field.
    const sent = billingDetails(billing);
    const given = typeof billing === "object" ? billing : {};
    for (const key of ["email", "name", "phone", "tax_id"] as const) if (given[key] !== undefined) next.billing_details[key] = sent[key];
    if (given.address !== undefined)
      next.billing_details.address = { ...next.billing_details.address!, ...pickSent(sent.address!, given.address) };
  }
  const card = readObject(p, "card");
  if (card) {
    if (pm.type !== "card")
      throw invalidRequest(`Received unexpected parameter \`card\` for a ${pm.type} payment method.`, { param: "card" });
    const month = readInt(card, "exp_month", "card[exp_month]") ?? next.card!.exp_month;
    let year = readInt(card, "exp_year", "card[exp_year]") ?? next.card!.exp_year;
    if (year < 100) year += 2000;
    if (month < 1 || month > 12) throw cardError("invalid_expiry_month", "Your card's expiration month is invalid.", "exp_month");
    const now = new Date();
    if (year < now.getUTCFullYear() || (year === now.getUTCFullYear() && month < now.getUTCMonth() + 1))
      throw cardError("invalid_expiry_year", "Your card's expiration year is invalid.", "exp_year");
    next.card = { ...next.card!, exp_month: month, exp_year: year };
  }
  const bank = readObject(p, "us_bank_account");
  if (bank) {
    if (pm.type !== "us_bank_account")
      throw invalidRequest(`Received unexpected parameter \`us_bank_account\` for a ${pm.type} payment method.`, {
        param: "us_bank_account",
      });
    const holder = readEnum(bank, "account_holder_type", ["individual", "company"] as const, "us_bank_account[account_holder_type]");
    const kind = readEnum(bank, "account_type", ["checking", "savings"] as const, "us_bank_account[account_type]");
    next.us_bank_account = {
      ...next.us_bank_account!,
      ...(holder ? { account_holder_type: holder } : {}),
      ...(kind ? { account_type: kind } : {}),
    };
  }
  next.metadata = applyMetadata(next.metadata ?? {}, p.metadata as FormObject | "" | undefined);
  const previous = changedFields(pm, next);
  ctx.store.t.payment_methods.put(next);
  if (Object.keys(previous).length > 0) ctx.emit("payment_method.updated", next, previous);
  return render(ctx, next);
}

/** The address fields the request named (present in `given`), with their parsed values. */
function pickSent(parsed: Stripe.Address, given: unknown): Partial<Stripe.Address> {
  if (typeof given !== "object" || given === null) return {};
  return Object.fromEntries(Object.keys(given).map((k) => [k, parsed[k as keyof Stripe.Address]]));
}

/**
 * The method `id` (a test token becomes a fresh pm_, as on Stripe) as it will be once attached to `customerId`: a copy,
 * stored by the caller. A method already attached to another customer cannot move.
 */
export function prepareAttach(ctx: Ctx, id: string, customerId: string, param: string): Stripe.PaymentMethod {
  const pm = resolvePaymentMethod(ctx.store, id, param);
  if (pm.customer && pm.customer !== customerId)
    throw ranError(invalidRequest("The payment method you provided has already been attached to a customer.", { param }));
  return { ...structuredClone(pm), customer: customerId };
}

function render(ctx: Ctx, pm: Stripe.PaymentMethod): HandlerResult {
  return { body: expand(ctx.store, pm, readList(ctx.params, "expand") ?? []) };
}

export function attachPaymentMethod(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  assertKnown(ctx.params, { customer: "scalar", expand: "list" });
  const customerId = requireString(ctx.params, "customer");
  if (!ctx.store.t.customers.get(customerId)) throw resourceMissing("customer", customerId, "customer");
  const pm = prepareAttach(ctx, ctx.path.id!, customerId, "payment_method");
  const before = ctx.store.t.payment_methods.get(pm.id);
  ctx.store.t.payment_methods.put(pm);
  // Attaching again to the same customer answers the method and changes nothing.
  if (before?.customer !== customerId) ctx.emit("payment_method.attached", pm, { customer: before?.customer ?? null });
  return render(ctx, pm);
}

export function detachPaymentMethod(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  assertKnown(ctx.params, { expand: "list" });
  const pm = resolvePaymentMethod(ctx.store, ctx.path.id!, "payment_method");
  const customerId = typeof pm.customer === "object" ? pm.customer?.id : pm.customer;
  if (!customerId)
    throw ranError(invalidRequest("The payment method you provided is not attached to a customer so detachment is impossible."));
  const customer = ctx.store.t.customers.get(customerId);
  // Stripe clears the customer's invoice default when that method leaves it.
  if (customer && customer.invoice_settings.default_payment_method === pm.id) {
    const previous = { invoice_settings: structuredClone(customer.invoice_settings) };
    const next = { ...customer, invoice_settings: { ...customer.invoice_settings, default_payment_method: null } };
    ctx.store.t.customers.put(next);
    ctx.emit("customer.updated", next, previous);
  }
  const detached = { ...pm, customer: null };
  ctx.store.t.payment_methods.put(detached);
  ctx.emit("payment_method.detached", detached, { customer: customerId });
  return render(ctx, detached);
}

/** The methods attached to `customerId` (every method when undefined), newest first, filtered by `type` and `allow_redisplay`. */
function attachedTo(ctx: Ctx, customerId: string | undefined): Stripe.PaymentMethod[] {
  const type = readString(ctx.params, "type");
  const redisplay = readEnum(ctx.params, "allow_redisplay", ["always", "limited", "unspecified"] as const);
  return ctx.store.t.payment_methods
    .newestFirst()
    .filter(
      (pm) =>
        (!customerId || pm.customer === customerId) && (!type || pm.type === type) && (!redisplay || pm.allow_redisplay === redisplay),
    );
}

function listPage(ctx: Ctx, rows: Stripe.PaymentMethod[]): HandlerResult {
  const page = paginate(ctx.params, rows, ctx.url, "payment_method");
  return { body: { ...page, data: expandList(ctx.store, page.data, readList(ctx.params, "expand") ?? []) } };
}

const LIST: Shape = {
  allow_redisplay: "scalar",
  ending_before: "scalar",
  expand: "list",
  limit: "scalar",
  starting_after: "scalar",
  type: "scalar",
};

/** `GET /v1/customers/:id/payment_methods` */
export function listCustomerPaymentMethods(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  assertKnown(ctx.params, LIST);
  const customerId = ctx.path.id!;
  if (!ctx.store.t.customers.get(customerId)) throw resourceMissing("customer", customerId);
  return listPage(ctx, attachedTo(ctx, customerId));
}

/** `GET /v1/payment_methods?customer=…`; without `customer`, every method the sandbox holds. */
export function listPaymentMethods(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  assertKnown(ctx.params, { ...LIST, customer: "scalar" });
  const customerId = readString(ctx.params, "customer") ?? undefined;
  if (customerId && !ctx.store.t.customers.get(customerId)) throw resourceMissing("customer", customerId, "customer");
  return listPage(ctx, attachedTo(ctx, customerId));
}

/** `GET /v1/customers/:id/payment_methods/:pm`: only a method attached to that customer is found. */
export function retrieveCustomerPaymentMethod(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  assertKnown(ctx.params, { expand: "list" });
  if (!ctx.store.t.customers.get(ctx.path.id!)) throw resourceMissing("customer", ctx.path.id!);
  const pm = ctx.store.t.payment_methods.get(ctx.path.pm!);
  if (!pm || pm.customer !== ctx.path.id) throw resourceMissing("PaymentMethod", ctx.path.pm!, "payment_method");
  return render(ctx, pm);
}
