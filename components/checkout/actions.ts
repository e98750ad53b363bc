"use server";

import { readCartCookie } from "@/lib/cart-cookie";
import { revalidateCatalog } from "@/lib/catalog";
import { recheckBeforePayment, startCheckout, type CheckoutResult, type RecheckResult } from "@/lib/checkout/start";
import { fail } from "@/lib/result";

// Thin wrappers: lib/checkout validates everything and prices the order from the database. Answers carry a
// `code` (lib/result.ts CheckoutErrorCode) beside the sentence; the UI branches on the code. The reservation
// changes stock, so catalog pages are revalidated afterwards.

export async function startCheckoutAction(input: unknown): Promise<CheckoutResult> {
  const result = await startCheckout(await readCartCookie(), input);
  if (result.ok) revalidateCatalog();
  return result;
}

export async function recheckBeforePaymentAction(orderId: unknown, displayedTotal: unknown): Promise<RecheckResult> {
  if (typeof orderId !== "string" || typeof displayedTotal !== "number" || !Number.isSafeInteger(displayedTotal)) {
    return fail("checkout_expired", "This checkout has expired. Please start again from your cart.");
  }
  const result = await recheckBeforePayment(await readCartCookie(), orderId, displayedTotal);
  if (result.ok) revalidateCatalog();
  return result;
}
