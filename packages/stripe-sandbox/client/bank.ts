// Field checks for the bank-debit tabs (SEPA IBAN, US routing and account numbers) and the shared name/email
// fields, DOM-free. Messages follow the Payment Element's English wording; the server checks the same rules again.
import { digitsOnly, type FieldCheck } from "./card";

// IBAN length per country for the SEPA area (ISO 13616 registry). An unknown country is invalid, not incomplete.
const IBAN_LENGTHS: Record<string, number> = {
  AD: 24,
  AT: 20,
  BE: 16,
  BG: 22,
  CH: 21,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  EE: 20,
  ES: 24,
  FI: 18,
  FR: 27,
  GB: 22,
  GI: 23,
  GR: 27,
  HR: 21,
  HU: 28,
  IE: 22,
  IS: 26,
  IT: 27,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MT: 31,
  NL: 18,
  NO: 15,
  PL: 28,
  PT: 25,
  RO: 24,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  VA: 22,
};

/** "de89 3704…" → "DE89370400440532013000": what the API gets (it accepts spaces too, but the frame sends it compact). */
export const compactIban = (value: string): string => value.replace(/\s/g, "").toUpperCase();

/** Groups of four as the element shows it while typing: "DE89 3704 0044 0532 0130 00". */
export function formatIban(value: string): string {
  const compact = compactIban(value)
    .replace(/[^A-Z0-9]/g, "")
    .slice(0, 34);
  return compact.replace(/(.{4})(?=.)/g, "$1 ");
}

/** ISO 7064 mod 97-10: move the first four characters to the end, letters to 10–35, remainder must be 1. */
export function ibanChecksumValid(iban: string): boolean {
  const rearranged = `${iban.slice(4)}${iban.slice(0, 4)}`;
  let remainder = 0;
  for (const char of rearranged) {
    const value = /[A-Z]/.test(char) ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

export function checkIban(value: string): FieldCheck {
  const iban = compactIban(value);
  const incomplete = { code: "incomplete_iban", message: "Your IBAN is incomplete." };
  const invalid = { status: "invalid", code: "invalid_iban", message: "Your IBAN is invalid." } as const;
  if (iban.length === 0) return { status: "empty", ...incomplete };
  if (!/^[A-Z]{0,2}$/.test(iban.slice(0, 2)) || /[^A-Z0-9]/.test(iban)) {
    return { status: "invalid", code: "invalid_iban_start", message: "Your IBAN should start with a two-letter country code." };
  }
  if (iban.length < 2) return { status: "incomplete", ...incomplete };
  const length = IBAN_LENGTHS[iban.slice(0, 2)];
  if (length === undefined)
    return { status: "invalid", code: "invalid_iban_country_code", message: "Your IBAN's country code is not supported." };
  if (iban.length < length) return { status: "incomplete", ...incomplete };
  if (iban.length > length || !/^[A-Z]{2}\d{2}/.test(iban) || !ibanChecksumValid(iban)) return invalid;
  return { status: "complete" };
}

/** ABA routing numbers: nine digits whose weighted sum (3, 7, 1 repeating) is a multiple of ten. */
export function routingNumberValid(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  const weights = [3, 7, 1, 3, 7, 1, 3, 7, 1];
  return weights.reduce((sum, weight, i) => sum + weight * Number(digits[i]), 0) % 10 === 0;
}

export function checkRoutingNumber(value: string): FieldCheck {
  const digits = digitsOnly(value);
  const incomplete = { code: "incomplete_routing_number", message: "Your routing number is incomplete." };
  if (digits.length === 0) return { status: "empty", ...incomplete };
  if (digits.length < 9) return { status: "incomplete", ...incomplete };
  if (!routingNumberValid(digits)) return { status: "invalid", code: "invalid_routing_number", message: "Your routing number is invalid." };
  return { status: "complete" };
}

export function checkAccountNumber(value: string): FieldCheck {
  const digits = digitsOnly(value);
  const incomplete = { code: "incomplete_account_number", message: "Your account number is incomplete." };
  if (digits.length === 0) return { status: "empty", ...incomplete };
  if (digits.length < 4) return { status: "incomplete", ...incomplete };
  if (digits.length > 17) return { status: "invalid", code: "invalid_account_number", message: "Your account number is invalid." };
  return { status: "complete" };
}

export function checkName(value: string): FieldCheck {
  if (value.trim() === "") return { status: "empty", code: "incomplete_name", message: "Your full name is incomplete." };
  return { status: "complete" };
}

export function checkEmail(value: string): FieldCheck {
  const trimmed = value.trim();
  const incomplete = { code: "incomplete_email", message: "Your email address is incomplete." };
  if (trimmed === "") return { status: "empty", ...incomplete };
  // "name@" or "name@shop" may still be being typed; the element only calls it invalid once it cannot become valid.
  if (/^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(trimmed)) return { status: "complete" };
  if (/\s|@.*@/.test(trimmed)) return { status: "invalid", code: "invalid_email", message: "Your email address is invalid." };
  return { status: "incomplete", ...incomplete };
}
