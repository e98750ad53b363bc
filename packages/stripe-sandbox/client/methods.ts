// The payment method types the Payment Element stand-in offers, DOM-free: which tabs to show and what confirm adds.

/**
 * Every type the sandbox supports, in the order the element shows its tabs (card first, as Stripe orders them). Their
 * labels ("Card", "SEPA Debit", "US bank account", "iDEAL") are in payment-frame.html, one tab each.
 */
export const METHOD_TYPES = ["card", "sepa_debit", "us_bank_account", "ideal"] as const;
export type MethodType = (typeof METHOD_TYPES)[number];

/**
 * The tabs for an intent's payment_method_types (or the deferred options' paymentMethodTypes): the supported ones in
 * the element's order. Nothing supported (e.g. only "klarna") or nothing given falls back to card, so the element
 * still renders something to type into rather than an empty frame.
 */
export function elementMethodTypes(types: readonly unknown[] | null | undefined): MethodType[] {
  const offered = METHOD_TYPES.filter((type) => types?.includes(type));
  return offered.length > 0 ? offered : ["card"];
}

/** Reads the ?paymentMethodTypes=card,sepa_debit list the parent puts on the frame's URL. */
export const parseMethodTypes = (raw: string | null): MethodType[] => elementMethodTypes(raw?.split(",") ?? []);

/**
 * Bank debits need the customer's mandate on confirm. Stripe.js accepts it on the customer's behalf when the element
 * showed the mandate text, and lets the server take the IP address and user agent from the request.
 */
export function mandateDataFor(type: string): { customer_acceptance: { type: "online"; online: { infer_from_client: true } } } | undefined {
  return type === "sepa_debit" || type === "us_bank_account"
    ? { customer_acceptance: { type: "online", online: { infer_from_client: true } } }
    : undefined;
}
