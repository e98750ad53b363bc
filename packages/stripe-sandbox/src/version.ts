// API versions: the one the bundled stripe package's types describe, and where behaviour changed.

/** stripe@23's pinned version; used when a request sends no Stripe-Version. */
export const DEFAULT_API_VERSION = "2026-10-28.endive";

/** From 2024-04-10 a PaymentIntent's default capture_method is automatic_async (before: automatic). */
export function defaultCaptureMethod(apiVersion: string): "automatic" | "automatic_async" {
  return apiVersion.slice(0, 10) >= "2024-04-10" ? "automatic_async" : "automatic";
}
