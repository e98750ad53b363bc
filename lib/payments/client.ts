import "server-only";
import Stripe from "stripe";
import { stripeEnv } from "@/lib/env";

// The one Stripe SDK instance. STRIPE_API_BASE points it at another API host (the offline sandbox);
// unset, it talks to Stripe itself. Nothing else in the shop knows which one it is.
let client: Stripe | undefined;

export function stripeClient(): Stripe {
  if (client) return client;
  const env = stripeEnv();
  const base = env.STRIPE_API_BASE ? new URL(env.STRIPE_API_BASE) : undefined;
  client = new Stripe(env.STRIPE_SECRET_KEY, {
    maxNetworkRetries: 2,
    // Checkout updates the intent inside its database transaction: fail fast rather than hold row locks.
    timeout: 10_000,
    ...(base && {
      host: base.hostname,
      port: base.port || (base.protocol === "https:" ? 443 : 80),
      protocol: base.protocol === "https:" ? "https" : "http",
    }),
  });
  return client;
}

/** Stripe's request id of a failed call, for logs (never the key or a client secret). */
export function stripeRequestId(error: unknown): string | undefined {
  return error instanceof Stripe.errors.StripeError ? error.requestId : undefined;
}

export function isStripeError(error: unknown): error is Stripe.errors.StripeError {
  return error instanceof Stripe.errors.StripeError;
}
