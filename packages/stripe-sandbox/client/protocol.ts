// postMessage protocol between the stand-in on the shop's page (parent) and the card frame.
// Every message carries `channel` and the frame's `frameId`; each side also checks the sender's origin and window.
import type { Appearance, PaymentMethodCreateParams, StripeError } from "@stripe/stripe-js";

export const CHANNEL = "stripe-sandbox-elements";

/** Billing details the merchant passes in `confirmParams.payment_method_data.billing_details`. */
export type BillingDetails = PaymentMethodCreateParams.BillingDetails;

export type ParentToFrame =
  | { type: "appearance"; appearance: Appearance | undefined }
  | { type: "focus" }
  | { type: "blur" }
  | { type: "clear" }
  // elements.submit(): show every field's error and answer with the first one.
  | { type: "validate"; requestId: number }
  // The frame creates the PaymentMethod itself so the card number never leaves it.
  | { type: "create-payment-method"; requestId: number; billingDetails: BillingDetails | undefined };

export type FrameToParent =
  | { type: "ready" }
  // paymentMethodType: the selected tab (card, sepa_debit…); empty and complete describe that tab's fields.
  | { type: "change"; empty: boolean; complete: boolean; paymentMethodType: string }
  | { type: "focus" }
  | { type: "blur" }
  | { type: "escape" }
  | { type: "resize"; height: number }
  | { type: "validated"; requestId: number; error: StripeError | null; paymentMethodType: string }
  | { type: "payment-method"; requestId: number; paymentMethod: PublicPaymentMethod | null; error: StripeError | null };

/**
 * What the frame hands the parent after creating a PaymentMethod: the server's public view (brand, last4), never the
 * card or account number. `type` tells the parent whether confirm needs mandate_data.
 */
export interface PublicPaymentMethod {
  id: string;
  object: "payment_method";
  type: string;
  card?: { brand: string; last4: string; exp_month: number; exp_year: number; country: string | null; funding: string };
  sepa_debit?: { bank_code: string | null; country: string | null; last4: string | null };
  us_bank_account?: { account_type: string | null; bank_name: string | null; last4: string | null; routing_number: string | null };
  ideal?: { bank: string | null; bic: string | null };
  billing_details?: unknown;
  created?: number;
  livemode?: boolean;
}

export type Envelope<T> = T & { channel: typeof CHANNEL; frameId: string };

export function isEnvelope(data: unknown, frameId: string): data is Envelope<{ type: string }> {
  if (typeof data !== "object" || data === null) return false;
  const record = data as Record<string, unknown>;
  return record.channel === CHANNEL && record.frameId === frameId && typeof record.type === "string";
}
