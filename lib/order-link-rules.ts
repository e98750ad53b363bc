// Asking for a fresh link to an order's status page ("Find your order", app/orders), as pure rules: what the
// form accepts, when two emails or order numbers are the same, how often it may be asked, and the one
// answer given whether or not anything matched. lib/order-link-request.ts applies them;
// lib/order-link-rules.test.ts runs them alone.
import { z } from "zod";
import { identifiesClient } from "@/lib/checkout/limits";
import { minutesUntil, type RateLimit } from "@/lib/rate-limit-rules";
import { fail, type Failure, type OrderLinkErrorCode } from "@/lib/result";

/** The same sentence for a match and for anything else, so the form tells nobody who ordered what. */
export const ORDER_LINK_ANSWER = "If that order number and email match an order, we've emailed a link to it.";

export const orderLinkInput = z.object({
  number: z
    .string({ error: "Enter your order number" })
    .trim()
    .min(1, "Enter your order number")
    .max(40, "That is not an order number")
    .regex(/^[A-Za-z0-9-]+$/, "Enter the order number as it appears in your email, e.g. SF-7K3Q9D")
    .transform(normaliseOrderNumber),
  email: z
    .string({ error: "Enter your email" })
    .trim()
    .min(1, "Enter your email")
    .max(254, "Email is too long")
    .email("Enter a valid email address"),
});
export type OrderLinkInput = z.infer<typeof orderLinkInput>;
export type OrderLinkField = keyof OrderLinkInput;
export type OrderLinkFieldErrors = Partial<Record<OrderLinkField, string>>;

/** The first message per field, for the form to show beside it. */
export function orderLinkFieldErrors(error: z.ZodError): OrderLinkFieldErrors {
  const errors: OrderLinkFieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path[0] as OrderLinkField | undefined;
    if (field && !errors[field]) errors[field] = issue.message;
  }
  return errors;
}

/** Order numbers are upper case (lib/order-number.ts): " sf-7k3q9d " is SF-7K3Q9D. */
export function normaliseOrderNumber(number: string): string {
  return number.trim().toUpperCase();
}

/** Emails match ignoring case and surrounding spaces. */
export function sameEmail(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

const MINUTE_MS = 60_000;
/**
 * Per client address: a shopper with a few orders or a typo stays below it; a script trying numbers or
 * emails does not. Per order number, from anywhere: guessing the email of one order stays slow, and its
 * owner's inbox is not flooded with links.
 */
export const ORDER_LINKS_PER_ADDRESS = { max: 5, windowMs: 15 * MINUTE_MS };
export const ORDER_LINKS_PER_ORDER = { max: 3, windowMs: 60 * MINUTE_MS };

/**
 * The limits one request counts against. The machine itself and unknown addresses carry no client's
 * identity (see lib/checkout/limits.ts): such requests are limited per order number only.
 */
export function orderLinkLimits(address: string | null, number: string): RateLimit[] {
  const limits: RateLimit[] = [{ key: `order-link:number:${number}`, ...ORDER_LINKS_PER_ORDER }];
  if (identifiesClient(address)) limits.push({ key: `order-link:ip:${address}`, ...ORDER_LINKS_PER_ADDRESS });
  return limits;
}

export type OrderLinkResult = { ok: true; message: string } | (Failure<OrderLinkErrorCode> & { fieldErrors?: OrderLinkFieldErrors });

export const invalidOrderLinkFields = (fieldErrors: OrderLinkFieldErrors): OrderLinkResult =>
  fail("invalid_fields", "Please check the highlighted fields.", { fieldErrors });

/** Too many requests: the sentence says when the next one is allowed. */
export function tooManyOrderLinkRequests(retryAt: Date, now: Date): OrderLinkResult {
  const minutes = minutesUntil(retryAt, now);
  return fail("rate_limited", `Too many requests for order links. Please try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`);
}
