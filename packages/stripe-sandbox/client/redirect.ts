// Building the return_url Stripe.js redirects to, DOM-free.
import type { PaymentIntent, SetupIntent } from "@stripe/stripe-js";

/** Appends params to the query before any fragment, keeping the existing query byte for byte (as Stripe does). */
export function appendQueryParams(url: string, params: Record<string, string>): string {
  const hashAt = url.indexOf("#");
  const base = hashAt === -1 ? url : url.slice(0, hashAt);
  const fragment = hashAt === -1 ? "" : url.slice(hashAt);
  const query = Object.entries(params)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join("&");
  const separator = !base.includes("?") ? "?" : base.endsWith("?") || base.endsWith("&") ? "" : "&";
  return `${base}${separator}${query}${fragment}`;
}

/** redirect_status as Stripe sets it: an authorized (requires_capture) card payment counts as succeeded. */
export function redirectStatus(status: PaymentIntent.Status | SetupIntent.Status): string {
  if (status === "succeeded" || status === "requires_capture") return "succeeded";
  if (status === "processing") return "processing";
  if (status === "requires_payment_method" || status === "canceled") return "failed";
  return status;
}

type Returned =
  Pick<PaymentIntent, "object" | "id" | "client_secret" | "status"> | Pick<SetupIntent, "object" | "id" | "client_secret" | "status">;

/** payment_intent and payment_intent_client_secret for a payment, setup_intent and setup_intent_client_secret for a setup. */
export function returnUrlFor(returnUrl: string, intent: Returned): string {
  const name = intent.object === "setup_intent" ? "setup_intent" : "payment_intent";
  return appendQueryParams(returnUrl, {
    [name]: intent.id,
    [`${name}_client_secret`]: intent.client_secret ?? "",
    redirect_status: redirectStatus(intent.status),
  });
}
