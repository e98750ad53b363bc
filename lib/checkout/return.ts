import "server-only";
import { parseCartId } from "@/lib/cart/rules";
import type { OrderStatus } from "@/lib/order-status";
import { storedTotals, type OrderTotals } from "@/lib/pricing/receipt";
import { syncOrderWithStripe } from "@/lib/orders";
import { PaymentProviderError } from "@/lib/payments/errors";
import { holdsClientSecret } from "@/lib/payments/intents";
import { findReturnedOrder, loadOrderWithItems } from "./store";

/**
 * Where the client secret from Stripe's redirect is kept: app/checkout/return moves it here out of the URL
 * (where access logs, history and Referer would carry it), scoped to the confirmation page, for an hour.
 */
export const RETURN_PROOF_COOKIE = "checkout_return_proof";
export const RETURN_PROOF_MAX_AGE_SECONDS = 60 * 60;
export const RETURN_PROOF_PATH = "/checkout/complete";

export type ReturnedOrder = {
  number: string;
  status: OrderStatus;
  email: string;
  total: number;
  currency: string;
  /** Subtotal, discount, shipping, taxes and total, as every document shows them. */
  totals: OrderTotals;
  lastPaymentError: string | null;
  items: Array<{ name: string; quantity: number; unitPrice: number }>;
};

/**
 * The order the shopper returns to from Stripe, brought up to date from the PaymentIntent itself (never
 * from the redirect_status query). Only shown to the browser whose cart it is, or that holds the intent's
 * client secret (RETURN_PROOF_COOKIE).
 */
export async function orderOnReturn(
  rawCartId: unknown,
  paymentIntentId: string | null,
  clientSecret: string | null,
): Promise<ReturnedOrder | null> {
  const cartId = parseCartId(rawCartId);
  const order = await findReturnedOrder(cartId, paymentIntentId);
  if (!order) return null;
  const owner =
    order.cartId === cartId ||
    (paymentIntentId !== null && clientSecret !== null && (await holdsClientSecret(paymentIntentId, clientSecret)));
  if (!owner) return null;

  let paymentError: string | null = null;
  try {
    paymentError = (await syncOrderWithStripe(order.id)).paymentError;
  } catch (error) {
    // Stripe unreachable: show the order as the shop has it; the webhook brings it up to date.
    if (!(error instanceof PaymentProviderError)) throw error;
  }
  const fresh = await loadOrderWithItems(order.id);
  return {
    number: fresh.number,
    status: fresh.status,
    email: fresh.email,
    total: fresh.total,
    currency: fresh.currency,
    totals: storedTotals(fresh),
    lastPaymentError: paymentError ?? fresh.lastPaymentError,
    items: fresh.items.map(({ name, quantity, unitPrice }) => ({ name, quantity, unitPrice })),
  };
}
