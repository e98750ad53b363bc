// SetupIntents: create, retrieve, update, confirm (3-D Secure through the challenge page), cancel, list. A card is
// checked, not charged; a succeeded setup attaches its payment method to the intent's customer.
import type Stripe from "stripe";
import { secretKeyRequired } from "../auth.js";
import type { Core, Ctx, HandlerResult } from "../context.js";
import { docUrl, invalidRequest, parameterMissing, ranError, resourceMissing, StripeApiError, type StripeErrorBody } from "../errors.js";
import { changedFields } from "../events.js";
import { expand, expandList } from "../expand.js";
import type { FormObject } from "../form.js";
import { clientSecretFor, newId, nowSeconds } from "../ids.js";
import { createdFilter, LIST_PARAMS, paginate } from "../list.js";
import { assertKnown, has, readBool, readEnum, readList, readObject, readString, type Shape } from "../params.js";
import { applyMetadata } from "../rules.js";
import { challengeAction } from "../three-d-secure.js";
import { checkReturnUrl, stateOf } from "./payment-intents.js";
import { activeMandate, MANDATE_DATA, readAcceptance, recordMandate } from "./mandates.js";
import {
  attachForLater,
  behaviourOf,
  createFromData,
  PAYMENT_METHOD_DATA,
  prepareAttach,
  resolvePaymentMethod,
} from "./payment-methods.js";
import type { Decline } from "./test-cards.js";

type Setup = Stripe.SetupIntent;
type Status = Setup["status"];

const UPDATABLE: Shape = {
  customer: "scalar",
  description: "scalar",
  metadata: "hash",
  payment_method: "scalar",
  payment_method_types: "list",
  allowed_payment_method_types: "list",
  payment_method_options: "any",
  expand: "list",
};

const CONFIRM: Shape = {
  payment_method: "scalar",
  payment_method_data: PAYMENT_METHOD_DATA,
  payment_method_options: "any",
  return_url: "scalar",
  use_stripe_sdk: "scalar",
  mandate_data: MANDATE_DATA,
  expand: "list",
};

/** What Stripe.js sends with a publishable key when confirming a setup. */
const CLIENT_CONFIRM: Shape = { ...CONFIRM, client_secret: "scalar", expected_payment_method_type: "scalar" };

const CREATE: Shape = {
  ...UPDATABLE,
  ...CONFIRM,
  confirm: "scalar",
  usage: "scalar",
  automatic_payment_methods: { enabled: "scalar", allow_redirects: "scalar" },
};

/** Fields a publishable key may see (Stripe's "retrievable with publishable key"): no customer, metadata… */
const CLIENT_FIELDS = [
  "id",
  "object",
  "automatic_payment_methods",
  "cancellation_reason",
  "client_secret",
  "created",
  "description",
  "last_setup_error",
  "livemode",
  "next_action",
  "payment_method",
  "payment_method_configuration_details",
  "payment_method_types",
  "status",
  "usage",
] as const;

const AUTH_FAILURE_MESSAGE = "We are unable to authenticate your payment method. Please choose a different payment method and try again.";

const CONFIRMABLE: Status[] = ["requires_payment_method", "requires_confirmation", "requires_action"];
const CANCELABLE: Status[] = ["requires_payment_method", "requires_confirmation", "requires_action", "processing"];

function load(ctx: Ctx): Setup {
  const id = ctx.path.intent!;
  const si = ctx.store.t.setup_intents.get(id);
  if (!si) throw resourceMissing("setup_intent", id, "intent");
  return si;
}

function clientView(si: Setup): Partial<Setup> {
  const out: Record<string, unknown> = {};
  for (const k of CLIENT_FIELDS) out[k] = si[k];
  return out as Partial<Setup>;
}

function render(ctx: Ctx, si: Setup): unknown {
  const full = expand(ctx.store, si, readList(ctx.params, "expand") ?? []);
  return ctx.credential.kind === "publishable" ? clientView(full) : full;
}

/** Stripe's setup_intent_unexpected_state, carrying the intent as it is. */
function unexpectedState(message: string, si: Setup): StripeApiError {
  return new StripeApiError(
    400,
    {
      type: "invalid_request_error",
      code: "setup_intent_unexpected_state",
      doc_url: docUrl("setup_intent_unexpected_state"),
      message,
      setup_intent: si,
    },
    false,
  );
}

function wrongStatus(action: "confirm" | "cancel", si: Setup, allowed: Status[]): StripeApiError {
  if (action === "confirm" && si.status === "succeeded") {
    return unexpectedState("You cannot confirm this SetupIntent because it has already succeeded after being previously confirmed.", si);
  }
  return unexpectedState(
    `You cannot ${action} this SetupIntent because it has a status of ${si.status}. Only a SetupIntent with one of the following statuses may be ${action === "cancel" ? "canceled" : "confirmed"}: ${allowed.join(", ")}.`,
    si,
  );
}

/** A publishable key may only act on a setup together with its client secret. */
function checkClientSecret(ctx: Ctx, si: Setup): void {
  if (ctx.credential.kind !== "publishable") return;
  const secret = readString(ctx.params, "client_secret");
  if (!secret) throw parameterMissing("client_secret");
  if (secret !== si.client_secret) {
    throw invalidRequest("The client_secret provided does not match the client_secret associated with the SetupIntent.", {
      param: "client_secret",
    });
  }
}

function readCustomer(ctx: Ctx): string | null | undefined {
  const customer = readString(ctx.params, "customer", { unsettable: true });
  if (customer && !ctx.store.t.customers.get(customer)) throw resourceMissing("customer", customer, "customer");
  return customer;
}

/** Cards and the bank debits can be set up; iDEAL (a redirect that sets up a SEPA debit on Stripe) is not built. */
const SETUP_TYPES = ["card", "sepa_debit", "us_bank_account"];

/**
 * `payment_method_types`, or its successor `allowed_payment_method_types` (types the sandbox cannot set up are left
 * out silently, as Stripe leaves out what does not suit); the two exclude each other. Undefined when neither is sent.
 */
function readTypes(params: FormObject): { types: string[]; allowed: string[] | null } | undefined {
  const types = readList(params, "payment_method_types");
  const allowed = readList(params, "allowed_payment_method_types");
  if (types?.length && allowed?.length)
    throw invalidRequest("You may only specify one of these parameters: allowed_payment_method_types, payment_method_types.", {
      param: "allowed_payment_method_types",
    });
  if (allowed?.length) {
    const usable = allowed.filter((t) => SETUP_TYPES.includes(t));
    if (usable.length === 0)
      throw invalidRequest(
        `None of the payment method types in \`allowed_payment_method_types\` can be set up; the Stripe sandbox sets up ${SETUP_TYPES.join(", ")}.`,
        { param: "allowed_payment_method_types" },
      );
    return { types: usable, allowed };
  }
  const unsupported = types?.find((t) => !SETUP_TYPES.includes(t));
  if (unsupported)
    throw invalidRequest(
      `The payment method type "${unsupported}" is not supported on SetupIntents by the Stripe sandbox, which sets up ${SETUP_TYPES.join(", ")}.`,
      { param: "payment_method_types" },
    );
  return types?.length ? { types, allowed: null } : undefined;
}

function pmIdOf(si: Setup): string | null {
  return typeof si.payment_method === "string" ? si.payment_method : (si.payment_method?.id ?? null);
}

function customerIdOf(si: Setup): string | null {
  return typeof si.customer === "string" ? si.customer : (si.customer?.id ?? null);
}

// ---- the status machine ----

/** Set up: the method is attached to the intent's customer (once), then succeeded. */
function succeed(core: Core, si: Setup, pm: Stripe.PaymentMethod): void {
  const before = structuredClone(si);
  attachForLater(core, pm, customerIdOf(si), true);
  si.status = "succeeded";
  si.payment_method = pm.id;
  si.last_setup_error = null;
  si.next_action = null;
  stateOf(core, si.id).pendingPaymentMethod = null;
  core.emit("setup_intent.succeeded", si, changedFields(before, si));
}

/** Back to requires_payment_method with `error` kept as last_setup_error, and setup_intent.setup_failed. */
function fail(core: Core, si: Setup, error: Stripe.SetupIntent.LastSetupError): void {
  const before = structuredClone(si);
  si.last_setup_error = error;
  si.payment_method = null; // as on PaymentIntents, the failed method stays only in last_setup_error
  si.next_action = null;
  si.status = "requires_payment_method";
  stateOf(core, si.id).pendingPaymentMethod = null;
  core.emit("setup_intent.setup_failed", si, changedFields(before, si));
}

/** The card is declined when checked: the 402 to answer (the intent is already updated). */
function decline(core: Core, si: Setup, pm: Stripe.PaymentMethod, d: Decline): StripeErrorBody {
  const error: Stripe.SetupIntent.LastSetupError = {
    type: "card_error",
    code: d.code as Stripe.SetupIntent.LastSetupError.Code,
    decline_code: d.decline_code,
    message: d.message,
    doc_url: docUrl(d.code),
    payment_method: pm,
  };
  if (d.param) error.param = d.param;
  fail(core, si, error);
  return { ...error, type: "card_error", message: d.message, payment_method: pm };
}

function requireAction(core: Core, si: Setup, pm: Stripe.PaymentMethod, useStripeSdk: boolean, returnUrl: string | null): void {
  const before = structuredClone(si);
  si.status = "requires_action";
  si.payment_method = pm.id;
  stateOf(core, si.id).pendingPaymentMethod = pm.id;
  si.next_action = challengeAction(core, si, useStripeSdk, returnUrl);
  core.emit("setup_intent.requires_action", si, changedFields(before, si));
}

/** Confirmation; throws for wrong state, a missing method, a missing return_url or another customer's method. */
function confirm(ctx: Ctx, si: Setup): StripeErrorBody | null {
  const p = ctx.params;
  if (!CONFIRMABLE.includes(si.status)) throw wrongStatus("confirm", si, CONFIRMABLE);
  const useStripeSdk = readBool(p, "use_stripe_sdk") ?? false;
  const returnUrl = readString(p, "return_url") ?? null;
  if (returnUrl && !/^[a-z][a-z0-9+.-]*:\/\//i.test(returnUrl))
    throw invalidRequest("Not a valid URL", { param: "return_url", code: "url_invalid" });
  const acceptance = readAcceptance(ctx);
  const pmId = readString(p, "payment_method");
  const pmData = readObject(p, "payment_method_data");
  const current = pmIdOf(si);
  let pm: Stripe.PaymentMethod | undefined;
  if (pmId) pm = resolvePaymentMethod(ctx.store, pmId);
  else if (pmData) pm = createFromData(ctx.store, pmData, "payment_method_data");
  else if (current) pm = resolvePaymentMethod(ctx.store, current);
  if (!pm) {
    throw unexpectedState(
      "You cannot confirm this SetupIntent because it's missing a payment method. To confirm a setup with a payment method, please specify a payment_method.",
      si,
    );
  }
  // Payment methods attached to other customers cannot be used with this SetupIntent (Stripe's customer field).
  const customerId = customerIdOf(si);
  if (customerId) prepareAttach(ctx, pm.id, customerId, "payment_method");
  checkReturnUrl(si.automatic_payment_methods, false, returnUrl, useStripeSdk);
  if (!si.payment_method_types.includes(pm.type)) {
    throw invalidRequest(
      `The PaymentMethod provided (${pm.type}) is not allowed for this SetupIntent. Please attach a PaymentMethod of one of the following types: ${si.payment_method_types.join(", ")}.`,
      { code: "setup_intent_incompatible_payment_method", param: "payment_method" },
    );
  }
  const behaviour = behaviourOf(ctx.store, pm.id);
  if (behaviour.kind === "debits" && !acceptance && !activeMandate(ctx, pm.id))
    throw invalidRequest(`A mandate is required to set up a ${pm.type} PaymentMethod: pass \`mandate_data[customer_acceptance]\`.`, {
      param: "mandate_data",
    });
  stateOf(ctx, si.id).returnUrl = returnUrl;
  switch (behaviour.kind) {
    case "debits":
      // A debit is set up at once: the mandate is what later payments need (nothing is charged now).
      si.mandate = (acceptance ? recordMandate(ctx, pm, acceptance, null) : activeMandate(ctx, pm.id)!).id;
      succeed(ctx, si, pm);
      return null;
    case "redirects":
      throw invalidRequest(`The Stripe sandbox cannot set up a ${pm.type} PaymentMethod.`, { param: "payment_method" });
    case "succeeds":
      succeed(ctx, si, pm);
      return null;
    case "declines":
      return decline(ctx, si, pm, behaviour.decline);
    case "authenticates":
    case "authenticates_on_session":
    case "authenticates_then_declines":
      // The cardholder is present while a card is set up, so every 3-D Secure card asks here (3155 included).
      requireAction(ctx, si, pm, useStripeSdk, returnUrl);
      return null;
  }
}

/** Answers a confirm: the intent, or the decline as a 402 carrying the intent as this caller may see it. */
function confirmResult(ctx: Ctx, si: Setup, declined: StripeErrorBody | null): HandlerResult {
  if (declined) throw new StripeApiError(402, { ...declined, setup_intent: render(ctx, si) }, false);
  return { body: render(ctx, si) };
}

// ---- the challenge page's outcomes (outside any API request) ----

/**
 * Complete on the 3-D Secure page: the setup succeeds. Nothing is charged, so even the "authenticate then decline
 * for insufficient funds" card sets up.
 */
export function completeSetupAuthentication(core: Core, si: Setup): void {
  const pmId = stateOf(core, si.id).pendingPaymentMethod ?? pmIdOf(si);
  const pm = pmId ? core.store.t.payment_methods.get(pmId) : undefined;
  if (!pm) throw invalidRequest("This SetupIntent has no payment method awaiting authentication.");
  succeed(core, si, pm);
}

/** Fail on the 3-D Secure page: setup_intent_authentication_failure, back to requires_payment_method. */
export function failSetupAuthentication(core: Core, si: Setup): void {
  const pmId = stateOf(core, si.id).pendingPaymentMethod;
  const pm = pmId ? core.store.t.payment_methods.get(pmId) : undefined;
  fail(core, si, {
    type: "invalid_request_error",
    code: "setup_intent_authentication_failure",
    doc_url: docUrl("setup_intent_authentication_failure"),
    message: AUTH_FAILURE_MESSAGE,
    ...(pm ? { payment_method: pm } : {}),
  });
}

// ---- endpoints ----

export function createSetupIntent(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  const p = ctx.params;
  assertKnown(p, CREATE);
  const types = readTypes(p);
  const apmParams = readObject(p, "automatic_payment_methods");
  const apmEnabled = apmParams ? readBool(apmParams, "enabled", "automatic_payment_methods[enabled]") : undefined;
  const allowRedirects = apmParams
    ? readEnum(apmParams, "allow_redirects", ["always", "never"] as const, "automatic_payment_methods[allow_redirects]")
    : undefined;
  if (apmParams && apmEnabled === undefined) throw parameterMissing("automatic_payment_methods[enabled]");
  if (types && apmEnabled) {
    const other = types.allowed ? "allowed_payment_method_types" : "payment_method_types";
    throw invalidRequest(`You may only specify one of these parameters: automatic_payment_methods, ${other}.`, {
      param: "automatic_payment_methods",
    });
  }
  const usage = readEnum(p, "usage", ["off_session", "on_session"] as const) ?? "off_session";
  const confirmNow = readBool(p, "confirm") ?? false;
  for (const k of ["return_url", "use_stripe_sdk", "payment_method_data", "mandate_data"]) {
    if (has(p, k) && !confirmNow) throw invalidRequest(`You can only pass \`${k}\` when \`confirm=true\`.`, { param: k });
  }
  const customer = readCustomer(ctx);
  // As on PaymentIntents, the current API turns on automatic payment methods unless payment_method_types is given.
  const automatic = types ? null : { enabled: apmEnabled ?? true, allow_redirects: allowRedirects ?? "always" };
  const pmId = readString(p, "payment_method");
  if (confirmNow) {
    // Checked before anything is created, as Stripe validates a create-and-confirm as one request.
    checkReturnUrl(automatic, false, readString(p, "return_url") ?? null, readBool(p, "use_stripe_sdk") ?? false);
    if (!pmId && !has(p, "payment_method_data")) {
      throw invalidRequest(
        "You cannot confirm this SetupIntent because it's missing a payment method. To confirm a setup with a payment method, please specify a payment_method.",
        { code: "setup_intent_unexpected_state" },
      );
    }
  }
  const id = newId("seti");
  const si: Setup = {
    id,
    object: "setup_intent",
    allowed_payment_method_types: (types?.allowed ?? null) as Setup["allowed_payment_method_types"],
    application: null,
    automatic_payment_methods: automatic,
    cancellation_reason: null,
    client_secret: clientSecretFor(id),
    created: nowSeconds(),
    customer: customer ?? null,
    customer_account: null,
    description: readString(p, "description", { unsettable: true }) ?? null,
    excluded_payment_method_types: null,
    flow_directions: null,
    last_setup_error: null,
    // No SetupAttempt objects in the sandbox: Stripe may also answer null here.
    latest_attempt: null,
    livemode: false,
    mandate: null,
    metadata: applyMetadata({}, readObject(p, "metadata")),
    next_action: null,
    on_behalf_of: null,
    payment_method: pmId ? resolvePaymentMethod(ctx.store, pmId).id : null,
    payment_method_configuration_details: automatic ? { id: "pmc_sandbox_default", parent: null } : null,
    payment_method_options: { card: { mandate_options: null, network: null, request_three_d_secure: "automatic" } },
    payment_method_types: types?.types ?? ["card"],
    single_use_mandate: null,
    status: pmId ? "requires_confirmation" : "requires_payment_method",
    usage,
  } satisfies Setup;
  ctx.store.t.setup_intents.put(si);
  ctx.emit("setup_intent.created", si);
  if (!confirmNow) return { body: render(ctx, si) };
  // The create already ran; errors from here on are stored under the idempotency key.
  try {
    // The method was resolved above (a test token already became a pm_), so confirm takes it from the intent.
    const { payment_method: _resolved, ...confirmParams } = p;
    const confirmCtx = { ...ctx, params: confirmParams };
    return confirmResult(confirmCtx, si, confirm(confirmCtx, si));
  } catch (e) {
    throw e instanceof StripeApiError ? ranError(e) : e;
  }
}

export function retrieveSetupIntent(ctx: Ctx): HandlerResult {
  assertKnown(ctx.params, { client_secret: "scalar", expand: "list" });
  const si = load(ctx);
  checkClientSecret(ctx, si);
  return { body: render(ctx, si) };
}

export function updateSetupIntent(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  const p = ctx.params;
  assertKnown(p, UPDATABLE);
  const si = load(ctx);
  for (const field of ["customer", "payment_method", "payment_method_types", "allowed_payment_method_types"]) {
    if (has(p, field) && !CONFIRMABLE.includes(si.status)) {
      throw ranError(
        invalidRequest(
          `This SetupIntent's ${field} could not be updated because it has a status of ${si.status}. You may only update the ${field} of a SetupIntent with one of the following statuses: ${CONFIRMABLE.join(", ")}.`,
          { param: field, code: "setup_intent_unexpected_state" },
        ),
      );
    }
  }
  const types = readTypes(p);
  const customer = readCustomer(ctx);
  const description = readString(p, "description", { unsettable: true });
  const pmId = readString(p, "payment_method", { unsettable: true });
  if (types) {
    si.payment_method_types = types.types;
    si.allowed_payment_method_types = types.allowed as Setup["allowed_payment_method_types"];
    si.automatic_payment_methods = null;
    si.payment_method_configuration_details = null;
  }
  if (customer !== undefined) si.customer = customer;
  if (description !== undefined) si.description = description;
  si.metadata = applyMetadata(si.metadata ?? {}, p.metadata as FormObject | "" | undefined);
  if (pmId !== undefined) {
    si.payment_method = pmId ? resolvePaymentMethod(ctx.store, pmId).id : null;
    si.next_action = null;
    stateOf(ctx, si.id).pendingPaymentMethod = null;
    si.status = pmId ? "requires_confirmation" : "requires_payment_method";
  }
  return { body: render(ctx, si) };
}

export function confirmSetupIntent(ctx: Ctx): HandlerResult {
  assertKnown(ctx.params, ctx.credential.kind === "publishable" ? CLIENT_CONFIRM : { ...CONFIRM, client_secret: "scalar" });
  const si = load(ctx);
  checkClientSecret(ctx, si);
  return confirmResult(ctx, si, confirm(ctx, si));
}

export function cancelSetupIntent(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  assertKnown(ctx.params, { cancellation_reason: "scalar", expand: "list" });
  const si = load(ctx);
  const reason = readEnum(ctx.params, "cancellation_reason", ["abandoned", "requested_by_customer", "duplicate"] as const) ?? null;
  if (!CANCELABLE.includes(si.status)) throw wrongStatus("cancel", si, CANCELABLE);
  const before = structuredClone(si);
  si.status = "canceled";
  si.cancellation_reason = reason;
  si.next_action = null;
  stateOf(ctx, si.id).pendingPaymentMethod = null;
  ctx.emit("setup_intent.canceled", si, changedFields(before, si));
  return { body: render(ctx, si) };
}

export function listSetupIntents(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  assertKnown(ctx.params, { ...LIST_PARAMS, customer: "scalar", payment_method: "scalar" });
  const created = createdFilter(ctx.params);
  const customer = readString(ctx.params, "customer");
  const pm = readString(ctx.params, "payment_method");
  const rows = ctx.store.t.setup_intents
    .newestFirst()
    .filter((si) => created(si.created) && (!customer || customerIdOf(si) === customer) && (!pm || pmIdOf(si) === pm));
  const page = paginate(ctx.params, rows, ctx.url, "setup_intent");
  return { body: { ...page, data: expandList(ctx.store, page.data, readList(ctx.params, "expand") ?? []) } };
}
