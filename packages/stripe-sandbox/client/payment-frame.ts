// The payment frame of the Payment Element stand-in, served from the sandbox origin at /elements/payment-frame.html.
// One tab per payment method type the intent offers (card, SEPA Debit, US bank account, iDEAL). It alone sees the
// card and account numbers: it validates the fields, creates the PaymentMethod against the sandbox itself, and tells
// the parent page only events, sizes and the resulting PaymentMethod's public view.
import type { Appearance, StripeError } from "@stripe/stripe-js";
import { apiPost, type FormObject } from "./api";
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
import { checkAccountNumber, checkEmail, checkIban, checkName, checkRoutingNumber, compactIban, formatIban } from "./bank";
import { METHOD_TYPES, parseMethodTypes, type MethodType } from "./methods";
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
const methodTypes = parseMethodTypes(params.get("paymentMethodTypes"));
let selected: MethodType = methodTypes[0] ?? "card";

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
const sepaName = byId<HTMLInputElement>("sepaName");
const sepaEmail = byId<HTMLInputElement>("sepaEmail");
const iban = byId<HTMLInputElement>("iban");
const usName = byId<HTMLInputElement>("usName");
const usEmail = byId<HTMLInputElement>("usEmail");
const routingNumber = byId<HTMLInputElement>("routingNumber");
const accountNumber = byId<HTMLInputElement>("accountNumber");
const accountType = byId<HTMLSelectElement>("accountType");
const idealBank = byId<HTMLSelectElement>("idealBank");

// Field names are the inputs' ids (and `${name}-error` their error line).
type FieldName =
  "number" | "expiry" | "cvc" | "postalCode" | "sepaName" | "sepaEmail" | "iban" | "usName" | "usEmail" | "routingNumber" | "accountNumber";
const inputs: Record<FieldName, HTMLInputElement> = {
  number,
  expiry,
  cvc,
  postalCode,
  sepaName,
  sepaEmail,
  iban,
  usName,
  usEmail,
  routingNumber,
  accountNumber,
};

const checks: Record<FieldName, () => FieldCheck> = {
  number: () => checkCardNumber(number.value),
  expiry: () => checkExpiry(expiry.value),
  cvc: () => checkCvc(cvc.value, number.value),
  postalCode: () => checkPostalCode(postalCode.value, country.value),
  sepaName: () => checkName(sepaName.value),
  sepaEmail: () => checkEmail(sepaEmail.value),
  iban: () => checkIban(iban.value),
  usName: () => checkName(usName.value),
  usEmail: () => checkEmail(usEmail.value),
  routingNumber: () => checkRoutingNumber(routingNumber.value),
  accountNumber: () => checkAccountNumber(accountNumber.value),
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

/** The selected tab's fields; iDEAL has none that must be filled (its bank is optional). */
function activeFields(): FieldName[] {
  switch (selected) {
    case "card":
      return postalRule(country.value) ? ["number", "expiry", "cvc", "postalCode"] : ["number", "expiry", "cvc"];
    case "sepa_debit":
      return ["sepaName", "sepaEmail", "iban"];
    case "us_bank_account":
      return ["usName", "usEmail", "routingNumber", "accountNumber"];
    case "ideal":
      return [];
  }
}

function reportChange(): void {
  const fields = activeFields();
  post({
    type: "change",
    paymentMethodType: selected,
    empty: selected === "ideal" ? idealBank.value === "" : fields.every((field) => checks[field]().status === "empty"),
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
onFormatted(iban, formatIban);
onFormatted(routingNumber, (value) => digitsOnly(value).slice(0, 9));
onFormatted(accountNumber, (value) => digitsOnly(value).slice(0, 17));

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
idealBank.addEventListener("change", reportChange);

const tabFor = (type: MethodType) => byId<HTMLButtonElement>(`${type}-tab`);
const panelFor = (type: MethodType) => byId<HTMLFormElement>(`${type}-panel`);

/**
 * Shows one tab's panel; the tab list keeps one tab stop (the selected tab), as ARIA's tabs pattern asks. The first
 * tab is drawn without a change event, as the real element fires none before the shopper does something.
 */
function selectTab(type: MethodType, report = true): void {
  selected = type;
  for (const other of METHOD_TYPES) {
    tabFor(other).setAttribute("aria-selected", String(other === type));
    tabFor(other).tabIndex = other === type ? 0 : -1;
    panelFor(other).hidden = other !== type;
  }
  if (report) reportChange();
}

for (const type of METHOD_TYPES) {
  tabFor(type).hidden = !methodTypes.includes(type);
  tabFor(type).addEventListener("click", () => selectTab(type));
}

// Arrow keys move between the offered tabs and select them (automatic activation), Home/End jump to the ends.
const tabKeys: Record<string, (at: number) => number> = {
  ArrowRight: (at) => (at + 1) % methodTypes.length,
  ArrowLeft: (at) => (at - 1 + methodTypes.length) % methodTypes.length,
  Home: () => 0,
  End: () => methodTypes.length - 1,
};
byId("tabs").addEventListener("keydown", (event) => {
  const move = tabKeys[event.key];
  const target = move ? methodTypes[move(methodTypes.indexOf(selected))] : undefined;
  if (!target) return;
  event.preventDefault();
  selectTab(target);
  tabFor(target).focus();
});

// focus/blur events of the element fire when focus enters or leaves the frame as a whole.
window.addEventListener("focus", () => post({ type: "focus" }));
window.addEventListener("blur", () => post({ type: "blur" }));
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") post({ type: "escape" });
});

/** The merchant's confirmParams.payment_method_data.billing_details, as form fields. */
function merchantBilling(billingDetails: BillingDetails | undefined): FormObject {
  return {
    name: billingDetails?.name,
    email: billingDetails?.email,
    phone: billingDetails?.phone,
    address: billingDetails?.address ? { ...billingDetails.address } : undefined,
  };
}

/** The POST /v1/payment_methods body for the selected tab; the element's own fields win over the merchant's, as in Stripe.js. */
function paymentMethodBody(billingDetails: BillingDetails | undefined): FormObject {
  const billing = merchantBilling(billingDetails);
  switch (selected) {
    case "card": {
      const { month, year } = parseExpiry(expiry.value);
      return {
        type: "card",
        card: { number: digitsOnly(number.value), exp_month: month, exp_year: year, cvc: digitsOnly(cvc.value) },
        billing_details: {
          ...billing,
          address: {
            ...billingDetails?.address,
            country: country.value,
            postal_code: postalRule(country.value) ? postalCode.value.trim() : undefined,
          },
        },
      };
    }
    case "sepa_debit":
      return {
        type: "sepa_debit",
        sepa_debit: { iban: compactIban(iban.value) },
        billing_details: { ...billing, name: sepaName.value.trim(), email: sepaEmail.value.trim() },
      };
    case "us_bank_account":
      return {
        type: "us_bank_account",
        us_bank_account: {
          routing_number: digitsOnly(routingNumber.value),
          account_number: digitsOnly(accountNumber.value),
          account_type: accountType.value,
          account_holder_type: "individual",
        },
        billing_details: { ...billing, name: usName.value.trim(), email: usEmail.value.trim() },
      };
    case "ideal":
      return { type: "ideal", ideal: { bank: idealBank.value || undefined }, billing_details: billing };
  }
}

/** Which field an API error's param is about, so its message shows under that field too. */
function fieldForParam(param: string | undefined): FieldName | undefined {
  const onBank = selected === "sepa_debit" ? { name: "sepaName", email: "sepaEmail" } : { name: "usName", email: "usEmail" };
  const fields: Record<string, FieldName> = {
    number: "number",
    exp_month: "expiry",
    exp_year: "expiry",
    cvc: "cvc",
    "sepa_debit[iban]": "iban",
    "us_bank_account[routing_number]": "routingNumber",
    "us_bank_account[account_number]": "accountNumber",
    ...(selected === "card" || selected === "ideal"
      ? {}
      : { "billing_details[name]": onBank.name as FieldName, "billing_details[email]": onBank.email as FieldName }),
  };
  return param === undefined ? undefined : fields[param];
}

async function createPaymentMethod(
  billingDetails: BillingDetails | undefined,
): Promise<{ paymentMethod: PublicPaymentMethod | null; error: StripeError | null }> {
  const invalid = validateAll();
  if (invalid) return { paymentMethod: null, error: invalid };
  // Fields stay read-only while the request runs, as the real element locks itself during confirmation.
  const locked = Object.values(inputs);
  locked.forEach((input) => (input.readOnly = true));
  const result = await apiPost<PublicPaymentMethod>(
    location.origin,
    "/v1/payment_methods",
    publishableKey,
    paymentMethodBody(billingDetails),
  );
  locked.forEach((input) => (input.readOnly = false));
  if (!result.ok) {
    // An API error about a field (incorrect_number, invalid_bank_account_iban…) shows under that field too.
    const field = fieldForParam(result.error.param);
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
    case "focus": {
      // The selected tab's first field, or the tab itself when it has none (iDEAL).
      const first = activeFields()[0];
      (first ? inputs[first] : tabFor(selected)).focus();
      return;
    }
    case "blur":
      (document.activeElement as HTMLElement | null)?.blur();
      return;
    case "clear":
      for (const field of Object.keys(inputs) as FieldName[]) {
        inputs[field].value = "";
        showError(field, null);
      }
      idealBank.value = "";
      accountType.value = "checking";
      reportChange();
      return;
    case "validate":
      post({ type: "validated", requestId: message.requestId, error: validateAll(), paymentMethodType: selected });
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
selectTab(selected, false);
// business.name from elements.create('payment', {business}) names the merchant in the mandate texts.
const businessName = params.get("businessName");
if (businessName) document.querySelectorAll(".business-name").forEach((span) => (span.textContent = businessName));
applyAppearance(parseAppearance(params.get("appearance")));

new ResizeObserver(() => post({ type: "resize", height: Math.ceil(document.documentElement.getBoundingClientRect().height) })).observe(
  document.body,
);

if (parentOrigin) post({ type: "ready" });
