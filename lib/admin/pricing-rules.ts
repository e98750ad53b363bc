import { z } from "zod";
import type { FieldErrors } from "@/lib/admin/catalog-rules";
import { COUNTRIES, isCountryCode, isUsState } from "@/lib/countries";
import { parseMajorUnits, toDecimalString } from "@/lib/money";

// The pricing admin's validation, pure: the four forms (discount code, shipping zone, shipping rate, tax rate) as
// typed become either the data lib/admin/pricing.ts saves or an error per field, all of them at once, shown next
// to the field. Amounts are typed in major units of the shop's currency and stored in minor units; percentages
// are typed as percent and stored in basis points (1900 = 19%). What needs the database (a code or tax rate that
// exists already, a country in another active zone, products that exist) is checked when saving.

/** Bounds the request itself, well above the field limits below, so an overlong field still gets its own error. */
const text = (max: number) => z.string().max(max, `At most ${max} characters`);
const ids = z.array(text(64)).max(1_000, "At most 1,000 entries");

export type { FieldErrors };
type Parsed<T> = { ok: true; data: T } | { ok: false; fieldErrors: FieldErrors };

const MAX_NAME = 100;
const MAX_POSITION = 10_000;
const MAX_LIMIT = 1_000_000;
/** Far above any real price; keeps sums of amounts well inside safe integers. */
const MAX_AMOUNT = 100_000_000;
/** One tonne: brackets above it are a typo, not a parcel. */
const MAX_GRAMS = 1_000_000;
const BASIS_POINTS_PER_PERCENT = 100;

// ------------------------------------------------------------------------------------------ shared fields

function parseName(typed: string, errors: FieldErrors, what: string): string {
  const name = typed.trim();
  if (!name) errors.name = `Enter the ${what}'s name`;
  else if (name.length > MAX_NAME) errors.name = `At most ${MAX_NAME} characters`;
  return name;
}

function parsePosition(typed: string, errors: FieldErrors): number {
  const position = typed.trim();
  if (!/^\d+$/.test(position)) {
    errors.position = position.startsWith("-") ? "The position cannot be negative" : "Enter a whole number; 0 comes first";
    return 0;
  }
  if (Number(position) > MAX_POSITION) errors.position = "At most 10,000";
  return Number(position);
}

/** An amount in major units, e.g. "14.99", into minor units; `error` set on `key` when it is not one. */
function parseAmount(typed: string, currency: string, errors: FieldErrors, key: string, what = "an amount"): number {
  const minor = parseMajorUnits(typed, currency);
  if (minor !== null && minor <= MAX_AMOUNT) return minor;
  const trimmed = typed.trim();
  if (trimmed === "") errors[key] = `Enter ${what}`;
  else if (trimmed.startsWith("-")) errors[key] = "Amounts cannot be negative";
  else if (minor !== null) errors[key] = "That amount is too large";
  else errors[key] = `Enter an amount in ${currency.toUpperCase()}, e.g. 12.50`;
  return 0;
}

/** Like parseAmount, but blank means "none". */
function optionalAmount(typed: string, currency: string, errors: FieldErrors, key: string): number | null {
  return typed.trim() === "" ? null : parseAmount(typed, currency, errors, key);
}

/**
 * A percentage typed as "19", "7.25" or "5.5" into basis points, by string (no float arithmetic). `decimals` is
 * how many the form accepts; digits past the second must be zeros, because a basis point is the smallest unit
 * stored. Answers the basis points or why not.
 */
export function parsePercent(typed: string, decimals: 2 | 3): { ok: true; basisPoints: number } | { ok: false; error: string } {
  const trimmed = typed.trim().replace(/\s*%$/, "");
  if (trimmed === "") return { ok: false, error: "Enter a percentage, e.g. 10 or 12.5" };
  if (trimmed.startsWith("-")) return { ok: false, error: "The percentage cannot be negative" };
  const match = /^(\d+)(?:\.(\d+))?$/.exec(trimmed);
  if (!match) return { ok: false, error: "Enter a percentage as a number, e.g. 10 or 12.5" };
  const [, whole = "", fraction = ""] = match;
  if (fraction.length > decimals) return { ok: false, error: `At most ${decimals} decimals` };
  // Past the second decimal only zeros are whole basis points: "7.250" is 725, "7.255" would be 725.5.
  if (/[1-9]/.test(fraction.slice(2))) return { ok: false, error: "Use at most 2 decimals that are not zero (0.01% is the smallest step)" };
  const basisPoints = Number(whole) * BASIS_POINTS_PER_PERCENT + Number(fraction.slice(0, 2).padEnd(2, "0"));
  if (basisPoints > 100 * BASIS_POINTS_PER_PERCENT) return { ok: false, error: "At most 100%" };
  return { ok: true, basisPoints };
}

/** A whole number from 1 to 1,000,000, or null when left blank. */
function optionalLimit(typed: string, errors: FieldErrors, key: string): number | null {
  const trimmed = typed.trim().replaceAll(",", "");
  if (trimmed === "") return null;
  if (!/^\d+$/.test(trimmed)) errors[key] = trimmed.startsWith("-") ? "The limit cannot be negative" : "Enter a whole number";
  else if (Number(trimmed) < 1) errors[key] = "At least 1; leave it blank for no limit";
  else if (Number(trimmed) > MAX_LIMIT) errors[key] = "At most 1,000,000";
  else return Number(trimmed);
  return null;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * A moment typed in a date ("2026-12-01", its start) or datetime-local ("2026-12-01T09:30") input, read as UTC
 * like every date the admin takes (lib/dates.ts). Null for blank; undefined for anything else, including days
 * that do not exist (2026-02-30), which Date would silently roll over.
 */
export function parseMoment(typed: string): Date | null | undefined {
  const trimmed = typed.trim();
  if (trimmed === "") return null;
  const parts = DATE_ONLY.exec(trimmed) ?? DATE_TIME.exec(trimmed);
  if (!parts) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = parts.slice(1).map((part) => Number(part ?? 0));
  const date = new Date(Date.UTC(year!, month! - 1, day!, hour, minute, second));
  const same =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month! - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute;
  return same ? date : undefined;
}

/** Trimmed, without blanks or repeats, in the order given. */
function distinct(values: string[]): string[] {
  return [...new Set(values.map((value) => value.trim()).filter(Boolean))];
}

// ------------------------------------------------------------------------------------------ discount codes

const DISCOUNT_KINDS = ["percentage", "fixed"] as const;
const CODE = /^[A-Z0-9_-]{3,32}$/;

export const discountCodeFormInput = z.object({
  code: text(200),
  kind: text(32),
  value: text(32),
  minimumSubtotal: text(32),
  startsAt: text(32),
  endsAt: text(32),
  usageLimit: text(32),
  perEmailLimit: text(32),
  productIds: ids,
  categoryIds: ids,
  active: z.boolean(),
});
export type DiscountCodeFormInput = z.infer<typeof discountCodeFormInput>;

export type DiscountCodeData = {
  /** Uppercase: shoppers type it in any case. */
  code: string;
  kind: (typeof DISCOUNT_KINDS)[number];
  /** percentage: basis points; fixed: minor units. */
  value: number;
  minimumSubtotal: number | null;
  startsAt: Date | null;
  /** Exclusive: the first moment the code no longer applies. */
  endsAt: Date | null;
  usageLimit: number | null;
  perEmailLimit: number | null;
  productIds: string[];
  categoryIds: string[];
  active: boolean;
};

export function parseDiscountCodeForm(input: DiscountCodeFormInput, currency: string): Parsed<DiscountCodeData> {
  const errors: FieldErrors = {};
  const code = input.code.trim().toUpperCase();
  if (code.length < 3 || code.length > 32) errors.code = "Between 3 and 32 characters";
  else if (!CODE.test(code)) errors.code = "Use letters, digits, hyphens and underscores only, e.g. SUMMER-10";

  const kind = (DISCOUNT_KINDS as readonly string[]).includes(input.kind) ? (input.kind as DiscountCodeData["kind"]) : null;
  if (!kind) errors.kind = "Choose a percentage or a fixed amount";
  let value = 0;
  if (kind === "percentage") {
    const percent = parsePercent(input.value, 2);
    if (!percent.ok) errors.value = percent.error;
    else if (percent.basisPoints === 0) errors.value = "More than 0%";
    else value = percent.basisPoints;
  } else if (kind === "fixed") {
    value = parseAmount(input.value, currency, errors, "value", "the amount off");
    if (!errors.value && value === 0) errors.value = "More than 0";
  }

  const minimumSubtotal = optionalAmount(input.minimumSubtotal, currency, errors, "minimumSubtotal");
  const startsAt = parseMoment(input.startsAt);
  if (startsAt === undefined) errors.startsAt = "Enter a date, e.g. 2026-12-01, or a date and time";
  const endsAt = parseMoment(input.endsAt);
  if (endsAt === undefined) errors.endsAt = "Enter a date, e.g. 2026-12-31, or a date and time";
  else if (endsAt && startsAt && endsAt <= startsAt) errors.endsAt = "The end must be after the start";
  const usageLimit = optionalLimit(input.usageLimit, errors, "usageLimit");
  const perEmailLimit = optionalLimit(input.perEmailLimit, errors, "perEmailLimit");
  if (usageLimit !== null && perEmailLimit !== null && perEmailLimit > usageLimit) {
    errors.perEmailLimit = "At most the limit in all";
  }

  if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
  return {
    ok: true,
    data: {
      code,
      kind: kind!,
      value,
      minimumSubtotal,
      startsAt: startsAt ?? null,
      endsAt: endsAt ?? null,
      usageLimit,
      perEmailLimit,
      productIds: distinct(input.productIds),
      categoryIds: distinct(input.categoryIds),
      active: input.active,
    },
  };
}

// ------------------------------------------------------------------------------------------ shipping zones

export const shippingZoneFormInput = z.object({
  name: text(2_000),
  countries: z.array(text(16)).max(500, "At most 500 countries"),
  taxShipping: z.boolean(),
  active: z.boolean(),
  position: text(32),
});
export type ShippingZoneFormInput = z.infer<typeof shippingZoneFormInput>;

export type ShippingZoneData = { name: string; countries: string[]; taxShipping: boolean; active: boolean; position: number };

export function parseShippingZoneForm(input: ShippingZoneFormInput): Parsed<ShippingZoneData> {
  const errors: FieldErrors = {};
  const name = parseName(input.name, errors, "zone");
  const countries = distinct(input.countries.map((country) => country.toUpperCase()));
  const unknown = countries.filter((country) => !isCountryCode(country));
  if (unknown.length > 0) errors.countries = `Not a country the shop knows: ${unknown.join(", ")}`;
  else if (countries.length === 0) errors.countries = "Choose at least one country";
  const position = parsePosition(input.position, errors);
  if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
  return { ok: true, data: { name, countries, taxShipping: input.taxShipping, active: input.active, position } };
}

// ------------------------------------------------------------------------------------------ shipping rates

const RATE_KINDS = ["flat", "weight"] as const;

export const shippingRateFormInput = z.object({
  name: text(2_000),
  kind: text(32),
  amount: text(32),
  brackets: text(10_000),
  freeFrom: text(32),
  active: z.boolean(),
  position: text(32),
});
export type ShippingRateFormInput = z.infer<typeof shippingRateFormInput>;

export type Bracket = { upToGrams: number | null; amount: number };
export type ShippingRateData = {
  name: string;
  freeFrom: number | null;
  active: boolean;
  position: number;
} & ({ kind: "flat"; amount: number; brackets: null } | { kind: "weight"; amount: null; brackets: Bracket[] });

const BRACKET_LINE = /^(\d+|\*)\s*(?:g\s*)?:\s*(\S.*)$/;

/**
 * Weight brackets, one per line: "1000: 14.99" (up to and including 1,000 g costs 14.99); the last may be
 * "*: 49.99" for no upper limit. Limits strictly increase, so every weight falls in exactly one bracket;
 * without a "*" line a heavier order gets no price from this rate (checkout does not offer it).
 */
export function parseBrackets(typed: string, currency: string): { ok: true; brackets: Bracket[] } | { ok: false; error: string } {
  const lines = typed
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  if (lines.length === 0) return { ok: false, error: "Enter at least one bracket, e.g. 1000: 14.99" };
  if (lines.length > 50) return { ok: false, error: "At most 50 brackets" };
  const brackets: Bracket[] = [];
  for (const [i, line] of lines.entries()) {
    const at = `Line ${i + 1}`;
    const match = BRACKET_LINE.exec(line);
    if (!match) return { ok: false, error: `${at}: write “grams: amount”, e.g. 1000: 14.99` };
    const [, limit = "", price = ""] = match;
    const upToGrams = limit === "*" ? null : Number(limit);
    if (upToGrams === null && i !== lines.length - 1) return { ok: false, error: `${at}: only the last bracket can be “*”` };
    if (upToGrams !== null && (upToGrams < 1 || upToGrams > MAX_GRAMS)) {
      return { ok: false, error: `${at}: grams from 1 to 1,000,000` };
    }
    const previous = brackets.at(-1)?.upToGrams;
    if (upToGrams !== null && previous !== undefined && previous !== null && upToGrams <= previous) {
      return { ok: false, error: `${at}: each limit must be above the one before (${previous} g)` };
    }
    const amount = parseMajorUnits(price, currency);
    if (amount === null || amount > MAX_AMOUNT)
      return { ok: false, error: `${at}: enter an amount in ${currency.toUpperCase()}, e.g. 14.99` };
    brackets.push({ upToGrams, amount });
  }
  return { ok: true, brackets };
}

/** The brackets as the form shows them again: the inverse of parseBrackets. */
function formatBrackets(brackets: Bracket[], format: (minor: number) => string): string {
  return brackets.map((bracket) => `${bracket.upToGrams ?? "*"}: ${format(bracket.amount)}`).join("\n");
}

export function parseShippingRateForm(input: ShippingRateFormInput, currency: string): Parsed<ShippingRateData> {
  const errors: FieldErrors = {};
  const name = parseName(input.name, errors, "rate");
  const kind = (RATE_KINDS as readonly string[]).includes(input.kind) ? (input.kind as ShippingRateData["kind"]) : null;
  if (!kind) errors.kind = "Choose a flat amount or weight brackets";
  // Only the chosen kind's field is read: the other one may hold leftovers from before the kind changed.
  const amount = kind === "flat" ? parseAmount(input.amount, currency, errors, "amount") : null;
  let brackets: Bracket[] | null = null;
  if (kind === "weight") {
    const parsed = parseBrackets(input.brackets, currency);
    if (parsed.ok) brackets = parsed.brackets;
    else errors.brackets = parsed.error;
  }
  const freeFrom = optionalAmount(input.freeFrom, currency, errors, "freeFrom");
  const position = parsePosition(input.position, errors);
  if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
  const common = { name, freeFrom, active: input.active, position };
  return {
    ok: true,
    data:
      kind === "flat"
        ? { ...common, kind, amount: amount!, brackets: null }
        : { ...common, kind: "weight", amount: null, brackets: brackets! },
  };
}

// ------------------------------------------------------------------------------------------ tax rates

/** Zero-rated goods need no row: the engine leaves "zero" class lines untaxed (lib/pricing/config.ts). */
const TAX_CLASSES = ["standard", "reduced"] as const;
const REGION = /^[A-Z0-9]{1,3}$/;

export const taxRateFormInput = z.object({
  name: text(2_000),
  country: text(16),
  region: text(100),
  taxClass: text(32),
  rate: text(32),
});
export type TaxRateFormInput = z.infer<typeof taxRateFormInput>;

export type TaxRateData = { name: string; country: string; region: string; taxClass: (typeof TAX_CLASSES)[number]; rate: number };

export function parseTaxRateForm(input: TaxRateFormInput): Parsed<TaxRateData> {
  const errors: FieldErrors = {};
  const name = parseName(input.name, errors, "tax rate");
  const country = input.country.trim().toUpperCase();
  if (!isCountryCode(country)) errors.country = country ? `Not a country the shop knows: ${country}` : "Choose a country";
  // "" is the whole country; a region's rate replaces the country's for addresses there.
  const region = input.region.trim().toUpperCase();
  if (region && country === "US" && !isUsState(region)) errors.region = "Enter a US state's two-letter code, e.g. CA";
  else if (region && !REGION.test(region)) errors.region = "Enter the region's code (letters and digits, up to 3), or leave it blank";
  const taxClass = (TAX_CLASSES as readonly string[]).includes(input.taxClass) ? (input.taxClass as TaxRateData["taxClass"]) : null;
  if (!taxClass) errors.taxClass = "Choose standard or reduced";
  const percent = parsePercent(input.rate, 3);
  if (!percent.ok) errors.rate = percent.error;
  if (Object.keys(errors).length > 0 || !percent.ok) return { ok: false, fieldErrors: errors };
  return { ok: true, data: { name, country, region, taxClass: taxClass!, rate: percent.basisPoints } };
}

/** The countries a form offers, by name. */
export const COUNTRY_CHOICES = Object.entries(COUNTRIES)
  .map(([code, name]) => ({ code, name }))
  .sort((a, b) => a.name.localeCompare(b.name));

// ------------------------------------------------------------------------------------------ back into forms

/** Basis points as the form shows them: 725 → "7.25", 1900 → "19", 550 → "5.5". */
export function percentText(basisPoints: number): string {
  const whole = Math.trunc(basisPoints / BASIS_POINTS_PER_PERCENT);
  const fraction = String(basisPoints % BASIS_POINTS_PER_PERCENT)
    .padStart(2, "0")
    .replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : String(whole);
}

/** A moment as a datetime-local input shows it, in UTC like parseMoment reads it. */
function momentText(date: Date | null): string {
  return date ? date.toISOString().slice(0, 16) : "";
}

const amountText = (minor: number | null, currency: string) => (minor === null ? "" : toDecimalString(minor, currency));

type CodeRow = Omit<DiscountCodeData, "kind"> & { kind: string };

export function discountCodeForm(row: CodeRow, currency: string): DiscountCodeFormInput {
  return {
    code: row.code,
    kind: row.kind,
    value: row.kind === "percentage" ? percentText(row.value) : amountText(row.value, currency),
    minimumSubtotal: amountText(row.minimumSubtotal, currency),
    startsAt: momentText(row.startsAt),
    endsAt: momentText(row.endsAt),
    usageLimit: row.usageLimit === null ? "" : String(row.usageLimit),
    perEmailLimit: row.perEmailLimit === null ? "" : String(row.perEmailLimit),
    productIds: row.productIds,
    categoryIds: row.categoryIds,
    active: row.active,
  };
}

export function shippingZoneForm(row: ShippingZoneData): ShippingZoneFormInput {
  return { name: row.name, countries: row.countries, taxShipping: row.taxShipping, active: row.active, position: String(row.position) };
}

type RateRow = {
  name: string;
  kind: string;
  amount: number | null;
  brackets: unknown;
  freeFrom: number | null;
  active: boolean;
  position: number;
};

export function shippingRateForm(row: RateRow, currency: string): ShippingRateFormInput {
  const brackets = Array.isArray(row.brackets) ? (row.brackets as Bracket[]) : [];
  return {
    name: row.name,
    kind: row.kind,
    amount: amountText(row.amount, currency),
    brackets: formatBrackets(brackets, (minor) => toDecimalString(minor, currency)),
    freeFrom: amountText(row.freeFrom, currency),
    active: row.active,
    position: String(row.position),
  };
}

export function taxRateForm(row: { name: string; country: string; region: string; taxClass: string; rate: number }): TaxRateFormInput {
  return { name: row.name, country: row.country, region: row.region, taxClass: row.taxClass, rate: percentText(row.rate) };
}
