// Card-field formatting and validation of the Payment Element, DOM-free so it runs under vitest.
// Messages are the ones Stripe's Payment Element shows (English locale).

export type CardBrand = "visa" | "mastercard" | "amex" | "discover" | "diners" | "jcb" | "unionpay" | "unknown";

interface BrandRule {
  brand: CardBrand;
  prefix: RegExp;
  lengths: number[];
  gaps: number[]; // digit positions after which the element inserts a space
  cvcLength: number;
}

const BRAND_RULES: BrandRule[] = [
  { brand: "amex", prefix: /^3[47]/, lengths: [15], gaps: [4, 10], cvcLength: 4 },
  { brand: "diners", prefix: /^3(0[0-5]|[689])/, lengths: [14, 16], gaps: [4, 10], cvcLength: 3 },
  { brand: "jcb", prefix: /^35/, lengths: [16], gaps: [4, 8, 12], cvcLength: 3 },
  { brand: "visa", prefix: /^4/, lengths: [16], gaps: [4, 8, 12], cvcLength: 3 },
  { brand: "mastercard", prefix: /^(5[1-5]|2[2-7])/, lengths: [16], gaps: [4, 8, 12], cvcLength: 3 },
  { brand: "discover", prefix: /^6(011|5|4[4-9])/, lengths: [16, 19], gaps: [4, 8, 12], cvcLength: 3 },
  { brand: "unionpay", prefix: /^62/, lengths: [16, 17, 18, 19], gaps: [4, 8, 12], cvcLength: 3 },
];

const UNKNOWN_RULE: BrandRule = { brand: "unknown", prefix: /^/, lengths: [16], gaps: [4, 8, 12], cvcLength: 3 };

export const digitsOnly = (value: string): string => value.replace(/\D/g, "");

const ruleFor = (digits: string): BrandRule => BRAND_RULES.find((rule) => rule.prefix.test(digits)) ?? UNKNOWN_RULE;

export const cardBrand = (number: string): CardBrand => ruleFor(digitsOnly(number)).brand;

export const cvcLengthFor = (number: string): number => ruleFor(digitsOnly(number)).cvcLength;

const maxLength = (rule: BrandRule): number => Math.max(...rule.lengths);

/** "4242424242424242" → "4242 4242 4242 4242"; Amex groups 4-6-5 like the real element. */
export function formatCardNumber(input: string): string {
  const rule = ruleFor(digitsOnly(input));
  const digits = digitsOnly(input).slice(0, maxLength(rule));
  let out = "";
  for (let i = 0; i < digits.length; i++) {
    if (rule.gaps.includes(i)) out += " ";
    out += digits[i];
  }
  return out;
}

/** Formats as the element does while typing: "4" → "04 / ", "1225" → "12 / 25". */
export function formatExpiry(input: string): string {
  let digits = digitsOnly(input);
  // A first digit 2–9 can only be a month 02–09, so the element pads it at once.
  if (/^[2-9]/.test(digits)) digits = `0${digits}`;
  // "1" followed by 3–9 cannot be month 13–19: read it as 01 and move the digit to the year.
  if (/^1[3-9]/.test(digits)) digits = `01${digits.slice(1)}`;
  digits = digits.slice(0, 4);
  if (digits.length < 2) return digits;
  return `${digits.slice(0, 2)} / ${digits.slice(2)}`;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** A field's state: `error` is the message the element shows, `code` the Stripe.js validation_error code. */
export type FieldCheck =
  | { status: "empty"; code: string; message: string }
  | { status: "incomplete"; code: string; message: string }
  | { status: "invalid"; code: string; message: string }
  | { status: "complete" };

export function checkCardNumber(value: string): FieldCheck {
  const digits = digitsOnly(value);
  const rule = ruleFor(digits);
  const incomplete = { code: "incomplete_number", message: "Your card number is incomplete." };
  if (digits.length === 0) return { status: "empty", ...incomplete };
  // Shorter valid lengths (Visa 13, UnionPay 17…) count as complete once the digits pass Luhn.
  if (rule.lengths.includes(digits.length) && luhnValid(digits)) return { status: "complete" };
  // The element flags a bad checksum as soon as no more digits can be typed.
  if (digits.length >= maxLength(rule)) {
    return { status: "invalid", code: "invalid_number", message: "Your card number is invalid." };
  }
  return { status: "incomplete", ...incomplete };
}

export function checkExpiry(value: string, now: Date = new Date()): FieldCheck {
  const digits = digitsOnly(value);
  const incomplete = { code: "incomplete_expiry", message: "Your card's expiration date is incomplete." };
  if (digits.length === 0) return { status: "empty", ...incomplete };
  if (digits.length < 4) return { status: "incomplete", ...incomplete };
  const month = Number(digits.slice(0, 2));
  const year = 2000 + Number(digits.slice(2, 4));
  if (month < 1 || month > 12) {
    return { status: "invalid", code: "invalid_expiry_month", message: "Your card's expiration month is invalid." };
  }
  const thisYear = now.getFullYear();
  if (year < thisYear) {
    return { status: "invalid", code: "invalid_expiry_year_past", message: "Your card's expiration year is in the past." };
  }
  if (year === thisYear && month < now.getMonth() + 1) {
    return { status: "invalid", code: "invalid_expiry_month_past", message: "Your card's expiration date is in the past." };
  }
  // Stripe rejects expiry years more than 50 years ahead.
  if (year > thisYear + 50) {
    return { status: "invalid", code: "invalid_expiry_year", message: "Your card's expiration year is invalid." };
  }
  return { status: "complete" };
}

export function checkCvc(value: string, cardNumber: string): FieldCheck {
  const digits = digitsOnly(value);
  const incomplete = { code: "incomplete_cvc", message: "Your card's security code is incomplete." };
  if (digits.length === 0) return { status: "empty", ...incomplete };
  if (digits.length < cvcLengthFor(cardNumber)) return { status: "incomplete", ...incomplete };
  return { status: "complete" };
}

/** "12 / 34" → {month: 12, year: 2034} for the payment_methods request. */
export function parseExpiry(value: string): { month: number; year: number } {
  const digits = digitsOnly(value);
  return { month: Number(digits.slice(0, 2)), year: 2000 + Number(digits.slice(2, 4)) };
}
