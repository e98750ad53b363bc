// Money is an integer in the currency's minor unit everywhere in the shop; this is the only module that
// knows how many minor units make a major one. No float arithmetic happens on amounts.

/** Currencies without a minor unit (Stripe's zero-decimal list). */
const ZERO_DECIMAL = new Set([
  "BIF",
  "CLP",
  "DJF",
  "GNF",
  "JPY",
  "KMF",
  "KRW",
  "MGA",
  "PYG",
  "RWF",
  "UGX",
  "VND",
  "VUV",
  "XAF",
  "XOF",
  "XPF",
]);
/** Currencies with 1000 minor units to the major one. */
const THREE_DECIMAL = new Set(["BHD", "JOD", "KWD", "OMR", "TND"]);

export type CurrencyExponent = 0 | 2 | 3;

function normalizeCurrency(currency: string): string {
  if (!/^[a-zA-Z]{3}$/.test(currency)) throw new RangeError(`Not an ISO 4217 currency code: "${currency}"`);
  return currency.toUpperCase();
}

/** Number of decimal places of the currency's minor unit. */
export function currencyExponent(currency: string): CurrencyExponent {
  const code = normalizeCurrency(currency);
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

/** Throws unless the amount is an integer that doubles represent exactly. */
export function assertMinorUnits(amountMinor: number): number {
  if (!Number.isSafeInteger(amountMinor)) {
    throw new RangeError(`Amount must be a safe integer in minor units, got ${amountMinor}`);
  }
  return amountMinor;
}

/** unit × quantity, refusing results that would lose precision. */
export function multiply(unitMinor: number, quantity: number): number {
  assertMinorUnits(unitMinor);
  if (!Number.isSafeInteger(quantity)) throw new RangeError(`Quantity must be a safe integer, got ${quantity}`);
  const product = unitMinor * quantity;
  if (!Number.isSafeInteger(product)) throw new RangeError(`Amount overflow: ${unitMinor} × ${quantity}`);
  return product;
}

/** Sum of amounts in minor units, refusing results that would lose precision. */
export function sum(...amountsMinor: number[]): number {
  let total = 0;
  for (const amount of amountsMinor) {
    total += assertMinorUnits(amount);
    if (!Number.isSafeInteger(total)) throw new RangeError("Amount overflow while summing");
  }
  return total;
}

/** Exact decimal string in major units ("12.34", "1500", "1.250"), as JSON-LD and Intl want it. */
export function toDecimalString(amountMinor: number, currency: string): string {
  assertMinorUnits(amountMinor);
  const exponent = currencyExponent(currency);
  const sign = amountMinor < 0 ? "-" : "";
  const digits = String(Math.abs(amountMinor));
  if (exponent === 0) return sign + digits;
  const padded = digits.padStart(exponent + 1, "0");
  return `${sign}${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** Localised price, e.g. formatMoney(1999, "usd") → "$19.99", formatMoney(1500, "jpy") → "¥1,500". */
export function formatMoney(amountMinor: number, currency: string, locale = "en-US"): string {
  const code = normalizeCurrency(currency);
  const exponent = currencyExponent(code);
  const key = `${locale}|${code}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, {
      style: "currency",
      currency: code,
      // Our exponent table is the authority, not the runtime's CLDR data.
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    });
    formatters.set(key, formatter);
  }
  // A decimal string is formatted exactly (Intl.NumberFormat v3), so no division happens in floating point.
  return formatter.format(toDecimalString(amountMinor, code) as Intl.StringNumericLiteral);
}

/**
 * Parses an amount typed in major units ("12.5", "12.50", "1,250") into minor units, by string, with no
 * float arithmetic. Returns null for anything that is not a non-negative amount with at most the
 * currency's decimals.
 */
export function parseMajorUnits(text: string, currency: string): number | null {
  const exponent = currencyExponent(currency);
  const cleaned = text
    .trim()
    .replace(/^[$€£¥]\s*/, "")
    .replaceAll(",", "");
  const match = /^(\d+)(?:\.(\d*))?$/.exec(cleaned);
  if (!match) return null;
  const [, whole = "", fraction = ""] = match;
  if (fraction.length > exponent) return null;
  const minor = Number(whole + fraction.padEnd(exponent, "0"));
  return Number.isSafeInteger(minor) ? minor : null;
}
