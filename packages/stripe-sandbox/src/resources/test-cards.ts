// Stripe's test cards and PaymentMethod tokens (docs/stripe-behaviour.md "Test cards"): what each one does when confirmed.

/** The dispute test cards' reasons; an inquiry is a warning that may become a chargeback. */
export type DisputeReason = "fraudulent" | "product_not_received" | "inquiry";

export interface Decline {
  code: string;
  decline_code: string;
  message: string;
  param?: string;
}

/** How a payment method behaves at confirmation (cards here; bank debits and redirects in bank-methods.ts). */
export type CardBehaviour =
  /** `dispute`: the payment succeeds, then the cardholder disputes it (4000 0000 0000 0259 and friends). */
  | { kind: "succeeds"; dispute?: DisputeReason }
  | { kind: "declines"; decline: Decline }
  /** 3-D Secure on every payment (4000 0027 6000 3184, 4000 0000 0000 3220). */
  | { kind: "authenticates" }
  /** 3-D Secure on session; off-session payments decline with authentication_required (4000 0025 0000 3155). */
  | { kind: "authenticates_on_session" }
  /** Passes 3-D Secure, then declines for insufficient funds (4000 0082 6000 3178). */
  | { kind: "authenticates_then_declines"; decline: Decline }
  /** A bank debit: `processing`, then settled after the sandbox's async delay, or failed with `failure`. */
  | { kind: "debits"; failure?: Decline }
  /** A redirect method (iDEAL): the shopper authorizes or fails the payment on the sandbox's bank page. */
  | { kind: "redirects" };

export const DECLINES = {
  generic: { code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." },
  insufficientFunds: { code: "card_declined", decline_code: "insufficient_funds", message: "Your card has insufficient funds." },
  lostCard: { code: "card_declined", decline_code: "lost_card", message: "Your card was declined." },
  stolenCard: { code: "card_declined", decline_code: "stolen_card", message: "Your card was declined." },
  expiredCard: { code: "expired_card", decline_code: "expired_card", message: "Your card has expired.", param: "exp_month" },
  incorrectCvc: { code: "incorrect_cvc", decline_code: "incorrect_cvc", message: "Your card's security code is incorrect.", param: "cvc" },
  processingError: {
    code: "processing_error",
    decline_code: "processing_error",
    message: "An error occurred while processing your card. Try again in a little bit.",
  },
  authenticationRequired: {
    code: "authentication_required",
    decline_code: "authentication_required",
    message: "Your card was declined. This transaction requires authentication.",
  },
} satisfies Record<string, Decline>;

export interface TestCard {
  number: string;
  brand: string;
  funding: "credit" | "debit";
  country: string;
  behaviour: CardBehaviour;
}

const ok: CardBehaviour = { kind: "succeeds" };
const card = (number: string, brand: string, behaviour: CardBehaviour = ok, funding: TestCard["funding"] = "credit"): TestCard => ({
  number,
  brand,
  funding,
  country: "US",
  behaviour,
});
const declines = (decline: Decline): CardBehaviour => ({ kind: "declines", decline });

/** Test PaymentMethod tokens usable wherever a pm_ id is accepted. */
export const TEST_TOKENS: Record<string, TestCard> = {
  pm_card_visa: card("4242424242424242", "visa"),
  pm_card_visa_debit: card("4000056655665556", "visa", ok, "debit"),
  pm_card_mastercard: card("5555555555554444", "mastercard"),
  pm_card_amex: card("378282246310005", "amex"),
  pm_card_discover: card("6011111111111117", "discover"),
  pm_card_chargeDeclined: card("4000000000000002", "visa", declines(DECLINES.generic)),
  pm_card_visa_chargeDeclined: card("4000000000000002", "visa", declines(DECLINES.generic)),
  pm_card_chargeDeclinedInsufficientFunds: card("4000000000009995", "visa", declines(DECLINES.insufficientFunds)),
  pm_card_visa_chargeDeclinedInsufficientFunds: card("4000000000009995", "visa", declines(DECLINES.insufficientFunds)),
  pm_card_chargeDeclinedLostCard: card("4000000000009987", "visa", declines(DECLINES.lostCard)),
  pm_card_visa_chargeDeclinedLostCard: card("4000000000009987", "visa", declines(DECLINES.lostCard)),
  pm_card_chargeDeclinedStolenCard: card("4000000000009979", "visa", declines(DECLINES.stolenCard)),
  pm_card_visa_chargeDeclinedStolenCard: card("4000000000009979", "visa", declines(DECLINES.stolenCard)),
  pm_card_chargeDeclinedExpiredCard: card("4000000000000069", "visa", declines(DECLINES.expiredCard)),
  pm_card_visa_chargeDeclinedExpiredCard: card("4000000000000069", "visa", declines(DECLINES.expiredCard)),
  pm_card_chargeDeclinedIncorrectCvc: card("4000000000000127", "visa", declines(DECLINES.incorrectCvc)),
  pm_card_visa_chargeDeclinedIncorrectCvc: card("4000000000000127", "visa", declines(DECLINES.incorrectCvc)),
  pm_card_chargeDeclinedProcessingError: card("4000000000000119", "visa", declines(DECLINES.processingError)),
  pm_card_visa_chargeDeclinedProcessingError: card("4000000000000119", "visa", declines(DECLINES.processingError)),
  pm_card_createDispute: card("4000000000000259", "visa", { kind: "succeeds", dispute: "fraudulent" }),
  pm_card_createDisputeProductNotReceived: card("4000000000002685", "visa", { kind: "succeeds", dispute: "product_not_received" }),
  pm_card_createDisputeInquiry: card("4000000000001976", "visa", { kind: "succeeds", dispute: "inquiry" }),
  pm_card_authenticationRequired: card("4000002760003184", "visa", { kind: "authenticates" }),
  pm_card_authenticationRequiredOnSetup: card("4000002500003155", "visa", { kind: "authenticates_on_session" }),
  pm_card_threeDSecure2Required: card("4000000000003220", "visa", { kind: "authenticates" }),
  pm_card_authenticationRequiredChargeDeclinedInsufficientFunds: card("4000008260003178", "visa", {
    kind: "authenticates_then_declines",
    decline: DECLINES.insufficientFunds,
  }),
};

const BY_NUMBER = new Map<string, TestCard>(Object.values(TEST_TOKENS).map((c) => [c.number, c]));

/** Brand from the leading digits, for numbers outside the table (they behave like 4242…). */
function brandOf(number: string): string {
  if (/^4/.test(number)) return "visa";
  if (/^(5[1-5]|2[2-7])/.test(number)) return "mastercard";
  if (/^3[47]/.test(number)) return "amex";
  if (/^6(011|5)/.test(number)) return "discover";
  if (/^35/.test(number)) return "jcb";
  if (/^3(0|6|8)/.test(number)) return "diners";
  if (/^62/.test(number)) return "unionpay";
  return "unknown";
}

export function cardForNumber(number: string): TestCard {
  return BY_NUMBER.get(number) ?? card(number, brandOf(number));
}

export function luhnValid(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let d = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
