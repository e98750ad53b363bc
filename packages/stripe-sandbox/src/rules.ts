// Stripe's value rules: currencies and amounts, metadata limits, statement descriptors
// (docs/stripe-behaviour.md "Validation and errors").
import Stripe from "stripe";
import { invalidRequest } from "./errors.js";
import type { FormObject } from "./form.js";

/** Currencies Stripe accepts for card payments (presentment). */
export const CURRENCIES = new Set(
  (
    "usd aed afn all amd ang aoa ars aud awg azn bam bbd bdt bgn bhd bif bmd bnd bob brl bsd bwp byn bzd cad cdf chf clp cny cop crc cve czk " +
    "djf dkk dop dzd egp etb eur fjd fkp gbp gel gip gmd gnf gtq gyd hkd hnl htg huf idr ils inr isk jmd jod jpy kes kgs khr kmf krw kwd kyd kzt " +
    "lak lbp lkr lrd lsl mad mdl mga mkd mmk mnt mop mur mvr mwk mxn myr mzn nad ngn nio nok npr nzd omr pab pen pgk php pkr pln pyg qar ron rsd " +
    "rub rwf sar sbd scr sek sgd shp sle sos srd std szl thb tjs tnd top try ttd twd tzs uah ugx uyu uzs vnd vuv wst xaf xcd xof xpf yer zar zmw"
  ).split(" "),
);

export const ZERO_DECIMAL = new Set([
  "bif",
  "clp",
  "djf",
  "gnf",
  "jpy",
  "kmf",
  "krw",
  "mga",
  "pyg",
  "rwf",
  "ugx",
  "vnd",
  "vuv",
  "xaf",
  "xof",
  "xpf",
]);
export const THREE_DECIMAL = new Set(["bhd", "jod", "kwd", "omr", "tnd"]);

/** Minimum charge amounts in minor units (Stripe's "minimum and maximum charge amounts" table). */
const MINIMUMS: Record<string, number> = {
  usd: 50,
  eur: 50,
  cad: 50,
  aud: 50,
  nzd: 50,
  chf: 50,
  sgd: 50,
  brl: 50,
  inr: 50,
  gbp: 30,
  jpy: 50,
  mxn: 1000,
  aed: 200,
  bgn: 100,
  czk: 1500,
  dkk: 250,
  hkd: 400,
  huf: 17500,
  myr: 200,
  nok: 300,
  pln: 200,
  ron: 200,
  sek: 300,
  thb: 1000,
};

/** Stripe's ceiling for a single payment, in minor units. */
export const MAX_AMOUNT = 99_999_999;

function exponent(currency: string): number {
  if (ZERO_DECIMAL.has(currency)) return 0;
  if (THREE_DECIMAL.has(currency)) return 3;
  return 2;
}

/** "$0.50 usd": formatted in major units with the narrow symbol, then the code, as Stripe words it. */
export function formatAmount(minor: number, currency: string): string {
  const exp = exponent(currency);
  const major = minor / 10 ** exp;
  const text = new Intl.NumberFormat("en-US", {
    style: "currency",
    currency: currency.toUpperCase(),
    currencyDisplay: "narrowSymbol",
    minimumFractionDigits: exp,
    maximumFractionDigits: exp,
  }).format(major);
  return `${text} ${currency}`;
}

export function checkCurrency(value: string, param = "currency"): string {
  const currency = value.toLowerCase();
  if (!CURRENCIES.has(currency)) {
    throw invalidRequest(`Invalid currency: ${value}. Stripe currently supports these currencies: ${[...CURRENCIES].join(", ")}`, {
      param,
      code: "parameter_invalid_string",
    });
  }
  return currency;
}

export function checkAmount(amount: number, currency: string, param = "amount"): void {
  if (amount < 1) throw invalidRequest("This value must be greater than or equal to 1.", { param, code: "parameter_invalid_integer" });
  const min = MINIMUMS[currency] ?? 1;
  if (amount < min) {
    throw invalidRequest(`Amount must be at least ${formatAmount(min, currency)}`, { param, code: "amount_too_small" });
  }
  if (amount > MAX_AMOUNT) {
    throw invalidRequest(`Amount must be no more than ${formatAmount(MAX_AMOUNT, currency)}`, { param, code: "amount_too_large" });
  }
  // Three-decimal currencies are charged in multiples of 10 (the last digit must be 0). Message wording unconfirmed.
  if (THREE_DECIMAL.has(currency) && amount % 10 !== 0) {
    throw invalidRequest(`Amounts in ${currency} must be divisible by 10: the last of its three decimals must be 0.`, {
      param,
      code: "parameter_invalid_integer",
    });
  }
}

/**
 * Metadata rules: ≤ 50 keys, key ≤ 40 chars without brackets, value ≤ 500 chars. `metadata[k]=` removes k,
 * `metadata=` clears all, and updates merge into what is there.
 */
export function applyMetadata(current: Stripe.Metadata, input: FormObject | "" | undefined | unknown[]): Stripe.Metadata {
  if (input === undefined) return current;
  if (input === "") return {};
  // `metadata[0]=a` decodes as an array; Stripe keys are strings, so index keys are kept as text.
  const entries = Array.isArray(input) ? input.map((v, i) => [String(i), v] as const) : Object.entries(input);
  const next: Stripe.Metadata = { ...current };
  for (const [key, value] of entries) {
    if (typeof value !== "string")
      throw invalidRequest(`Invalid value for metadata[${key}]: metadata values must be strings.`, { param: `metadata[${key}]` });
    if (key.length > 40) {
      throw invalidRequest(`Metadata keys can have up to 40 characters, but you passed in a key with ${key.length} characters: ${key}`, {
        param: `metadata[${key}]`,
      });
    }
    if (/[[\]]/.test(key)) throw invalidRequest(`Metadata keys cannot contain square brackets: ${key}`, { param: `metadata[${key}]` });
    if (value.length > 500) {
      throw invalidRequest(`Metadata values can have up to 500 characters, but you passed in a value with ${value.length} characters.`, {
        param: `metadata[${key}]`,
      });
    }
    if (value === "") delete next[key];
    else next[key] = value;
  }
  const count = Object.keys(next).length;
  if (count > 50) throw invalidRequest(`Metadata can have up to 50 keys, but you passed in ${count} keys.`, { param: "metadata" });
  return next;
}

/** The sandbox account's statement descriptor prefix; a suffix is shown as `PREFIX* SUFFIX`. */
export const DESCRIPTOR_PREFIX = "SANDBOX";

const FORBIDDEN = /[<>\\'"*]/;

function checkDescriptorText(value: string, param: string): void {
  if (FORBIDDEN.test(value)) {
    throw invalidRequest(`The ${param} cannot contain any of the special characters < > \\ ' " *.`, { param });
  }
  if (!/^[\x20-\x7e]*$/.test(value)) throw invalidRequest(`The ${param} may only contain Latin characters.`, { param });
  if (!/[A-Za-z]/.test(value)) throw invalidRequest(`The ${param} must contain at least one letter.`, { param });
}

/** statement_descriptor: 5–22 Latin characters, at least one letter, none of < > \ ' " *. */
export function checkStatementDescriptor(value: string): void {
  const param = "statement_descriptor";
  checkDescriptorText(value, param);
  if (value.length < 5) throw invalidRequest("The statement descriptor must be at least 5 characters long.", { param });
  if (value.length > 22) throw invalidRequest("The statement descriptor must be at most 22 characters long.", { param });
}

/** statement_descriptor_suffix: appended as `PREFIX* SUFFIX`, and the whole must fit in 22 characters. */
export function checkStatementDescriptorSuffix(value: string): void {
  const param = "statement_descriptor_suffix";
  checkDescriptorText(value, param);
  const room = 22 - DESCRIPTOR_PREFIX.length - 2;
  if (value.length > room) {
    throw invalidRequest(
      `The statement_descriptor_suffix can be at most ${room} characters: together with your prefix "${DESCRIPTOR_PREFIX}* " the statement descriptor must be at most 22 characters long.`,
      { param },
    );
  }
}
