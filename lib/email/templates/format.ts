// How emails write amounts, dates and countries: English, amounts through lib/money.ts, dates in UTC.
import { formatMoney } from "@/lib/money";

/** "$12.50", "¥1,500", "KWD 12.500". */
export const money = (amountMinor: number, currency: string): string => formatMoney(amountMinor, currency, "en-US");

const dateFormat = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });

/** "Dec 7, 2026", the UTC day. */
export const formatDate = (date: Date): string => dateFormat.format(date);

const regions = new Intl.DisplayNames(["en"], { type: "region", fallback: "code" });

/** "United States" for "US"; anything that is not a region code as given. */
export function countryName(country: string): string {
  if (!/^[A-Za-z]{2}$/.test(country)) return country;
  try {
    return regions.of(country.toUpperCase()) ?? country;
  } catch {
    return country;
  }
}

/** Stripe's codes ("product_not_received") as words. */
export const humanize = (code: string): string => code.replaceAll("_", " ");

/** One line for a header: no line breaks or other control characters, no runs of spaces. */
export const oneLine = (text: string): string =>
  text
    .replace(/\p{Cc}+/gu, " ")
    .replace(/\s{2,}/g, " ")
    .trim();
