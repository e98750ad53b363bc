// Checkout's public entry. The modules behind it:
//   rules.ts   pure: the details form's schema, countries, pricing, stock shortfall, order and charge fields
//   store.ts   persistence: unlocked reads and the short transactions (cart, then order, then products)
//   start.ts   startCheckout / recheckBeforePayment: the steps between the database and Stripe
//   return.ts  orderOnReturn: the order a shopper comes back to from Stripe
export { recheckBeforePayment, startCheckout, type CheckoutResult, type RecheckResult } from "./start";
export { orderOnReturn, RETURN_PROOF_COOKIE, RETURN_PROOF_MAX_AGE_SECONDS, RETURN_PROOF_PATH } from "./return";
