"use server";

import { readCartCookie } from "@/lib/cart-cookie";
import {
  quoteCheckout,
  recheckBeforePayment,
  startCheckout,
  type CheckoutResult,
  type QuoteResult,
  type RecheckResult,
} from "@/lib/checkout/start";
import { clientIp } from "@/lib/request-ip";
import { fail } from "@/lib/result";

// Thin wrappers: lib/checkout validates everything and prices the order from the database. Answers carry a
// `code` (lib/result.ts CheckoutErrorCode) beside the sentence; the UI branches on the code. The reservation
// changes stock; catalog pages follow by themselves (the database expires the product's cache tag).

// Starts are rate-limited per cart and per client address (lib/checkout/limits.ts); the address comes from
// the request's headers, which only code running in a request can read, so it is read here.
export async function startCheckoutAction(input: unknown): Promise<CheckoutResult> {
  return startCheckout(await readCartCookie(), input, { clientIp: await clientIp() });
}

export async function recheckBeforePaymentAction(orderId: unknown, displayedTotal: unknown): Promise<RecheckResult> {
  if (typeof orderId !== "string" || typeof displayedTotal !== "number" || !Number.isSafeInteger(displayedTotal)) {
    return fail("checkout_expired", "This checkout has expired. Please start again from your cart.");
  }
  return recheckBeforePayment(await readCartCookie(), orderId, displayedTotal);
}

/** The price of the cart to a destination with a rate and a code, before the order exists (reads only). */
export async function quoteCheckoutAction(input: unknown): Promise<QuoteResult> {
  return quoteCheckout(await readCartCookie(), input);
}
