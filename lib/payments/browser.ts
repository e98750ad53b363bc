import "server-only";
import { stripeEnv } from "@/lib/env";

/** What the checkout page hands to the browser: only public values. */
export type BrowserStripeConfig = { publishableKey: string; stripeJsUrl: string | null };

export function browserStripeConfig(): BrowserStripeConfig {
  const env = stripeEnv();
  return { publishableKey: env.STRIPE_PUBLISHABLE_KEY, stripeJsUrl: env.STRIPE_JS_URL ?? null };
}
