// Checkout's rules as pure functions: what the shopper must enter, what the order costs, whether the shelf
// can cover it, and what the order and its PaymentIntent carry. No database, no Stripe, no "server-only":
// lib/checkout/rules.test.ts runs them alone, and the checkout form imports its types from here.
import { z } from "zod";
import { variantName } from "@/lib/variant-name";
import { multiply, sum } from "@/lib/money";
import type { ChargeableOrder } from "@/lib/payments/charge";
import { fail, type CheckoutErrorCode, type Failure } from "@/lib/result";
import { SHIPPING_METHOD_IDS, shippingCost, type ShippingMethodId } from "@/lib/shipping";

export const COUNTRIES = {
  US: "United States",
  CA: "Canada",
  GB: "United Kingdom",
  DE: "Germany",
  FR: "France",
  NL: "Netherlands",
  AU: "Australia",
} as const;
type CountryCode = keyof typeof COUNTRIES;

const text = (label: string, max: number) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} is too long (at most ${max} characters)`);
const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label} is too long (at most ${max} characters)`)
    .optional()
    .transform((v) => (v ? v : null));

export const checkoutInput = z
  .object({
    email: z
      .string({ error: "Email is required" })
      .trim()
      .min(1, "Email is required")
      .max(254, "Email is too long")
      .email("Enter a valid email address"),
    name: text("Full name", 100),
    line1: text("Address", 200),
    line2: optionalText("Address line 2", 200),
    city: text("City", 100),
    state: optionalText("State or region", 100),
    postalCode: text("Postal code", 20),
    country: z.enum(Object.keys(COUNTRIES) as [CountryCode, ...CountryCode[]], { error: "Choose a country we ship to" }),
    shippingMethod: z.enum(SHIPPING_METHOD_IDS, { error: "Choose a shipping method" }),
  })
  .superRefine((value, ctx) => {
    // US ZIP codes are checked for shape: a typo here means a parcel that never arrives.
    if (value.country === "US" && !/^\d{5}(-\d{4})?$/.test(value.postalCode)) {
      ctx.addIssue({ code: "custom", path: ["postalCode"], message: "Enter a 5-digit ZIP code" });
    }
  });
export type CheckoutInput = z.infer<typeof checkoutInput>;
export type CheckoutField = keyof CheckoutInput;
export type FieldErrors = Partial<Record<CheckoutField, string>>;

/** The first message per field, for the form to show beside it. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path[0] as CheckoutField | undefined;
    if (field && !errors[field]) errors[field] = issue.message;
  }
  return errors;
}

export type CheckoutFailure = Failure<CheckoutErrorCode>;

export const cartEmpty = (): CheckoutFailure => fail("cart_empty", "Your cart is empty");

// ------------------------------------------------------------------------------------------- pricing

/**
 * A cart line as checkout prices it: its variant with the product's name, the variant's options as text and
 * its current price (the variant's own, else the product's), and why it cannot be sold (or null).
 */
export type CartLineToPrice = {
  productId: string;
  variantId: string;
  name: string;
  options: string;
  unitPrice: number;
  currency: string;
  quantity: number;
  problem: string | null;
};

export type OrderSummaryLine = {
  productId: string;
  variantId: string;
  /** The product's name; `options` says which variant ("" without options). */
  name: string;
  options: string;
  unitPrice: number;
  quantity: number;
  lineTotal: number;
};

export type PricedOrder = {
  ok: true;
  lines: OrderSummaryLine[];
  currency: string;
  subtotal: number;
  shippingCost: number;
  tax: number;
  total: number;
};

/** The order's lines and totals from the cart's current prices; refused if a line cannot be bought. */
export function priceOrder(cart: CartLineToPrice[], shippingMethod: ShippingMethodId): PricedOrder | CheckoutFailure {
  const first = cart[0];
  if (!first) return cartEmpty();
  const blocked = cart.find((line) => line.problem);
  if (blocked) return fail("unavailable", `${blocked.problem}. Remove it from your cart to continue.`);
  const lines = cart.map(({ productId, variantId, name, options, unitPrice, quantity }) => ({
    productId,
    variantId,
    name,
    options,
    unitPrice,
    quantity,
    lineTotal: multiply(unitPrice, quantity),
  }));
  const subtotal = sum(...lines.map((line) => line.lineTotal));
  const shipping = shippingCost(shippingMethod, subtotal);
  const tax = 0;
  return { ok: true, lines, currency: first.currency, subtotal, shippingCost: shipping, tax, total: sum(subtotal, shipping, tax) };
}

/** Whether two pricings are the same order: same lines, names, prices and totals. */
export function samePrice(a: PricedOrder, b: PricedOrder): boolean {
  // Both come from priceOrder, so their keys are in the same order.
  return JSON.stringify(a) === JSON.stringify(b);
}

// --------------------------------------------------------------------------------------------- stock

/** Not enough on the shelf for a line: sold out, or only `available` left. */
export function outOfStock(name: string, available: number): CheckoutFailure {
  return available > 0 ? fail("insufficient_stock", `Only ${available} of ${name} left in stock`) : fail("sold_out", `${name} is sold out`);
}

/**
 * The first line the shelf cannot cover, counting units this order already holds as its own; null when all
 * fit. The shelf and the held units are per variant (an inactive product makes its variants inactive). A check on an unlocked read, made before Stripe is asked to charge more: the reservation itself
 * (lib/inventory, under row locks) has the final word.
 */
export function stockShortfall(
  lines: Array<{ variantId: string; name: string; options: string; quantity: number }>,
  shelf: ReadonlyMap<string, { stock: number; active: boolean }>,
  held: ReadonlyMap<string, number>,
): CheckoutFailure | null {
  for (const line of lines) {
    const variant = shelf.get(line.variantId);
    const available = variant?.active ? variant.stock + (held.get(line.variantId) ?? 0) : 0;
    if (line.quantity > available) return outOfStock(variantName(line.name, line.options), available);
  }
  return null;
}

// ---------------------------------------------------------------------------------- order and charge

/** The order columns a checkout sets: contact, shipping address and method, and the prices. */
export function orderColumns(input: CheckoutInput, priced: PricedOrder) {
  return {
    email: input.email,
    shippingName: input.name,
    shippingLine1: input.line1,
    shippingLine2: input.line2,
    shippingCity: input.city,
    shippingState: input.state,
    shippingPostalCode: input.postalCode,
    shippingCountry: input.country as string,
    shippingMethod: input.shippingMethod as string,
    currency: priced.currency,
    subtotal: priced.subtotal,
    shippingCost: priced.shippingCost,
    tax: priced.tax,
    total: priced.total,
  };
}
export type OrderColumns = ReturnType<typeof orderColumns>;

/** The details a stored order was checked out with, as the form sends them (re-checking re-runs checkout with them). */
export function detailsOf(order: OrderColumns): Record<CheckoutField, string | undefined> {
  return {
    email: order.email,
    name: order.shippingName,
    line1: order.shippingLine1,
    line2: order.shippingLine2 ?? undefined,
    city: order.shippingCity,
    state: order.shippingState ?? undefined,
    postalCode: order.shippingPostalCode,
    country: order.shippingCountry,
    shippingMethod: order.shippingMethod,
  };
}

/** What the order's PaymentIntent must charge, from the order's identity and columns. */
export function chargeableOrder(order: { id: string; number: string; cartId: string } & OrderColumns): ChargeableOrder {
  return {
    id: order.id,
    number: order.number,
    cartId: order.cartId,
    email: order.email,
    total: order.total,
    currency: order.currency,
    shipping: {
      name: order.shippingName,
      line1: order.shippingLine1,
      line2: order.shippingLine2,
      city: order.shippingCity,
      state: order.shippingState,
      postalCode: order.shippingPostalCode,
      country: order.shippingCountry,
    },
  };
}

export type OrderSummary = {
  orderId: string;
  orderNumber: string;
  lines: OrderSummaryLine[];
  subtotal: number;
  shippingCost: number;
  tax: number;
  total: number;
  currency: string;
};

export function summaryOf(order: { id: string; number: string }, priced: PricedOrder): OrderSummary {
  const { lines, subtotal, shippingCost: shipping, tax, total, currency } = priced;
  return { orderId: order.id, orderNumber: order.number, lines, subtotal, shippingCost: shipping, tax, total, currency };
}
