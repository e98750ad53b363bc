// The shape of every Server Action's answer: `ok`, and on failure a machine-readable `code` beside the
// sentence for people. Code (tests, the bench, the chaos harness, the UI's branches) matches codes; the
// words may change freely.

/** A failure: `code` says what happened, `error` says it to the shopper or staff member. */
export type Failure<Code extends string> = { ok: false; code: Code; error: string };

/** Builds a failure; extra fields (e.g. field errors) ride along. */
export function fail<Code extends string, Extra extends object = object>(code: Code, error: string, extra?: Extra): Failure<Code> & Extra {
  return { ok: false, code, error, ...(extra as Extra) };
}

/** Why a cart change was refused. */
export type CartErrorCode =
  | "invalid_input" // the quantity or product id does not parse
  | "unavailable" // the product is inactive, unknown or sold in another currency
  | "sold_out" // nothing left
  | "insufficient_stock" // fewer left than asked for
  | "quantity_limit" // more than the per-line maximum
  | "not_in_cart"; // the line (or the cart) is gone

/** Why a checkout step was refused. */
export type CheckoutErrorCode =
  | "invalid_fields" // details missing or malformed; `fieldErrors` says which
  | "cart_empty" // no open cart, or nothing in it
  | "unavailable" // a line can no longer be bought
  | "sold_out"
  | "insufficient_stock"
  | "already_paid" // the order was paid meanwhile; `paidOrderId` names it
  | "payment_processing" // a payment is under way and may still succeed
  | "checkout_expired" // the order is gone or belongs to another cart
  | "cart_changed" // the cart kept changing (another tab) while the payment was set up; try again
  | "reservation_expired" // the reservation reached its cap; a new one can start once it is released (a minute)
  | "rate_limited" // too many checkout attempts for the cart or the address; `error` says when to try again
  | "payment_unavailable" // Stripe could not be reached or refused the set-up
  | "not_shipped" // no shipping zone covers the country (or no rate there can carry the order)
  | "code_not_applicable"; // the discount code is unknown, expired, not started, used up or fits nothing in the cart

/** Why a staff action was refused. */
export type AdminErrorCode =
  | "not_signed_in"
  | "forbidden" // signed in, but the staff member's role does not allow this (lib/auth/roles.ts)
  | "invalid_credentials" // staff sign-in: wrong email or password; password change: wrong current password
  | "rate_limited" // staff sign-in or password change: too many recent failures for the account or the address
  | "request_failed" // the action threw or could not be reached (set by the browser, not the server)
  | "invalid_input"
  | "invalid_fields" // catalog editor: `fieldErrors` says which fields, keyed by path ("slug", "variants.0.sku")
  | "conflict" // catalog editor: the product or category changed since the form was opened; nothing was saved
  | "has_active_products" // catalog editor: a category still holding active products cannot be archived
  | "not_found"
  | "not_refundable" // not paid, or nothing left to refund
  | "amount_too_large"
  | "not_cancelable" // paid, being paid, or already final
  | "payment_provider_refused" // Stripe refused; `error` carries its message
  | "payment_provider_unavailable" // Stripe could not be reached; the outcome is unknown, retrying is safe
  | "last_owner" // the change would leave the shop without an active owner
  | "already_staff" // an invitation for someone who already has an active account
  | "invite_invalid" // the invitation link is unknown, expired or already used
  | "not_shippable" // fulfilment: the order is not paid (or refunded in full), or nothing is left to ship
  | "not_returnable" // returns: the order is not paid
  | "nothing_selected" // fulfilment and returns: no line with a quantity above zero
  | "too_many_units" // fulfilment and returns: more units than are left to ship, or than were bought and not yet returned
  | "duplicate_shipment" // fulfilment: this tracking number is already recorded on the order
  | "not_retryable"; // order emails: the message was sent, or its delivery is still under way

/** Why a request for a fresh order status link was refused (app/orders). */
export type OrderLinkErrorCode =
  | "invalid_fields" // the order number or email is malformed; `fieldErrors` says which
  | "rate_limited"; // too many requests from the address or for the order number; `error` says when to try again
