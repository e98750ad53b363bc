// Country list and postal-code rules of the Payment Element's billing fields, DOM-free.
import type { FieldCheck } from "./card";

export const COUNTRIES: ReadonlyArray<{ code: string; name: string }> = [
  { code: "AR", name: "Argentina" },
  { code: "AU", name: "Australia" },
  { code: "AT", name: "Austria" },
  { code: "BE", name: "Belgium" },
  { code: "BR", name: "Brazil" },
  { code: "CA", name: "Canada" },
  { code: "CN", name: "China" },
  { code: "DK", name: "Denmark" },
  { code: "FI", name: "Finland" },
  { code: "FR", name: "France" },
  { code: "DE", name: "Germany" },
  { code: "HK", name: "Hong Kong" },
  { code: "IN", name: "India" },
  { code: "IE", name: "Ireland" },
  { code: "IT", name: "Italy" },
  { code: "JP", name: "Japan" },
  { code: "MX", name: "Mexico" },
  { code: "NL", name: "Netherlands" },
  { code: "NZ", name: "New Zealand" },
  { code: "NO", name: "Norway" },
  { code: "PL", name: "Poland" },
  { code: "PT", name: "Portugal" },
  { code: "SG", name: "Singapore" },
  { code: "ES", name: "Spain" },
  { code: "SE", name: "Sweden" },
  { code: "CH", name: "Switzerland" },
  { code: "AE", name: "United Arab Emirates" },
  { code: "GB", name: "United Kingdom" },
  { code: "US", name: "United States" },
];

interface PostalRule {
  label: string;
  placeholder: string;
  pattern: RegExp;
  minLength: number;
  noun: string; // how the error message names the field
}

// The card form asks for a postal code only in these countries (as the real element does for US, GB, CA).
const POSTAL_RULES: Record<string, PostalRule> = {
  US: { label: "ZIP", placeholder: "12345", pattern: /^\d{5}(-?\d{4})?$/, minLength: 5, noun: "ZIP" },
  GB: { label: "Postal code", placeholder: "WS11 1DB", pattern: /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i, minLength: 5, noun: "postal code" },
  CA: { label: "Postal code", placeholder: "M5T 1T4", pattern: /^[A-Z]\d[A-Z] ?\d[A-Z]\d$/i, minLength: 6, noun: "postal code" },
};

export const postalRule = (country: string): PostalRule | undefined => POSTAL_RULES[country];

export function checkPostalCode(value: string, country: string): FieldCheck {
  const rule = postalRule(country);
  if (!rule) return { status: "complete" };
  const trimmed = value.trim();
  const incomplete = { code: "incomplete_zip", message: `Your ${rule.noun} is incomplete.` };
  if (trimmed.length === 0) return { status: "empty", ...incomplete };
  if (rule.pattern.test(trimmed)) return { status: "complete" };
  if (trimmed.replace(/[\s-]/g, "").length < rule.minLength) return { status: "incomplete", ...incomplete };
  return { status: "invalid", code: "invalid_zip", message: `Your ${rule.noun} is invalid.` };
}
