// How long a checkout may hold stock and how often a checkout may start, as pure rules. No database: the
// checkout (lib/checkout/start.ts, store.ts) applies them, lib/checkout/limits.test.ts runs them alone.
import { fail } from "@/lib/result";
import { minutesUntil, type RateLimit } from "@/lib/rate-limit-rules";
import type { CheckoutFailure } from "./rules";

// ------------------------------------------------------------------------------------- reservation cap

/**
 * Each checkout start renews its reservation for CHECKOUT_RESERVATION_MINUTES (the TTL), but never past
 * this many minutes after its stock was first taken. Without a cap one request every TTL minutes would keep
 * the last unit reserved for ever. A TTL configured longer than the cap is honoured once: the cap is never
 * shorter than the TTL.
 */
export const RESERVATION_CAP_MINUTES = 60;

export type Reservation = { reservedAt: Date; reservedUntil: Date };

/**
 * The reservation a checkout at `now` writes. `heldSince`: when the stock the order holds now was first
 * reserved (null: it holds none, and a reservation starts now). Null once that reservation has reached its
 * cap: it cannot be renewed, only released.
 */
export function renewReservation(now: Date, heldSince: Date | null, ttlMinutes: number): Reservation | null {
  const reservedAt = heldSince ?? now;
  const capEnd = reservedAt.getTime() + Math.max(RESERVATION_CAP_MINUTES, ttlMinutes) * 60_000;
  if (now.getTime() >= capEnd) return null;
  return { reservedAt, reservedUntil: new Date(Math.min(now.getTime() + ttlMinutes * 60_000, capEnd)) };
}

/**
 * A checkout whose reservation reached its cap is refused until the expiry sweep (lib/jobs) has released it,
 * and only then may start afresh, as a new order competing for the stock like everybody else. Releasing it
 * here and reserving again in the same request would hand the units straight back to the same shopper, so
 * one request an hour would still hold the last unit for ever.
 */
export const reservationCapped = (): CheckoutFailure =>
  fail("reservation_expired", "Your reservation has run out and its items are going back on sale. Please try again in a minute.");

// ---------------------------------------------------------------------------------------- rate limits

const TEN_MINUTES_MS = 10 * 60_000;

/**
 * Checkout starts (the details form's submit) per cart and per client address. A shopper correcting a
 * form or changing the cart a few times stays far below both; a script reserving stock or probing prices
 * does not. An address shared by many shoppers (an office, a mobile carrier) gets three carts' worth.
 */
export const CHECKOUT_STARTS_PER_CART = { max: 20, windowMs: TEN_MINUTES_MS };
export const CHECKOUT_STARTS_PER_ADDRESS = { max: 60, windowMs: TEN_MINUTES_MS };
/** The re-check before each press of Pay: per cart only, and looser, so trying a few cards never trips it. */
export const PAYMENT_CHECKS_PER_CART = { max: 60, windowMs: TEN_MINUTES_MS };

/**
 * Requests from the machine itself (the dev server, tests and benchmarks, a reverse proxy on the same host
 * that forwards no address) or from no known address carry no client's identity: limiting them per address
 * would lock out every shopper at once. They are limited per cart only.
 */
export function identifiesClient(address: string | null): address is string {
  if (!address || address === "unknown") return false;
  const plain = address.replace(/^::ffff:/i, "");
  return plain !== "::1" && !/^127\./.test(plain);
}

/** The limits one checkout start counts against. */
export function checkoutStartLimits(cartId: string, address: string | null): RateLimit[] {
  const limits = [{ key: `checkout-start:cart:${cartId}`, ...CHECKOUT_STARTS_PER_CART }];
  if (identifiesClient(address)) limits.push({ key: `checkout-start:ip:${address}`, ...CHECKOUT_STARTS_PER_ADDRESS });
  return limits;
}

/** The limits one re-check before paying counts against. */
export function paymentCheckLimits(cartId: string): RateLimit[] {
  return [{ key: `checkout-recheck:cart:${cartId}`, ...PAYMENT_CHECKS_PER_CART }];
}

/** Too many attempts: the sentence says when the next one is allowed. */
export function tooManyAttempts(retryAt: Date, now: Date): CheckoutFailure {
  const minutes = minutesUntil(retryAt, now);
  return fail("rate_limited", `Too many checkout attempts. Please try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`);
}
