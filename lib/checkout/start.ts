import "server-only";
import type { z } from "zod";
import { heldUnits, parseCartId } from "@/lib/cart/rules";
import { stripeEnv } from "@/lib/env";
import { isPaid } from "@/lib/order-status";
import { prisma } from "@/lib/db";
import { syncOrderWithStripe } from "@/lib/orders";
import { discountUseLeft } from "@/lib/pricing/discount-uses";
import { PaymentProviderError } from "@/lib/payments/errors";
import { createIntentForOrder, updateIntentForOrder, type IntentForOrder } from "@/lib/payments/intents";
import { countRequest } from "@/lib/rate-limit";
import type { RateLimit } from "@/lib/rate-limit-rules";
import { fail } from "@/lib/result";
import { checkoutStartLimits, paymentCheckLimits, renewReservation, reservationCapped, tooManyAttempts } from "./limits";
import {
  cartEmpty,
  chargeableOrder,
  checkoutInput,
  codeRefused,
  destinationOf,
  detailsOf,
  fieldErrorsOf,
  orderColumns,
  priceOrder,
  quoteInput,
  stockShortfall,
  summaryOf,
  totalsOf,
  type CheckoutFailure,
  type CheckoutInput,
  type FieldErrors,
  type OrderSummary,
  type OrderSummaryLine,
  type PricingContext,
} from "./rules";
import type { OrderTotals } from "@/lib/pricing/receipt";
import type { OfferedRate } from "@/lib/pricing/types";
import { findCartOrder, readCheckout, readPricingContext, recordIntent, writeOrder } from "./store";

// Checkout: turns the shopper's open cart into an Order with its stock reserved and a PaymentIntent that
// charges exactly the order's total, priced here from database prices. Re-running it after the cart or
// the details changed updates the same order, its reservation and its intent.
//
// No database transaction is open while Stripe is asked anything. Each attempt:
//  (a) reads the cart and its open order without locks and prices them (pure); if the order already has
//      an intent, Stripe is asked FIRST to charge the new contents. Stripe refuses to change an intent
//      that is paid or being paid, and then the order is left untouched (already_paid / payment_processing).
//  (b) one short transaction locks the cart, then the order, re-prices the cart and, only if nothing
//      changed since (a), moves the reservation and writes the order; if something changed, back to (a).
//  (c) a new order (or one whose intent was never recorded) gets its intent created after that commit,
//      with an Idempotency-Key from the order id and contents, and the id saved in another short transaction.
//
// Each start renews the reservation up to its cap (lib/checkout/limits.ts) and counts against the cart's and
// the client address's rate limits; the re-check before paying counts against a looser one of its own.
// Expired reservations are released by the job queue's sweep (lib/jobs), never on a shopper's request.

// (a)-(c) run again when another request changed the cart or order in between; this many times at most.
const MAX_ATTEMPTS = 4;

export type CheckoutResult =
  { ok: true; clientSecret: string; summary: OrderSummary } | (CheckoutFailure & { fieldErrors?: FieldErrors; paidOrderId?: string });

export type CheckoutOptions = {
  /** Draws a new order number (tests force a collision with it); lib/order-number's by default. */
  newOrderNumber?: () => string;
  /** The client's address (lib/request-ip.ts), which the Server Action reads: starts are limited per address too. */
  clientIp?: string | null;
};

const SET_UP_FAILED = "We could not set up the payment. Please try again in a moment.";

/** Creates or updates the cart's pending order, reserves its stock, and returns a payable intent for it. */
export async function startCheckout(rawCartId: unknown, rawInput: unknown, options: CheckoutOptions = {}): Promise<CheckoutResult> {
  const parsed = checkoutInput.safeParse(rawInput);
  if (!parsed.success) return invalidFields(parsed.error);
  const cartId = parseCartId(rawCartId);
  if (!cartId) return cartEmpty();
  // Counted once the request could reach the database and Stripe: a form with typos costs nothing.
  const limited = await tooMany(checkoutStartLimits(cartId, options.clientIp ?? null));
  if (limited) return limited;
  return checkout(cartId, parsed.data, options);
}

const invalidFields = (error: z.ZodError) =>
  fail("invalid_fields", "Please correct the highlighted fields", { fieldErrors: fieldErrorsOf(error) });

/** Counts this request against `limits`; the refusal if one of them is used up. */
async function tooMany(limits: RateLimit[]): Promise<CheckoutFailure | null> {
  const now = new Date();
  const verdict = await countRequest(limits, now);
  return verdict.ok ? null : tooManyAttempts(verdict.retryAt, now);
}

/** The checkout itself, for a well-formed request that was counted. */
async function checkout(cartId: string, input: CheckoutInput, options: CheckoutOptions): Promise<CheckoutResult> {
  try {
    return await settle(cartId, input, options);
  } catch (error) {
    // Stripe late or failing (logged by lib/payments with its request id): whatever was committed stays
    // consistent, and the next attempt (or the Pay button's re-check) picks the order up where it is.
    if (error instanceof PaymentProviderError) return fail("payment_unavailable", SET_UP_FAILED);
    throw error;
  }
}

async function settle(cartId: string, input: CheckoutInput, options: CheckoutOptions): Promise<CheckoutResult> {
  const minutes = stripeEnv().CHECKOUT_RESERVATION_MINUTES;
  const context = await readPricingContext(input.discountCode);
  if (!("config" in context)) return context;
  const destination = destinationOf(input.country, input.state);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    // (a) Read and price, no locks held.
    const seen = await readCheckout(cartId);
    if (!seen.cartOpen) return cartEmpty();
    const current = seen.order;
    if (current?.status === "processing") {
      // Stripe may have ended the payment meanwhile (a debit that failed): then the order is pending again.
      const underway = await paymentUnderway(current.id);
      if (underway) return underway;
      continue;
    }
    // Past its cap the reservation is neither renewed nor released and re-taken here: the sweep releases it.
    if (current?.status === "pending" && current.stockReserved && !renewReservation(new Date(), current.reservedAt, minutes))
      return reservationCapped();
    const priced = priceOrder(seen.lines, destination, input.shippingMethod, context);
    if (!priced.ok) return priced;
    // Refuse before Stripe is asked to charge for units the shelf cannot cover; units this order holds
    // are its own (none once its reservation is released or consumed).
    const short = stockShortfall(priced.lines, seen.shelf, heldUnits(current?.stockReserved ? [current] : []));
    if (short) return short;

    let intent: IntentForOrder | null = null;
    if (current?.paymentIntentId) {
      // Stripe first. Late or failing: the order is untouched and Stripe holds either charge; the Pay button
      // re-checks before confirming, and a payment that differs from the order is flagged, never marked paid.
      intent = await updateIntentForOrder(current.paymentIntentId, chargeableOrder({ ...current, ...orderColumns(input, priced) }));
      if (intent.kind === "paid_or_paying") {
        const underway = await paymentUnderway(current.id);
        if (underway) return underway;
        continue;
      }
      if (intent.kind === "canceled") {
        // Canceled at Stripe (expired or canceled by staff, the order not yet told): finish that, then start a new order.
        await syncOrderWithStripe(current.id);
        continue;
      }
    }

    // (b) One short transaction: still the same cart and order? Then reserve and write.
    const written = await writeOrder(cartId, input, priced, current, minutes, context, options.newOrderNumber);
    if (written.kind === "refused") return written.failure;
    if (written.kind === "stale") continue; // the intent may now charge the newer contents; (a) fixes that
    const summary = summaryOf(written.order, priced);
    if (intent) return { ok: true, clientSecret: intent.clientSecret, summary };

    // (c) The order (and its reservation) is committed with no intent. The process dying here leaves a
    // pending order without an intent: the next attempt comes back through (b) to this step, and the
    // reservation expires on its own if nobody does.
    const charged = chargeableOrder(written.order);
    const created = await createIntentForOrder(charged);
    // Stripe answering late is fine: the order waits, and a retry with the same contents gets this intent again.
    if (await recordIntent(written.order, charged, created.paymentIntentId))
      return { ok: true, clientSecret: created.clientSecret, summary };
    // Canceled or rewritten meanwhile: this intent is never handed out (nobody has its client secret); it
    // stays unpaid at Stripe, or comes back by its Idempotency-Key if the order returns to these contents.
  }
  // Still racing another request for this cart: if the intent was moved to contents that were not written,
  // the Pay button's re-check moves it back, and the webhook never accepts a payment that differs from the order.
  return fail("cart_changed", "Your cart changed while we were setting up the payment. Please check it and try again.");
}

/**
 * The order's intent was paid, or is being paid: nothing changes, the shopper is told which. Null when Stripe
 * says the payment ended unpaid (the order is pending again): checkout then carries on.
 */
async function paymentUnderway(orderId: string): Promise<CheckoutResult | null> {
  const { status } = await syncOrderWithStripe(orderId);
  if (status === "pending") return null;
  return status && isPaid(status)
    ? fail("already_paid", "This order is already paid", { paidOrderId: orderId })
    : fail("payment_processing", "Your payment is being processed; the order is confirmed as soon as it completes");
}

export type RecheckResult =
  { ok: true; changed: boolean; clientSecret: string; summary: OrderSummary } | (CheckoutFailure & { paidOrderId?: string });

/**
 * Just before the browser confirms the payment: re-prices the order from the cart as it is now, with the
 * details the order was placed with, and brings the intent to it. `changed` tells the shopper to look
 * again before paying; a different `clientSecret` (the order was replaced) needs a new payment form.
 */
export async function recheckBeforePayment(rawCartId: unknown, orderId: string, displayedTotal: number): Promise<RecheckResult> {
  const cartId = parseCartId(rawCartId);
  const order = cartId ? await findCartOrder(cartId, orderId) : null;
  if (!cartId || !order) return fail("checkout_expired", "This checkout has expired. Please start again from your cart.");
  if (isPaid(order.status)) return fail("already_paid", "This order is already paid", { paidOrderId: order.id });
  // Its own, looser limit: a press of Pay is not a checkout start.
  const limited = await tooMany(paymentCheckLimits(cartId));
  if (limited) return limited;
  const details = checkoutInput.safeParse(detailsOf(order));
  if (!details.success) return invalidFields(details.error);
  const result = await checkout(cartId, details.data, {});
  if (!result.ok) return result;
  const changed = result.summary.total !== displayedTotal || result.summary.orderId !== orderId;
  return { ok: true, changed, clientSecret: result.clientSecret, summary: result.summary };
}

export type QuoteResult =
  | { ok: true; lines: OrderSummaryLine[]; totals: OrderTotals; shippingRateId: string; rates: OfferedRate[] }
  | (CheckoutFailure & { fieldErrors?: FieldErrors });

/**
 * What the order would cost to this destination, with this rate and code, before it exists: the checkout form
 * asks as the shopper picks a country, a state, a rate or a code, so the rates, taxes and "we do not ship there"
 * are shown before anything is reserved or charged. Reads only; a rate not offered there gives way to the first.
 */
export async function quoteCheckout(rawCartId: unknown, rawInput: unknown): Promise<QuoteResult> {
  const parsed = quoteInput.safeParse(rawInput);
  if (!parsed.success) return invalidFields(parsed.error);
  const cartId = parseCartId(rawCartId);
  if (!cartId) return cartEmpty();
  const input = parsed.data;
  const [seen, context] = await Promise.all([readCheckout(cartId), readPricingContext(input.discountCode)]);
  if (!seen.cartOpen) return cartEmpty();
  if (!("config" in context)) return context;
  if (context.code) {
    const left = await discountUseLeft(prisma, { code: context.code, cartId, email: input.email ?? null });
    if (!left.ok) return codeRefused(left.error);
  }
  return quoteOf(seen.lines, input, context);
}

function quoteOf(
  lines: Parameters<typeof priceOrder>[0],
  input: { country: string; state: string | null; shippingMethod: string },
  context: PricingContext,
): QuoteResult {
  const priced = priceOrder(lines, destinationOf(input.country, input.state), input.shippingMethod, context, { fallbackRate: true });
  if (!priced.ok) return priced;
  return { ok: true, lines: priced.lines, totals: totalsOf(priced), shippingRateId: priced.shippingRateId, rates: priced.rates };
}
