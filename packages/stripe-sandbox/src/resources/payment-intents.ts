// PaymentIntents: create, retrieve, update, confirm, capture, cancel, list, search, and the status machine
// (docs/stripe-behaviour.md "Status machine").
import type Stripe from "stripe";
import { secretKeyRequired } from "../auth.js";
import type { Core, Ctx, HandlerResult } from "../context.js";
import { docUrl, invalidRequest, parameterMissing, ranError, resourceMissing, StripeApiError, unexpectedState } from "../errors.js";
import { changedFields } from "../events.js";
import { expand, expandList } from "../expand.js";
import type { FormObject } from "../form.js";
import { clientSecretFor, newId, nowSeconds } from "../ids.js";
import { createdFilter, LIST_PARAMS, paginate, readSearch, searchResult } from "../list.js";
import {
  assertKnown,
  has,
  readBool,
  readEnum,
  readInt,
  readList,
  readObject,
  readString,
  requireInt,
  requireString,
  type Shape,
} from "../params.js";
import { applyMetadata, checkAmount, checkCurrency, checkStatementDescriptor, checkStatementDescriptorSuffix } from "../rules.js";
import { matches } from "../search.js";
import type { IntentState } from "../store.js";
import { challengeAction } from "../three-d-secure.js";
import { defaultCaptureMethod } from "../version.js";
import { automaticTypes, checkTypes, usableTypes, type MethodType } from "./bank-methods.js";
import { createCharge, settleCharge } from "./charges.js";
import { openTestDispute } from "./disputes.js";
import { activeMandate, MANDATE_DATA, readAcceptance, recordMandate } from "./mandates.js";
import { attachForLater, behaviourOf, createFromData, isSetUp, PAYMENT_METHOD_DATA, resolvePaymentMethod } from "./payment-methods.js";
import { DECLINES, type Decline } from "./test-cards.js";

type Intent = Stripe.PaymentIntent;
type Status = Intent["status"];

const ADDRESS: Shape = { city: "scalar", country: "scalar", line1: "scalar", line2: "scalar", postal_code: "scalar", state: "scalar" };
const SHIPPING: Shape = { address: ADDRESS, carrier: "scalar", name: "scalar", phone: "scalar", tracking_number: "scalar" };

/** Shipping references Stripe passes on to card networks (level 2 data); kept on the intent. */
const PAYMENT_DETAILS: Shape = { customer_reference: "scalar", order_reference: "scalar" };

const UPDATABLE: Shape = {
  allowed_payment_method_types: "list",
  excluded_payment_method_types: "list",
  payment_method_data: PAYMENT_METHOD_DATA,
  payment_details: PAYMENT_DETAILS,
  transfer_group: "scalar",
  amount: "scalar",
  currency: "scalar",
  customer: "scalar",
  description: "scalar",
  metadata: "hash",
  payment_method: "scalar",
  payment_method_types: "list",
  receipt_email: "scalar",
  shipping: SHIPPING,
  statement_descriptor: "scalar",
  statement_descriptor_suffix: "scalar",
  setup_future_usage: "scalar",
  capture_method: "scalar",
  payment_method_options: "any",
  expand: "list",
};

const CONFIRM: Shape = {
  allowed_payment_method_types: "list",
  excluded_payment_method_types: "list",
  payment_details: PAYMENT_DETAILS,
  // Radar sessions only feed fraud scoring, which the sandbox does not do: accepted, without effect.
  radar_options: { session: "scalar" },
  mandate: "scalar",
  payment_method: "scalar",
  payment_method_data: PAYMENT_METHOD_DATA,
  return_url: "scalar",
  off_session: "scalar",
  use_stripe_sdk: "scalar",
  receipt_email: "scalar",
  shipping: SHIPPING,
  setup_future_usage: "scalar",
  payment_method_options: "any",
  error_on_requires_action: "scalar",
  mandate_data: MANDATE_DATA,
  capture_method: "scalar",
  expand: "list",
};

/** What Stripe.js sends with a publishable key when confirming. */
const CLIENT_CONFIRM: Shape = {
  client_secret: "scalar",
  radar_options: { session: "scalar" },
  payment_method: "scalar",
  payment_method_data: PAYMENT_METHOD_DATA,
  return_url: "scalar",
  use_stripe_sdk: "scalar",
  receipt_email: "scalar",
  shipping: SHIPPING,
  setup_future_usage: "scalar",
  payment_method_options: "any",
  mandate_data: MANDATE_DATA,
  expected_payment_method_type: "scalar",
  expand: "list",
};

const CREATE: Shape = {
  ...UPDATABLE,
  ...CONFIRM,
  confirm: "scalar",
  automatic_payment_methods: { enabled: "scalar", allow_redirects: "scalar" },
  confirmation_method: "scalar",
};

/** Fields a publishable key may see (Stripe.js's view of an intent): no metadata, customer, charges… */
const CLIENT_FIELDS = [
  "id",
  "object",
  "amount",
  "amount_details",
  "automatic_payment_methods",
  "canceled_at",
  "cancellation_reason",
  "capture_method",
  "client_secret",
  "confirmation_method",
  "created",
  "currency",
  "description",
  "last_payment_error",
  "livemode",
  "next_action",
  "payment_method",
  "payment_method_configuration_details",
  "payment_method_types",
  "processing",
  "receipt_email",
  "setup_future_usage",
  "shipping",
  "source",
  "status",
] as const;

const CARD_DESCRIPTOR_REFUSAL =
  "The `statement_descriptor` parameter is not supported for the payment_method_type `card`. To override the statement descriptor on a card transaction, use `statement_descriptor_suffix`.";

const AUTH_FAILURE_MESSAGE = "We are unable to authenticate your payment method. Please choose a different payment method and try again.";

const CONFIRMABLE: Status[] = ["requires_payment_method", "requires_confirmation", "requires_action"];
const CANCELABLE: Status[] = ["requires_payment_method", "requires_capture", "requires_confirmation", "requires_action", "processing"];
/** Statuses in which amount, currency, customer and payment method may still change. */
const MONEY_EDITABLE: Status[] = ["requires_payment_method", "requires_confirmation", "requires_action"];

/** The sandbox's own state for an intent, payment or setup (their ids never collide). */
export function stateOf(core: Core, id: string): IntentState {
  return core.store.t.intent_state.get(id) ?? core.store.t.intent_state.put({ id, returnUrl: null, pendingPaymentMethod: null });
}

function load(ctx: Ctx, param = "intent"): Intent {
  const id = ctx.path[param]!;
  const pi = ctx.store.t.payment_intents.get(id);
  if (!pi) throw resourceMissing("payment_intent", id, "intent");
  return pi;
}

export function clientView(pi: Intent): Partial<Intent> {
  const out: Record<string, unknown> = {};
  for (const k of CLIENT_FIELDS) out[k] = pi[k];
  return out as Partial<Intent>;
}

/** The intent as this caller may see it, with expand[] applied. */
function render(ctx: Ctx, pi: Intent): unknown {
  const paths = readList(ctx.params, "expand") ?? [];
  const full = expand(ctx.store, pi, paths);
  return ctx.credential.kind === "publishable" ? clientView(full) : full;
}

/** A publishable key may only act on an intent together with its client secret. */
function checkClientSecret(ctx: Ctx, pi: Intent): void {
  if (ctx.credential.kind !== "publishable") return;
  const secret = readString(ctx.params, "client_secret");
  if (!secret) throw parameterMissing("client_secret");
  if (secret !== pi.client_secret) {
    throw invalidRequest("The client_secret provided does not match the client_secret associated with the PaymentIntent.", {
      param: "client_secret",
    });
  }
}

function wrongStatus(action: string, pi: Intent, allowed: Status[]): StripeApiError {
  if (action === "confirm" && pi.status === "succeeded") {
    return unexpectedState("You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.", pi);
  }
  return unexpectedState(
    `You cannot ${action} this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be ${action === "cancel" ? "canceled" : `${action}d`}: ${allowed.join(", ")}.`,
    pi,
  );
}

function readShipping(params: FormObject): Intent["shipping"] | undefined {
  const s = readObject(params, "shipping");
  if (s === undefined) return undefined;
  if (s === "") return null;
  const name = readString(s, "name", { name: "shipping[name]" });
  if (!name) throw parameterMissing("shipping[name]");
  const a = readObject(s, "address", "shipping[address]");
  if (!a) throw parameterMissing("shipping[address]");
  const str = (o: FormObject, k: string) => (typeof o[k] === "string" && o[k] !== "" ? (o[k] as string) : null);
  return {
    address: {
      city: str(a, "city"),
      country: str(a, "country"),
      line1: str(a, "line1"),
      line2: str(a, "line2"),
      postal_code: str(a, "postal_code"),
      state: str(a, "state"),
    },
    carrier: str(s, "carrier"),
    name,
    phone: str(s, "phone"),
    tracking_number: str(s, "tracking_number"),
  };
}

function readCustomer(ctx: Ctx): string | null | undefined {
  const customer = readString(ctx.params, "customer", { unsettable: true });
  if (customer && !ctx.store.t.customers.get(customer)) throw resourceMissing("customer", customer, "customer");
  return customer;
}

/** Card options as Stripe shows them; the bank methods have no options the sandbox reads. */
const METHOD_OPTIONS: Record<MethodType, Record<string, unknown>> = {
  card: { installments: null, mandate_options: null, network: null, request_three_d_secure: "automatic" },
  ideal: {},
  sepa_debit: {},
  us_bank_account: { verification_method: "automatic" },
};

/** How a request says which methods the intent offers; the three ways exclude each other. */
type MethodChoice =
  | { kind: "types"; types: MethodType[] }
  | { kind: "allowed"; allowed: string[] }
  | { kind: "automatic"; apm: { enabled: boolean; allow_redirects: "always" | "never" } | null; excluded: string[] | null };

const present = (name: string, list: string[] | undefined) => (list && list.length > 0 ? [name] : []);

/**
 * `payment_method_types` (the older API versions' list), `allowed_payment_method_types` (its successor: what does
 * not suit the currency is left out silently) or `automatic_payment_methods` with `excluded_payment_method_types`.
 * Checked against `currency` before anything changes; undefined when the request names none of them.
 */
function readMethodChoice(p: FormObject, currency: string): MethodChoice | undefined {
  const types = readList(p, "payment_method_types");
  const allowed = readList(p, "allowed_payment_method_types");
  const excluded = readList(p, "excluded_payment_method_types");
  const apmParams = readObject(p, "automatic_payment_methods");
  const enabled = apmParams ? readBool(apmParams, "enabled", "automatic_payment_methods[enabled]") : undefined;
  const allowRedirects = apmParams
    ? readEnum(apmParams, "allow_redirects", ["always", "never"] as const, "automatic_payment_methods[allow_redirects]")
    : undefined;
  if (apmParams && enabled === undefined) throw parameterMissing("automatic_payment_methods[enabled]");
  const lists = [...present("allowed_payment_method_types", allowed), ...present("payment_method_types", types)];
  const automatic = [...(enabled ? ["automatic_payment_methods"] : []), ...present("excluded_payment_method_types", excluded)];
  if (lists.length + (automatic.length > 0 ? 1 : 0) > 1) {
    const clash = [...lists, ...automatic].sort();
    throw invalidRequest(`You may only specify one of these parameters: ${clash.join(", ")}.`, { param: clash[0] });
  }
  if (types && types.length > 0) return { kind: "types", types: checkTypes(types, currency) };
  if (allowed && allowed.length > 0) {
    usableTypes(allowed, currency);
    return { kind: "allowed", allowed };
  }
  if (!apmParams && excluded === undefined) return undefined;
  return {
    kind: "automatic",
    apm: apmParams ? { enabled: enabled!, allow_redirects: allowRedirects ?? "always" } : null,
    excluded: excluded && excluded.length > 0 ? excluded : null,
  };
}

/** Applies `choice` (none: keep the intent's), then works out the methods the intent offers for its currency. */
function offerMethods(pi: Intent, choice: MethodChoice | undefined): void {
  if (choice?.kind === "types" || choice?.kind === "allowed") {
    pi.automatic_payment_methods = null;
    pi.payment_method_configuration_details = null;
    pi.excluded_payment_method_types = null;
    pi.allowed_payment_method_types = choice.kind === "allowed" ? (choice.allowed as Intent["allowed_payment_method_types"]) : null;
    if (choice.kind === "types") pi.payment_method_types = choice.types;
  } else if (choice?.kind === "automatic") {
    if (choice.apm) pi.automatic_payment_methods = choice.apm;
    if (!pi.automatic_payment_methods?.enabled && choice.excluded)
      throw invalidRequest("`excluded_payment_method_types` can only be used with automatic payment methods.", {
        param: "excluded_payment_method_types",
      });
    pi.excluded_payment_method_types = choice.excluded as Intent["excluded_payment_method_types"];
    pi.payment_method_configuration_details = pi.automatic_payment_methods?.enabled ? { id: "pmc_sandbox_default", parent: null } : null;
  }
  const apm = pi.automatic_payment_methods;
  const excluded: string[] = pi.excluded_payment_method_types ?? [];
  let types: MethodType[];
  if (pi.allowed_payment_method_types) types = usableTypes(pi.allowed_payment_method_types, pi.currency);
  else if (apm?.enabled) types = automaticTypes(pi.currency, apm.allow_redirects).filter((t) => !excluded.includes(t));
  else if (apm) types = ["card"];
  else types = checkTypes(pi.payment_method_types, pi.currency); // explicit methods must all take the currency
  if (types.length === 0)
    throw invalidRequest("`excluded_payment_method_types` leaves no payment method this PaymentIntent could use.", {
      param: "excluded_payment_method_types",
    });
  pi.payment_method_types = types;
  pi.payment_method_options = Object.fromEntries(types.map((t) => [t, METHOD_OPTIONS[t]])) as Intent["payment_method_options"];
}

/** Fields shared by create and update; only those present in the request are applied. */
function applyCommon(ctx: Ctx, pi: Intent): void {
  const p = ctx.params;
  const description = readString(p, "description", { unsettable: true });
  if (description !== undefined) pi.description = description;
  const email = readString(p, "receipt_email", { unsettable: true });
  if (email !== undefined) {
    if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
      throw invalidRequest(`Invalid email address: ${email}`, { param: "receipt_email", code: "email_invalid" });
    pi.receipt_email = email;
  }
  const shipping = readShipping(p);
  if (shipping !== undefined) pi.shipping = shipping;
  const sd = readString(p, "statement_descriptor", { unsettable: true });
  if (sd !== undefined) {
    if (sd) checkStatementDescriptor(sd);
    // Card payments take only the suffix; the full descriptor is for other methods (docs/stripe-behaviour.md "Statement descriptors").
    if (sd && pi.payment_method_types.length === 1 && pi.payment_method_types[0] === "card" && !pi.automatic_payment_methods?.enabled) {
      throw invalidRequest(CARD_DESCRIPTOR_REFUSAL, { param: "statement_descriptor" });
    }
    pi.statement_descriptor = sd;
  }
  const suffix = readString(p, "statement_descriptor_suffix", { unsettable: true });
  if (suffix !== undefined) {
    if (suffix) checkStatementDescriptorSuffix(suffix);
    pi.statement_descriptor_suffix = suffix;
  }
  const sfu = readEnum(p, "setup_future_usage", ["on_session", "off_session"] as const);
  if (sfu !== undefined) pi.setup_future_usage = sfu;
  const capture = readEnum(p, "capture_method", ["automatic", "automatic_async", "manual"] as const);
  if (capture !== undefined) pi.capture_method = capture;
  const group = readString(p, "transfer_group", { unsettable: true });
  if (group !== undefined) pi.transfer_group = group; // copied to the charges; no transfers without Connect
  applyPaymentDetails(p, pi);
  pi.metadata = applyMetadata(pi.metadata, p.metadata as FormObject | "" | undefined);
}

/** `payment_details`: references Stripe passes on to the networks; "" clears them. */
function applyPaymentDetails(p: FormObject, pi: Intent): void {
  const details = readObject(p, "payment_details");
  if (details === undefined) return;
  if (details === "") {
    delete pi.payment_details;
    return;
  }
  const value = (key: string) => readString(details, key, { unsettable: true, name: `payment_details[${key}]` }) ?? null;
  pi.payment_details = { customer_reference: value("customer_reference"), order_reference: value("order_reference") };
}

// ---- the status machine ----

/** Authorised: a charge, then succeeded (or requires_capture for manual capture). */
function succeed(core: Core, pi: Intent, pm: Stripe.PaymentMethod, authenticated: boolean): void {
  const charge = createCharge(core, pi, pm, { authenticated });
  pi.latest_charge = charge.id;
  core.emit("charge.succeeded", charge);
  paid(core, pi, pm, charge, authenticated);
}

/** The intent's side of a successful charge (made now, or a debit that just settled). */
function paid(core: Core, pi: Intent, pm: Stripe.PaymentMethod, charge: Stripe.Charge, authenticated: boolean): void {
  const before = structuredClone(pi);
  pi.payment_method = pm.id;
  pi.last_payment_error = null;
  pi.next_action = null;
  stateOf(core, pi.id).pendingPaymentMethod = null;
  // setup_future_usage: the method is kept for the intent's customer, and set up for off-session use.
  if (pi.setup_future_usage) attachForLater(core, pm, customerOf(pi), authenticated || pm.type !== "card");
  if (pi.capture_method === "manual") {
    pi.status = "requires_capture";
    pi.amount_capturable = pi.amount;
    core.emit("payment_intent.amount_capturable_updated", pi, changedFields(before, pi));
    return;
  }
  pi.status = "succeeded";
  pi.amount_received = pi.amount;
  core.emit("payment_intent.succeeded", pi, changedFields(before, pi));
  if (charge.balance_transaction === null) {
    // automatic_async: the balance transaction is attached after the fact, announced by charge.updated.
    charge.balance_transaction = newId("txn");
    core.emit("charge.updated", charge, { balance_transaction: null });
  }
  openTestDispute(core, charge, behaviourOf(core.store, pm.id));
}

function customerOf(pi: Intent): string | null {
  return typeof pi.customer === "string" ? pi.customer : (pi.customer?.id ?? null);
}

/**
 * A bank debit is submitted: a pending charge, `processing`, and the outcome after the sandbox's async delay
 * (settleAsyncPayment). `mandate` is the customer's permission, recorded or reused by the caller.
 */
function startDebit(core: Core, pi: Intent, pm: Stripe.PaymentMethod, mandate: Stripe.Mandate): void {
  const before = structuredClone(pi);
  const charge = createCharge(core, pi, pm, { authenticated: false, pending: true, mandate: mandate.id });
  pi.latest_charge = charge.id;
  pi.payment_method = pm.id;
  pi.last_payment_error = null;
  pi.next_action = null;
  pi.status = "processing";
  stateOf(core, pi.id).pendingPaymentMethod = null;
  core.emit("payment_intent.processing", pi, changedFields(before, pi));
  core.emit("charge.pending", charge);
  core.schedule("async_payment", pi.id);
}

/** The timer's job: a processing debit succeeds, or fails as its test IBAN or account number says. */
export function settleAsyncPayment(core: Core, id: string): void {
  const pi = core.store.t.payment_intents.get(id);
  // Canceled (or otherwise finished) while processing: nothing is left to settle.
  if (!pi || pi.status !== "processing" || typeof pi.latest_charge !== "string") return;
  const charge = core.store.t.charges.get(pi.latest_charge);
  const pm = typeof pi.payment_method === "string" ? core.store.t.payment_methods.get(pi.payment_method) : undefined;
  if (!charge || !pm) return;
  const behaviour = behaviourOf(core.store, pm.id);
  const failure = behaviour.kind === "debits" ? behaviour.failure : undefined;
  settleCharge(core, charge, failure);
  if (!failure) {
    paid(core, pi, pm, charge, false);
    return;
  }
  const before = structuredClone(pi);
  pi.last_payment_error = {
    type: "invalid_request_error",
    code: failure.code as Stripe.PaymentIntent.LastPaymentError.Code,
    decline_code: failure.decline_code,
    message: failure.message,
    doc_url: docUrl(failure.code),
    charge: charge.id,
    payment_method: pm,
  };
  pi.payment_method = null;
  pi.status = "requires_payment_method";
  core.emit("payment_intent.payment_failed", pi, changedFields(before, pi));
}

/** Declined: a failed charge, the error kept on the intent, and back to requires_payment_method. */
function decline(core: Core, pi: Intent, pm: Stripe.PaymentMethod, d: Decline, authenticated: boolean): StripeApiError {
  const before = structuredClone(pi);
  const charge = createCharge(core, pi, pm, { decline: d, authenticated });
  const error: Stripe.PaymentIntent.LastPaymentError = {
    type: "card_error",
    code: d.code as Stripe.PaymentIntent.LastPaymentError.Code,
    decline_code: d.decline_code,
    message: d.message,
    doc_url: docUrl(d.code),
    charge: charge.id,
    payment_method: pm,
  };
  if (d.param) error.param = d.param;
  pi.last_payment_error = error;
  pi.latest_charge = charge.id;
  pi.payment_method = null; // Stripe detaches the failed method; it stays in last_payment_error
  pi.next_action = null;
  pi.status = "requires_payment_method";
  stateOf(core, pi.id).pendingPaymentMethod = null;
  core.emit("charge.failed", charge);
  core.emit("payment_intent.payment_failed", pi, changedFields(before, pi));
  return new StripeApiError(
    402,
    { ...error, type: "card_error", message: d.message, charge: charge.id, payment_intent: pi, payment_method: pm },
    false,
  );
}

function requireAction(core: Core, pi: Intent, pm: Stripe.PaymentMethod, useStripeSdk: boolean, returnUrl: string | null): void {
  const before = structuredClone(pi);
  pi.status = "requires_action";
  pi.payment_method = pm.id;
  stateOf(core, pi.id).pendingPaymentMethod = pm.id;
  pi.next_action = challengeAction(core, pi, useStripeSdk, returnUrl);
  core.emit("payment_intent.requires_action", pi, changedFields(before, pi));
}

/** A redirect method: the shopper goes to the bank's page (the sandbox's, src/redirect-page.ts), whatever use_stripe_sdk says. */
function sendToBank(core: Core, pi: Intent, pm: Stripe.PaymentMethod, returnUrl: string): void {
  const before = structuredClone(pi);
  pi.status = "requires_action";
  pi.payment_method = pm.id;
  stateOf(core, pi.id).pendingPaymentMethod = pm.id;
  const query = new URLSearchParams({ client_secret: pi.client_secret! });
  pi.next_action = {
    type: "redirect_to_url",
    redirect_to_url: { url: `${core.origin}/redirect/authorize/${pi.id}?${query}`, return_url: returnUrl },
  };
  core.emit("payment_intent.requires_action", pi, changedFields(before, pi));
}

/**
 * Automatic payment methods may redirect, so Stripe wants a return_url unless redirects are off or nobody is present.
 * Stripe.js (use_stripe_sdk) handles card authentication in the page, so it is not held to this (unconfirmed).
 */
export function checkReturnUrl(
  apm: { enabled: boolean | null; allow_redirects?: string } | null,
  offSession: boolean,
  returnUrl: string | null,
  useStripeSdk: boolean,
): void {
  if (apm?.enabled && apm.allow_redirects !== "never" && !offSession && !returnUrl && !useStripeSdk) {
    throw invalidRequest(
      "This PaymentIntent is configured to accept payment methods enabled in your Dashboard. Because some of these payment methods might redirect your customer off of your page, you must provide a `return_url`. If you don't want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.",
      { param: "return_url" },
    );
  }
}

interface ConfirmInput {
  offSession: boolean;
  useStripeSdk: boolean;
  returnUrl: string | null;
  /** `mandate_data[customer_acceptance]`, for bank debits. */
  acceptance: Stripe.Mandate.CustomerAcceptance | undefined;
  /** `mandate`: an existing mandate of the method. */
  mandate: Stripe.Mandate | undefined;
  /** `error_on_requires_action`: fail rather than ask the customer to authenticate. */
  errorOnAction: boolean;
}

/** Off-session (or with error_on_requires_action) nobody answers a challenge: Stripe declines with authentication_required. */
const needsAuthentication = (core: Core, pi: Intent, pm: Stripe.PaymentMethod) =>
  decline(core, pi, pm, DECLINES.authenticationRequired, false);

/** Runs one confirmation with `pm`; a decline is returned as the 402 to answer (the intent is already updated). */
function attempt(core: Core, pi: Intent, pm: Stripe.PaymentMethod, input: ConfirmInput): StripeApiError | null {
  const behaviour = behaviourOf(core.store, pm.id);
  switch (behaviour.kind) {
    case "succeeds":
      succeed(core, pi, pm, false);
      return null;
    case "declines":
      return decline(core, pi, pm, behaviour.decline, false);
    case "authenticates_on_session":
      // Set up with the cardholder present (a SetupIntent, or a payment with setup_future_usage), it passes off session.
      if (input.offSession && isSetUp(core.store, pm.id)) {
        succeed(core, pi, pm, false);
        return null;
      }
      if (input.offSession || input.errorOnAction) return needsAuthentication(core, pi, pm);
      requireAction(core, pi, pm, input.useStripeSdk, input.returnUrl);
      return null;
    case "authenticates":
    case "authenticates_then_declines":
      if (input.offSession || input.errorOnAction) return needsAuthentication(core, pi, pm);
      requireAction(core, pi, pm, input.useStripeSdk, input.returnUrl);
      return null;
    case "debits": {
      // The customer's permission: given now (mandate_data), or kept from an earlier debit set up for later.
      const mandate = input.acceptance
        ? recordMandate(core, pm, input.acceptance, pi.setup_future_usage ? null : { amount: pi.amount, currency: pi.currency })
        : (input.mandate ?? activeMandate(core, pm.id)!);
      startDebit(core, pi, pm, mandate);
      return null;
    }
    case "redirects":
      sendToBank(core, pi, pm, input.returnUrl!);
      return null;
  }
}

/** Confirmation per docs/stripe-behaviour.md "Status machine"; throws for wrong state, missing method or missing return_url. */
function confirm(ctx: Ctx, pi: Intent): StripeApiError | null {
  const p = ctx.params;
  if (!CONFIRMABLE.includes(pi.status)) throw wrongStatus("confirm", pi, CONFIRMABLE);
  const offSession = readBool(p, "off_session") ?? false;
  const useStripeSdk = readBool(p, "use_stripe_sdk") ?? false;
  const returnUrl = readString(p, "return_url") ?? null;
  if (returnUrl && !/^[a-z][a-z0-9+.-]*:\/\//i.test(returnUrl))
    throw invalidRequest("Not a valid URL", { param: "return_url", code: "url_invalid" });
  const errorOnAction = readBool(p, "error_on_requires_action") ?? false;
  const acceptance = readAcceptance(ctx);
  const choice = readMethodChoice(p, pi.currency);
  if (choice) offerMethods(pi, choice);
  applyPaymentDetails(p, pi);
  const email = readString(p, "receipt_email", { unsettable: true });
  if (email !== undefined) pi.receipt_email = email;
  const shipping = readShipping(p);
  if (shipping !== undefined) pi.shipping = shipping;

  let pm: Stripe.PaymentMethod | undefined;
  const pmId = readString(p, "payment_method");
  const pmData = readObject(p, "payment_method_data");
  if (pmId) pm = resolvePaymentMethod(ctx.store, pmId);
  else if (pmData) pm = createFromData(ctx.store, pmData, "payment_method_data");
  else if (pi.payment_method)
    pm = resolvePaymentMethod(ctx.store, typeof pi.payment_method === "string" ? pi.payment_method : pi.payment_method.id);
  if (!pm) {
    throw unexpectedState(
      "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm a payment with a payment method, please specify a payment_method.",
      pi,
    );
  }
  checkReturnUrl(pi.automatic_payment_methods, offSession, returnUrl, useStripeSdk);
  const mandate = readMandate(ctx, pm);
  checkMethodFits(ctx, pi, pm, { returnUrl, acceptance, mandate });
  stateOf(ctx, pi.id).returnUrl = returnUrl;
  return attempt(ctx, pi, pm, { offSession, useStripeSdk, returnUrl, acceptance, mandate, errorOnAction });
}

/** `mandate`: an existing mandate of this very method, instead of `mandate_data`. */
function readMandate(ctx: Ctx, pm: Stripe.PaymentMethod): Stripe.Mandate | undefined {
  const id = readString(ctx.params, "mandate");
  if (!id) return undefined;
  const mandate = ctx.store.t.mandates.get(id);
  if (!mandate) throw resourceMissing("mandate", id, "mandate");
  if (mandate.payment_method !== pm.id || mandate.status !== "active")
    throw invalidRequest(`The mandate ${id} is not an active mandate of the PaymentMethod ${pm.id}.`, { param: "mandate" });
  return mandate;
}

/**
 * Before anything changes: the method's type must be one the intent allows, a redirect needs somewhere to come back
 * to, and a bank debit needs the customer's mandate (given now or kept from an earlier debit).
 */
function checkMethodFits(
  ctx: Ctx,
  pi: Intent,
  pm: Stripe.PaymentMethod,
  input: { returnUrl: string | null; acceptance: Stripe.Mandate.CustomerAcceptance | undefined; mandate: Stripe.Mandate | undefined },
): void {
  if (!pi.payment_method_types.includes(pm.type)) {
    throw invalidRequest(
      `The PaymentMethod provided (${pm.type}) is not allowed for this PaymentIntent. Please attach a PaymentMethod of one of the following types: ${pi.payment_method_types.join(", ")}. Alternatively update the allowed payment_method_types for this PaymentIntent to include "${pm.type}".`,
      { code: "payment_intent_incompatible_payment_method", param: "payment_method" },
    );
  }
  const behaviour = behaviourOf(ctx.store, pm.id);
  if (behaviour.kind === "redirects" && !input.returnUrl) {
    throw invalidRequest(
      `A \`return_url\` must be specified to confirm a PaymentIntent with a ${pm.type} PaymentMethod, which redirects to the customer's bank.`,
      {
        param: "return_url",
      },
    );
  }
  if (behaviour.kind === "debits" && !input.acceptance && !input.mandate && !activeMandate(ctx, pm.id)) {
    throw invalidRequest(
      `A mandate is required to confirm this PaymentIntent with a ${pm.type} PaymentMethod: pass \`mandate_data[customer_acceptance]\` describing how the customer accepted it.`,
      { param: "mandate_data" },
    );
  }
}

/** Answers a confirm: the intent, or the decline as a 402 carrying the intent as this caller may see it. */
function confirmResult(ctx: Ctx, pi: Intent, declined: StripeApiError | null): HandlerResult {
  if (declined) {
    throw new StripeApiError(402, { ...declined.body, payment_intent: render(ctx, pi) }, false);
  }
  return { body: render(ctx, pi) };
}

// ---- the challenge page's outcomes (outside any API request) ----

/** Complete on the 3-D Secure page: carry on as the card would after authentication. */
export function completeAuthentication(core: Core, pi: Intent): void {
  const pmId = stateOf(core, pi.id).pendingPaymentMethod ?? (typeof pi.payment_method === "string" ? pi.payment_method : null);
  const pm = pmId ? core.store.t.payment_methods.get(pmId) : undefined;
  if (!pm) throw invalidRequest("This PaymentIntent has no payment method awaiting authentication.");
  const behaviour = behaviourOf(core.store, pm.id);
  if (behaviour.kind === "authenticates_then_declines") decline(core, pi, pm, behaviour.decline, true);
  else succeed(core, pi, pm, true);
}

/** Fail on the 3-D Secure page: payment_intent_authentication_failure, back to requires_payment_method. */
export function failAuthentication(core: Core, pi: Intent): void {
  const before = structuredClone(pi);
  const pmId = stateOf(core, pi.id).pendingPaymentMethod;
  const pm = pmId ? core.store.t.payment_methods.get(pmId) : undefined;
  pi.last_payment_error = {
    type: "invalid_request_error",
    code: "payment_intent_authentication_failure",
    doc_url: docUrl("payment_intent_authentication_failure"),
    message: AUTH_FAILURE_MESSAGE,
    ...(pm ? { payment_method: pm } : {}),
  };
  pi.status = "requires_payment_method";
  pi.payment_method = null;
  pi.next_action = null;
  stateOf(core, pi.id).pendingPaymentMethod = null;
  core.emit("payment_intent.payment_failed", pi, changedFields(before, pi));
}

export function returnUrlOf(core: Core, id: string): string | null {
  return core.store.t.intent_state.get(id)?.returnUrl ?? null;
}

// ---- endpoints ----

export function createPaymentIntent(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  const p = ctx.params;
  assertKnown(p, CREATE);
  const amount = requireInt(p, "amount");
  const currency = checkCurrency(requireString(p, "currency"));
  checkAmount(amount, currency);
  // Without a list of types the current API turns on automatic payment methods (docs/stripe-behaviour.md "PaymentIntent").
  const choice = readMethodChoice(p, currency) ?? { kind: "automatic", apm: null, excluded: null };
  const automatic = choice.kind === "automatic" ? (choice.apm ?? { enabled: true, allow_redirects: "always" as const }) : null;
  readEnum(p, "confirmation_method", ["automatic", "manual"] as const);
  const confirmNow = readBool(p, "confirm") ?? false;
  const customer = readCustomer(ctx);
  for (const k of [
    "off_session",
    "return_url",
    "use_stripe_sdk",
    "error_on_requires_action",
    "payment_method_data",
    "mandate_data",
    "mandate",
  ]) {
    if (has(p, k) && !confirmNow) throw invalidRequest(`You can only pass \`${k}\` when \`confirm=true\`.`, { param: k });
  }
  const pmId = readString(p, "payment_method");
  if (confirmNow) {
    // Checked before anything is created, as Stripe validates a create-and-confirm as one request.
    checkReturnUrl(
      automatic,
      readBool(p, "off_session") ?? false,
      readString(p, "return_url") ?? null,
      readBool(p, "use_stripe_sdk") ?? false,
    );
    if (!pmId && !has(p, "payment_method_data")) {
      throw invalidRequest(
        "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm a payment with a payment method, please specify a payment_method.",
        { code: "payment_intent_unexpected_state" },
      );
    }
  }
  const id = newId("pi");
  const pi: Intent = {
    id,
    object: "payment_intent",
    allowed_payment_method_types: null,
    amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: automatic,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: defaultCaptureMethod(ctx.apiVersion),
    client_secret: clientSecretFor(id),
    confirmation_method: "automatic",
    created: nowSeconds(),
    currency,
    customer: customer ?? null,
    customer_account: null,
    description: null,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: {},
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: automatic ? { id: "pmc_sandbox_default", parent: null } : null,
    payment_method_options: null,
    payment_method_types: [],
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: "requires_payment_method",
    transfer_data: null,
    transfer_group: null,
  } satisfies Intent;
  offerMethods(pi, choice);
  applyCommon(ctx, pi);
  if (pmId) {
    pi.payment_method = resolvePaymentMethod(ctx.store, pmId).id;
    pi.status = "requires_confirmation";
  }
  ctx.store.t.payment_intents.put(pi);
  ctx.emit("payment_intent.created", pi);
  if (!confirmNow) return { body: render(ctx, pi) };
  // The create already ran; errors from here on are stored under the idempotency key.
  try {
    // The method was resolved above (a test token already became a pm_), so confirm takes it from the intent.
    const { payment_method: _resolved, ...confirmParams } = p;
    const confirmCtx = { ...ctx, params: confirmParams };
    return confirmResult(confirmCtx, pi, confirm(confirmCtx, pi));
  } catch (e) {
    throw e instanceof StripeApiError ? ranError(e) : e;
  }
}

export function retrievePaymentIntent(ctx: Ctx): HandlerResult {
  assertKnown(ctx.params, { client_secret: "scalar", expand: "list" });
  const pi = load(ctx);
  checkClientSecret(ctx, pi);
  return { body: render(ctx, pi) };
}

export function updatePaymentIntent(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  const p = ctx.params;
  assertKnown(p, UPDATABLE);
  const pi = load(ctx);
  for (const field of [
    "amount",
    "currency",
    "customer",
    "payment_method",
    "payment_method_data",
    "payment_method_types",
    "allowed_payment_method_types",
    "excluded_payment_method_types",
  ]) {
    if (has(p, field) && !MONEY_EDITABLE.includes(pi.status)) {
      throw ranError(
        invalidRequest(
          `This PaymentIntent's ${field} could not be updated because it has a status of ${pi.status}. You may only update the ${field} of a PaymentIntent with one of the following statuses: ${MONEY_EDITABLE.join(", ")}.`,
          { param: field, code: "payment_intent_unexpected_state" },
        ),
      );
    }
  }
  const currency = has(p, "currency") ? checkCurrency(requireString(p, "currency")) : pi.currency;
  const amount = readInt(p, "amount") ?? pi.amount;
  if (has(p, "amount") || has(p, "currency")) checkAmount(amount, currency);
  const choice = readMethodChoice(p, currency);
  // Checked on a copy first, so a refusal changes nothing.
  offerMethods({ ...structuredClone(pi), currency }, choice);
  const customer = readCustomer(ctx);
  applyCommon(ctx, pi);
  pi.amount = amount;
  pi.currency = currency;
  if (choice || has(p, "currency")) offerMethods(pi, choice);
  if (customer !== undefined) pi.customer = customer;
  const pmData = readObject(p, "payment_method_data");
  const pmId = pmData ? createFromData(ctx.store, pmData, "payment_method_data").id : readString(p, "payment_method", { unsettable: true });
  if (pmId !== undefined) {
    pi.payment_method = pmId ? resolvePaymentMethod(ctx.store, pmId).id : null;
    if (pi.status === "requires_payment_method" && pmId) pi.status = "requires_confirmation";
    if (!pmId) pi.status = "requires_payment_method";
  }
  return { body: render(ctx, pi) };
}

export function confirmPaymentIntent(ctx: Ctx): HandlerResult {
  assertKnown(ctx.params, ctx.credential.kind === "publishable" ? CLIENT_CONFIRM : { ...CONFIRM, client_secret: "scalar" });
  const pi = load(ctx);
  checkClientSecret(ctx, pi);
  return confirmResult(ctx, pi, confirm(ctx, pi));
}

export function capturePaymentIntent(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  const p = ctx.params;
  assertKnown(p, {
    amount_to_capture: "scalar",
    metadata: "hash",
    statement_descriptor: "scalar",
    statement_descriptor_suffix: "scalar",
    final_capture: "scalar",
    payment_details: PAYMENT_DETAILS,
    expand: "list",
  });
  const pi = load(ctx);
  if (pi.status !== "requires_capture") {
    throw unexpectedState(
      `This PaymentIntent could not be captured because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
      pi,
    );
  }
  if (readBool(p, "final_capture") === false)
    throw invalidRequest(
      "`final_capture=false` captures in several parts (multicapture), which needs `payment_method_options[card][request_multicapture]` and which the Stripe sandbox does not support.",
      { param: "final_capture" },
    );
  const toCapture = readInt(p, "amount_to_capture") ?? pi.amount_capturable;
  if (toCapture < 1) throw invalidRequest("This value must be greater than or equal to 1.", { param: "amount_to_capture" });
  if (toCapture > pi.amount_capturable) {
    throw invalidRequest(`The amount to capture (${toCapture}) cannot exceed the amount capturable (${pi.amount_capturable}).`, {
      param: "amount_to_capture",
      code: "amount_too_large",
    });
  }
  const before = structuredClone(pi);
  pi.metadata = applyMetadata(pi.metadata, p.metadata as FormObject | "" | undefined);
  const suffix = readString(p, "statement_descriptor_suffix");
  if (suffix) {
    checkStatementDescriptorSuffix(suffix);
    pi.statement_descriptor_suffix = suffix;
  }
  applyPaymentDetails(p, pi);
  const descriptor = readString(p, "statement_descriptor");
  if (descriptor) {
    checkStatementDescriptor(descriptor);
    if (pi.payment_method_types.length === 1 && pi.payment_method_types[0] === "card" && !pi.automatic_payment_methods?.enabled)
      throw invalidRequest(CARD_DESCRIPTOR_REFUSAL, { param: "statement_descriptor" });
    pi.statement_descriptor = descriptor;
  }
  const charge = ctx.store.t.charges.get(pi.latest_charge as string)!;
  const chargeBefore = structuredClone(charge);
  charge.captured = true;
  charge.amount_captured = toCapture;
  // A partial capture releases the rest, which Stripe reports as refunded on the charge.
  charge.amount_refunded = pi.amount - toCapture;
  charge.balance_transaction = newId("txn");
  pi.amount_received = toCapture;
  pi.amount_capturable = 0;
  pi.status = "succeeded";
  ctx.emit("charge.captured", charge, changedFields(chargeBefore, charge));
  ctx.emit("payment_intent.succeeded", pi, changedFields(before, pi));
  return { body: render(ctx, pi) };
}

export function cancelPaymentIntent(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  assertKnown(ctx.params, { cancellation_reason: "scalar", expand: "list" });
  const pi = load(ctx);
  const reason =
    readEnum(ctx.params, "cancellation_reason", ["duplicate", "fraudulent", "requested_by_customer", "abandoned"] as const) ?? null;
  if (!CANCELABLE.includes(pi.status)) throw wrongStatus("cancel", pi, CANCELABLE);
  const before = structuredClone(pi);
  if (pi.status === "requires_capture" && typeof pi.latest_charge === "string") {
    // Cancelling an authorisation releases it: the whole charge is reported refunded.
    const charge = ctx.store.t.charges.get(pi.latest_charge)!;
    const chargeBefore = structuredClone(charge);
    charge.amount_refunded = charge.amount;
    charge.refunded = true;
    ctx.emit("charge.refunded", charge, changedFields(chargeBefore, charge));
  }
  pi.status = "canceled";
  pi.canceled_at = nowSeconds();
  pi.cancellation_reason = reason;
  pi.amount_capturable = 0;
  pi.next_action = null;
  stateOf(ctx, pi.id).pendingPaymentMethod = null;
  ctx.emit("payment_intent.canceled", pi, changedFields(before, pi));
  return { body: render(ctx, pi) };
}

export function listPaymentIntents(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  assertKnown(ctx.params, { ...LIST_PARAMS, customer: "scalar" });
  const created = createdFilter(ctx.params);
  const customer = readString(ctx.params, "customer");
  const rows = ctx.store.t.payment_intents.newestFirst().filter((pi) => created(pi.created) && (!customer || pi.customer === customer));
  const page = paginate(ctx.params, rows, ctx.url, "payment_intent");
  return { body: { ...page, data: expandList(ctx.store, page.data, readList(ctx.params, "expand") ?? []) } };
}

const SEARCH_FIELDS = {
  amount: "number",
  created: "number",
  currency: "string",
  customer: "string",
  metadata: "metadata",
  status: "string",
} as const;

export function searchPaymentIntents(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  const { query, limit } = readSearch(ctx, SEARCH_FIELDS);
  const all = ctx.store.t.payment_intents.newestFirst().filter((pi) =>
    matches(query, (field, key) => {
      if (field === "metadata") return pi.metadata[key!];
      const v = pi[field as keyof typeof SEARCH_FIELDS];
      return typeof v === "object" && v !== null ? (v as { id: string }).id : (v as string | number | null);
    }),
  );
  return { body: searchResult(ctx, all, limit) };
}
