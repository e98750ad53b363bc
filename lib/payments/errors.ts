// The one form in which a failed call to Stripe leaves lib/payments. Callers branch on `kind`; Stripe's own
// error classes, types and codes are read only inside lib/payments.

export type PaymentProviderFailure =
  /** Stripe answered and said no (invalid request, permission, a state that forbids the call). Nothing happened. */
  | "refused"
  /** No usable answer (network, timeout, rate limit, Stripe's 5xx): the request may or may not have taken effect. */
  | "unavailable";

export class PaymentProviderError extends Error {
  override name = "PaymentProviderError";

  constructor(
    readonly kind: PaymentProviderFailure,
    /** Stripe's own message: fine for staff and logs, too technical for shoppers. */
    message: string,
    /** Stripe's request id, for support; never the key or a client secret. */
    readonly requestId: string | null,
  ) {
    super(message);
  }
}
