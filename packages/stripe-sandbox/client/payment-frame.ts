// The card-entry frame of the Payment Element stand-in, served from the sandbox origin at /elements/payment-frame.html.
// It alone sees the card number: it validates the fields, creates the PaymentMethod against the sandbox itself,
// and tells the parent page only events, sizes and the resulting PaymentMethod's public view.
import type { Appearance, StripeError } from "@stripe/stripe-js";
import { apiPost } from "./api";
import { cssVariables, resolveAppearance } from "./appearance";
import {
  checkCardNumber,
  checkCvc,
  checkExpiry,
  cvcLengthFor,
  digitsOnly,
  formatCardNumber,
  formatExpiry,
  parseExpiry,
  type FieldCheck,
} from "./card";
import { COUNTRIES, checkPostalCode, postalRule } from "./postal";
import {
  CHANNEL,
  isEnvelope,
  type BillingDetails,
  type Envelope,
  type FrameToParent,
  type ParentToFrame,
  type PublicPaymentMethod,
} from "./protocol";

const params = new URLSearchParams(location.search);
const publishableKey = params.get("key") ?? "";
const parentOrigin = params.get("parentOrigin") ?? "";
const frameId = params.get("frameId") ?? "";

function post(message: FrameToParent): void {
  // Target the shop's origin only, so no other page that frames us can read events.
  window.parent.postMessage({ ...message, channel: CHANNEL, frameId } satisfies Envelope<FrameToParent>, parentOrigin);
}

const byId = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`payment-frame.html is missing #${id}`);
  return element as T;
};

const number = byId<HTMLInputElement>("number");
const expiry = byId<HTMLInputElement>("expiry");
const cvc = byId<HTMLInputElement>("cvc");
const country = byId<HTMLSelectElement>("country");
const postalCode = byId<HTMLInputElement>("postalCode");
const postalField = byId<HTMLDivElement>("postal-field");
const postalLabel = byId<HTMLLabelElement>("postal-label");

type FieldName = "number" | "expiry" | "cvc" | "postalCode";
const inputs: Record<FieldName, HTMLInputElement> = { number, expiry, cvc, postalCode };

const checks: Record<FieldName, () => FieldCheck> = {
  number: () => checkCardNumber(number.value),
  expiry: () => checkExpiry(expiry.value),
  cvc: () => checkCvc(cvc.value, number.value),
  postalCode: () => checkPostalCode(postalCode.value, country.value),
};

function applyAppearance(appearance: Appearance | undefined): void {
  for (const [name, value] of cssVariables(resolveAppearance(appearance))) document.documentElement.style.setProperty(name, value);
}

function parseAppearance(raw: string | null): Appearance | undefined {
  try {
    return raw ? (JSON.parse(raw) as Appearance) : undefined;
  } catch {
    return undefined;
  }
}

function showError(field: FieldName, message: string | null): void {
  inputs[field].setAttribute("aria-invalid", message ? "true" : "false");
  byId(`${field}-error`).textContent = message ?? "";
}

/** Like the real element: an invalid value shows at once, an incomplete one only after the shopper leaves the field. */
function refreshError(field: FieldName, leaving: boolean): void {
  const check = checks[field]();
  if (check.status === "invalid" || (leaving && check.status === "incomplete")) showError(field, check.message);
  else if (check.status === "complete" || check.status === "empty") showError(field, null);
}

const activeFields = (): FieldName[] =>
  postalRule(country.value) ? ["number", "expiry", "cvc", "postalCode"] : ["number", "expiry", "cvc"];

function reportChange(): void {
  const fields = activeFields();
  post({
    type: "change",
    empty: fields.every((field) => checks[field]().status === "empty"),
    complete: fields.every((field) => checks[field]().status === "complete"),
  });
}

/** elements.submit(): every field shows its error; the first one goes back as Stripe.js's validation_error. */
function validateAll(): StripeError | null {
  let first: StripeError | null = null;
  for (const field of activeFields()) {
    const check = checks[field]();
    showError(field, check.status === "complete" ? null : check.message);
    if (check.status !== "complete" && !first) first = { type: "validation_error", code: check.code, message: check.message, param: field };
  }
  if (first?.param) inputs[first.param as FieldName].focus();
  return first;
}

function setPostalForCountry(): void {
  const rule = postalRule(country.value);
  postalField.hidden = !rule;
  if (rule) {
    postalLabel.textContent = rule.label;
    postalCode.placeholder = rule.placeholder;
  }
  showError("postalCode", null);
}

function onFormatted(input: HTMLInputElement, format: (value: string) => string): void {
  input.addEventListener("input", () => {
    input.value = format(input.value);
  });
}

onFormatted(number, formatCardNumber);
onFormatted(expiry, formatExpiry);
onFormatted(cvc, (value) => digitsOnly(value).slice(0, cvcLengthFor(number.value)));

// The real element moves focus on once a field is complete: number → expiry → security code.
const nextField: Partial<Record<FieldName, HTMLInputElement>> = { number: expiry, expiry: cvc };

for (const field of Object.keys(inputs) as FieldName[]) {
  const input = inputs[field];
  input.addEventListener("input", () => {
    refreshError(field, false);
    if (field === "number") refreshError("cvc", false);
    if (checks[field]().status === "complete" && input.selectionStart === input.value.length) nextField[field]?.focus();
    reportChange();
  });
  input.addEventListener("blur", () => refreshError(field, true));
}

country.addEventListener("change", () => {
  setPostalForCountry();
  reportChange();
});

// focus/blur events of the element fire when focus enters or leaves the frame as a whole.
window.addEventListener("focus", () => post({ type: "focus" }));
window.addEventListener("blur", () => post({ type: "blur" }));
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") post({ type: "escape" });
});

async function createPaymentMethod(
  billingDetails: BillingDetails | undefined,
): Promise<{ paymentMethod: PublicPaymentMethod | null; error: StripeError | null }> {
  const invalid = validateAll();
  if (invalid) return { paymentMethod: null, error: invalid };
  const { month, year } = parseExpiry(expiry.value);
  // Fields stay read-only while the request runs, as the real element locks itself during confirmation.
  const locked = Object.values(inputs);
  locked.forEach((input) => (input.readOnly = true));
  const result = await apiPost<PublicPaymentMethod>(location.origin, "/v1/payment_methods", publishableKey, {
    type: "card",
    card: { number: digitsOnly(number.value), exp_month: month, exp_year: year, cvc: digitsOnly(cvc.value) },
    billing_details: {
      name: billingDetails?.name,
      email: billingDetails?.email,
      phone: billingDetails?.phone,
      // The element's own country/postal fields win over the merchant's, as in Stripe.js.
      address: {
        ...billingDetails?.address,
        country: country.value,
        postal_code: postalRule(country.value) ? postalCode.value.trim() : undefined,
      },
    },
  });
  locked.forEach((input) => (input.readOnly = false));
  if (!result.ok) {
    // A card_error from the API about a field (incorrect_number, invalid_expiry_year…) shows under that field too.
    const field = ({ number: "number", exp_month: "expiry", exp_year: "expiry", cvc: "cvc" } as const)[result.error.param ?? ""];
    if (field) showError(field, result.error.message ?? null);
    return { paymentMethod: null, error: result.error };
  }
  return { paymentMethod: result.body, error: null };
}

async function handle(message: ParentToFrame): Promise<void> {
  switch (message.type) {
    case "appearance":
      applyAppearance(message.appearance);
      return;
    case "focus":
      number.focus();
      return;
    case "blur":
      (document.activeElement as HTMLElement | null)?.blur();
      return;
    case "clear":
      for (const field of Object.keys(inputs) as FieldName[]) {
        inputs[field].value = "";
        showError(field, null);
      }
      reportChange();
      return;
    case "validate":
      post({ type: "validated", requestId: message.requestId, error: validateAll() });
      return;
    case "create-payment-method":
      post({ type: "payment-method", requestId: message.requestId, ...(await createPaymentMethod(message.billingDetails)) });
      return;
  }
}

window.addEventListener("message", (event: MessageEvent<unknown>) => {
  // Only the page that created us (its origin, its window) may drive the frame.
  if (event.origin !== parentOrigin || event.source !== window.parent || !isEnvelope(event.data, frameId)) return;
  void handle(event.data as Envelope<ParentToFrame>);
});

for (const { code, name } of COUNTRIES) country.add(new Option(name, code, code === "US", code === "US"));
setPostalForCountry();
applyAppearance(parseAppearance(params.get("appearance")));

new ResizeObserver(() => post({ type: "resize", height: Math.ceil(document.documentElement.getBoundingClientRect().height) })).observe(
  document.body,
);

if (parentOrigin) post({ type: "ready" });
