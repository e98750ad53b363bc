import "server-only";
import Stripe from "stripe";
import { stripeEnv } from "@/lib/env";
import { PaymentProviderError } from "./errors";

// The one Stripe SDK instance. STRIPE_API_BASE points it at another API host (the offline sandbox);
// unset, it talks to Stripe itself. Nothing else in the shop knows which one it is.

/**
 * The Stripe API version this code is written against: the version stripe@23 pins and its types describe
 * (node_modules/stripe/esm/apiVersion.js). Sent on every request, so the account's default version never
 * changes what the shop receives; the sandbox answers in whatever version is asked. An SDK upgrade changes
 * Stripe.LatestApiVersion, and tsc then stops here until the shop is checked against the new version.
 */
export const STRIPE_API_VERSION = "2026-10-28.endive" satisfies Stripe.LatestApiVersion;

let client: Stripe | undefined;

export function stripeClient(): Stripe {
  if (client) return client;
  const env = stripeEnv();
  const base = env.STRIPE_API_BASE ? new URL(env.STRIPE_API_BASE) : undefined;
  client = new Stripe(env.STRIPE_SECRET_KEY, {
    apiVersion: STRIPE_API_VERSION,
    // POSTs are retried with an Idempotency-Key the SDK generates (or ours, where we pass one).
    maxNetworkRetries: 2,
    // No database transaction waits on a Stripe call (see lib/checkout/start.ts), but a shopper does.
    timeout: 10_000,
    ...(base && {
      host: base.hostname,
      port: base.port || (base.protocol === "https:" ? 443 : 80),
      protocol: base.protocol === "https:" ? "https" : "http",
    }),
  });
  return client;
}

/** Stripe's error code (e.g. "payment_intent_unexpected_state"), for lib/payments' own branches only. */
export function stripeErrorCode(error: unknown): string | undefined {
  return error instanceof Stripe.errors.StripeError ? error.code : undefined;
}

/** Turns a Stripe SDK error into a PaymentProviderError (logged once, here); anything else is returned as is. */
export function toProviderError(error: unknown, operation: string): unknown {
  if (!(error instanceof Stripe.errors.StripeError)) return error;
  const unavailable =
    error instanceof Stripe.errors.StripeConnectionError ||
    error instanceof Stripe.errors.StripeAPIError ||
    error instanceof Stripe.errors.StripeRateLimitError ||
    // 409: the same Idempotency-Key is still running elsewhere (the SDK retried it already).
    error.statusCode === 409 ||
    (error.statusCode ?? 0) >= 500;
  const kind = unavailable ? "unavailable" : "refused";
  const requestId = error.requestId ?? null;
  console.error(
    `payments: Stripe ${kind === "refused" ? "refused to" : "could not"} ${operation} (request ${requestId ?? "unknown"}): ${error.message}`,
  );
  return new PaymentProviderError(kind, error.message, requestId);
}

/** Runs one Stripe request; a Stripe failure comes out as a PaymentProviderError. */
export async function stripeCall<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toProviderError(error, operation);
  }
}
