import type Stripe from "stripe";
import type { ShippingAddress } from "@/lib/shipping-address";

// What a PaymentIntent must carry to charge for an order, and whether an existing intent still does. Pure
// (Stripe's types and the address shape only), so lib/payments/charge.test.ts checks it without Stripe.

/** The order as the payments module needs it to charge for it. */
export type ChargeableOrder = {
  id: string;
  number: string;
  cartId: string;
  email: string;
  total: number;
  currency: string;
  /** The discount code the total includes, recorded in the intent's metadata; null without one. */
  discountCode: string | null;
  shipping: ShippingAddress;
};

function statementSuffix(orderNumber: string): string {
  // Stripe: Latin letters/digits, at least one letter, none of < > \ ' " *, prefix + suffix within 22.
  return orderNumber.replace(/[^A-Za-z0-9]/g, "").slice(0, 12);
}

/** Every intent field the shop sets from the order; an update sends all of them. */
export function intentParams(order: ChargeableOrder) {
  return {
    amount: order.total,
    currency: order.currency,
    description: `Order ${order.number}`,
    receipt_email: order.email,
    // discount_code "" removes the key at Stripe when a code is taken off.
    metadata: { order_id: order.id, order_number: order.number, cart_id: order.cartId, discount_code: order.discountCode ?? "" },
    shipping: {
      name: order.shipping.name,
      address: {
        line1: order.shipping.line1,
        line2: order.shipping.line2 ?? "",
        city: order.shipping.city,
        state: order.shipping.state ?? "",
        postal_code: order.shipping.postalCode,
        country: order.shipping.country,
      },
    },
    statement_descriptor_suffix: statementSuffix(order.number),
  } satisfies Stripe.PaymentIntentUpdateParams;
}

export type IntentParams = ReturnType<typeof intentParams>;

/** The fields of a PaymentIntent, as Stripe returns them, that intentParams sets. */
export type IntentFields = Pick<
  Stripe.PaymentIntent,
  "amount" | "currency" | "description" | "receipt_email" | "metadata" | "shipping" | "statement_descriptor_suffix"
>;

// Stripe may answer an empty optional string as null.
const same = (actual: string | null | undefined, wanted: string) => (actual ?? "") === wanted;

/**
 * The intent fields that differ from what the order needs (empty: the intent charges exactly this order).
 * Every field intentParams sets is compared, so any change of amount, contact or shipping address reaches Stripe.
 */
export function differingFields(intent: IntentFields, params: IntentParams): string[] {
  const address = intent.shipping?.address;
  const wanted = params.shipping.address;
  const checks: Array<[string, boolean]> = [
    ["amount", intent.amount === params.amount],
    ["currency", intent.currency === params.currency],
    ["description", same(intent.description, params.description)],
    ["receipt_email", same(intent.receipt_email, params.receipt_email)],
    ["statement_descriptor_suffix", same(intent.statement_descriptor_suffix, params.statement_descriptor_suffix)],
    ...Object.entries(params.metadata).map(([key, value]): [string, boolean] => [`metadata.${key}`, same(intent.metadata?.[key], value)]),
    ["shipping.name", same(intent.shipping?.name, params.shipping.name)],
    ...Object.entries(wanted).map(([key, value]): [string, boolean] => [
      `shipping.address.${key}`,
      same(address?.[key as keyof typeof wanted], value),
    ]),
  ];
  return checks.filter(([, ok]) => !ok).map(([field]) => field);
}

/** Whether two orders charge the same: amount, currency, contact, shipping and order identity. */
export function sameCharge(a: ChargeableOrder, b: ChargeableOrder): boolean {
  // Both sides are built by intentParams, so their keys come in the same order.
  return JSON.stringify(intentParams(a)) === JSON.stringify(intentParams(b));
}
