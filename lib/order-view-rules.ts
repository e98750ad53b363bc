// What the shopper's order status page (app/orders/status/[token]) shows, as pure rules: the status in words
// and the shipping address partly masked. The page opens with a link from an email, and a link can be
// forwarded or land in a shared inbox, so the page shows enough to recognise the parcel's destination and
// not enough to learn someone's home address. No database here: lib/order-status-page.ts loads the order,
// lib/order-view-rules.test.ts runs these alone.
import type { OrderStatus } from "@/lib/order-status";
import type { ShippingAddress } from "@/lib/shipping-address";

export type Fulfilment = "unfulfilled" | "partially_shipped" | "shipped" | "delivered";

/** A link's token as lib/order-links.ts mints it: 32 random bytes in base64url, no padding. */
const ORDER_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Whether `token` could be a link's token at all; anything else is refused before the database is asked. */
export const isOrderTokenShape = (token: string) => ORDER_TOKEN.test(token);

const MASK = "…";

/** "Grace Tester" → "G… T…": each word's first letter. */
export function maskName(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return MASK;
  return words.map((word) => `${Array.from(word)[0]}${MASK}`).join(" ");
}

/**
 * "500 Howard Street" → "500 Ho…", "Flat 2, 10 Downing St" → "Fl…": a leading house number and the first
 * two letters of the next word. The rest of the line (and any second line) is left out.
 */
export function maskStreet(line: string): string {
  const words = line.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return MASK;
  const [first, second] = words;
  const start = (word: string) => `${Array.from(word).slice(0, 2).join("")}${MASK}`;
  if (/^\d[\dA-Za-z/-]*,?$/.test(first!)) return second ? `${first!.replace(/,$/, "")} ${start(second)}` : first!.replace(/,$/, "");
  return start(first!);
}

/** "94105" → "94•••", "SW1A 1AA" → "SW•• •••": the first two characters; separators keep their place. */
export function maskPostalCode(code: string): string {
  let kept = 0;
  return Array.from(code.trim())
    .map((char) => {
      if (!/[\p{L}\p{N}]/u.test(char)) return char;
      kept += 1;
      return kept <= 2 ? char : "•";
    })
    .join("");
}

/** "grace.tester@example.com" → "g…@example.com". */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return MASK;
  return `${Array.from(email)[0]}${MASK}${email.slice(at)}`;
}

/** The shipping address as the status page shows it, one line per entry; city, region and country in full. */
export function maskedAddress(address: ShippingAddress): string[] {
  const place = [address.city.trim(), address.state?.trim(), maskPostalCode(address.postalCode)].filter(Boolean).join(", ");
  return [maskName(address.name), maskStreet(address.line1), place, countryName(address.country)];
}

const regions = new Intl.DisplayNames(["en"], { type: "region", fallback: "code" });

/** "US" → "United States"; an unknown code is shown as it is. */
export function countryName(code: string): string {
  try {
    return regions.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

export type StatusWords = { label: string; detail: string };

/** The payment side of the order in words for the shopper. */
export function paymentWords(status: OrderStatus): StatusWords {
  switch (status) {
    case "pending":
      return { label: "Awaiting payment", detail: "We have not received a payment for this order." };
    case "processing":
      return { label: "Payment processing", detail: "Your bank is completing the payment. We will email you when it is confirmed." };
    case "paid":
      return { label: "Paid", detail: "Your payment is confirmed." };
    case "partially_refunded":
      return { label: "Partially refunded", detail: "Part of your payment has been refunded to your original payment method." };
    case "refunded":
      return { label: "Refunded", detail: "Your payment has been refunded in full to your original payment method." };
    case "canceled":
      return { label: "Canceled", detail: "This order was canceled. You were not charged for it." };
  }
}

/** How far the goods have gone, in words; null while there is nothing to say (an unpaid or canceled order). */
export function fulfilmentWords(fulfilment: Fulfilment, status: OrderStatus): StatusWords | null {
  switch (fulfilment) {
    case "delivered":
      return { label: "Delivered", detail: "Everything in this order has been delivered." };
    case "shipped":
      return { label: "Shipped", detail: "Everything in this order is on its way." };
    case "partially_shipped":
      return { label: "Partly shipped", detail: "Some items are on their way; we will email you when the rest ship." };
    case "unfulfilled":
      return status === "paid" || status === "partially_refunded"
        ? { label: "Preparing your order", detail: "We are packing your order and will email you when it ships." }
        : null;
  }
}

const dayFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" });

/** "November 30, 2026" (the UTC day). */
export const formatOrderDate = (date: Date) => dayFormat.format(date);

/** A carrier's tracking link, if it is a web address; anything else is not made a link. */
export function trackingHref(url: string | null): string | null {
  if (!url || !URL.canParse(url)) return null;
  const { protocol } = new URL(url);
  return protocol === "https:" || protocol === "http:" ? url : null;
}
