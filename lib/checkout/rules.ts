// Checkout's rules as pure functions: what the shopper must enter, what the order costs, whether the shelf
// can cover it, and what the order and its PaymentIntent carry. No database, no Stripe, no "server-only":
// lib/checkout/rules.test.ts runs them alone, and the checkout form imports its types from here.
import { z } from "zod";
import { COUNTRY_CODES, countryName, isUsState } from "@/lib/countries";
import { variantName } from "@/lib/variant-name";
import { multiply, sum } from "@/lib/money";
import type { ChargeableOrder } from "@/lib/payments/charge";
import type { FoundDiscountCode, PricingConfig } from "@/lib/pricing/config";
import { priceOrder as engine, ratesFor } from "@/lib/pricing/engine";
import type { OrderTotals } from "@/lib/pricing/receipt";
import type { CartLine as EngineLine, Destination, OfferedRate, PricingRefusal, TaxLine } from "@/lib/pricing/types";
import { fail, type CheckoutErrorCode, type Failure } from "@/lib/result";
import { shippingAddressOf, type ShippingColumns } from "@/lib/shipping-address";

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

/** A discount code as typed, in any letter case (kept in capitals); "" or absent for none. */
const typedCode = z
  .string()
  .trim()
  .max(32, "That code is not valid")
  .optional()
  .transform((v) => (v ? v.toUpperCase() : null));

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
    country: z.enum(COUNTRY_CODES, { error: "Choose a country" }),
    /**
     * A shipping rate's id, one of those offered for the destination: checked when the order is priced, after the
     * country (a country we do not ship to offers no rate, and is what the shopper must hear about).
     */
    shippingMethod: z.string().trim().max(64, "Choose a shipping method").default(""),
    discountCode: typedCode,
  })
  .superRefine((value, ctx) => {
    if (value.country !== "US") return;
    // US ZIP codes are checked for shape: a typo here means a parcel that never arrives.
    if (!/^\d{5}(-\d{4})?$/.test(value.postalCode)) {
      ctx.addIssue({ code: "custom", path: ["postalCode"], message: "Enter a 5-digit ZIP code" });
    }
    // Sales tax goes by state, so a US address needs one the shop can tax by.
    if (!value.state || !isUsState(value.state.toUpperCase())) {
      ctx.addIssue({ code: "custom", path: ["state"], message: "Choose a state" });
    }
  })
  .transform((value) => (value.country === "US" && value.state ? { ...value, state: value.state.toUpperCase() } : value));
export type CheckoutInput = z.infer<typeof checkoutInput>;

/** What a quote needs (quoteCheckout): the destination, the rate and the code, each possibly not chosen yet. */
export const quoteInput = z.object({
  /** As typed so far: a code's per-email limit is checked against it when it is an address. */
  email: z.string().trim().max(254).optional(),
  country: z.enum(COUNTRY_CODES, { error: "Choose a country" }),
  state: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((v) => (v ? v.toUpperCase() : null)),
  shippingMethod: z.string().trim().max(64).default(""),
  discountCode: typedCode,
});
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

/** A refused checkout step; `fieldErrors` puts the reason beside the fields it is about. */
export type CheckoutFailure = Failure<CheckoutErrorCode> & { fieldErrors?: FieldErrors };

export const cartEmpty = (): CheckoutFailure => fail("cart_empty", "Your cart is empty");

// ------------------------------------------------------------------------------------------- pricing

/**
 * A cart line as checkout prices it: its variant with the product's name, the variant's options as text and
 * its current price (the variant's own, else the product's), what tax, codes and shipping need, and why it
 * cannot be sold (or null).
 */
export type CartLineToPrice = EngineLine & {
  name: string;
  options: string;
  currency: string;
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
  /** unit price × quantity, as entered; `discount` is its share of the code's, `tax` its tax. */
  lineTotal: number;
  discount: number;
  tax: number;
};

/** What checkout prices an order with: the shop's pricing configuration and the code the shopper typed. */
export type PricingContext = {
  config: PricingConfig;
  /** The code as found in the database, null when none was typed (an unknown code is refused before pricing). */
  code: FoundDiscountCode | null;
  now: Date;
};

export type PricedOrder = {
  ok: true;
  lines: OrderSummaryLine[];
  currency: string;
  subtotal: number;
  discount: number;
  discountCode: string | null;
  discountCodeId: string | null;
  shippingRateId: string;
  shippingName: string;
  shippingCost: number;
  shippingTax: number;
  pricesIncludeTax: boolean;
  tax: number;
  taxLines: TaxLine[];
  total: number;
  /** The rates this destination is offered for this order, with their prices now. */
  rates: OfferedRate[];
};

/** Where the order goes, as the pricing engine reads it: US addresses are taxed by state. */
export function destinationOf(country: string, state: string | null | undefined): Destination {
  return { country, region: country === "US" && state ? state.trim().toUpperCase() : null };
}

/**
 * The order's lines and totals from the cart's current prices, the destination, the shipping rate and the code
 * (lib/pricing/engine.ts); refused if a line cannot be bought, the country is not shipped to, the rate is not
 * offered or the code does not apply. With `fallbackRate`, a rate the destination is not offered gives way to
 * its first (a quote while the shopper picks a country); without, it is refused (the order itself).
 */
export function priceOrder(
  cart: CartLineToPrice[],
  destination: Destination,
  shippingRateId: string,
  context: PricingContext,
  options: { fallbackRate?: boolean } = {},
): PricedOrder | CheckoutFailure {
  const first = cart[0];
  if (!first) return cartEmpty();
  const blocked = cart.find((line) => line.problem);
  if (blocked) return fail("unavailable", `${blocked.problem}. Remove it from your cart to continue.`);
  const { settings, zones, taxRates } = context.config;
  const weight = sum(...cart.map((line) => multiply(line.weightGrams, line.quantity)));
  const subtotal = sum(...cart.map((line) => multiply(line.unitPrice, line.quantity)));
  const offered = ratesFor(destination, zones, subtotal, weight);
  if (!offered.ok) return notShipped(destination.country);
  if (offered.rates.length === 0) return noRateFits(destination.country);
  const rateId =
    options.fallbackRate && !offered.rates.some((rate) => rate.rateId === shippingRateId) ? offered.rates[0]!.rateId : shippingRateId;
  const priced = engine({
    settings,
    lines: cart,
    destination,
    zones,
    taxRates,
    shippingRateId: rateId,
    discountCode: context.code,
    now: context.now,
  });
  if (!priced.ok) return pricingRefusal(priced, destination.country);
  const rates = ratesFor(destination, zones, priced.subtotal - priced.discount, weight);
  return {
    ok: true,
    lines: priced.lines.map((line, index) => {
      const { name, options: variantOptions } = cart[index]!;
      const { productId, variantId, unitPrice, quantity, lineSubtotal, discount, tax } = line;
      return { productId, variantId, name, options: variantOptions, unitPrice, quantity, lineTotal: lineSubtotal, discount, tax };
    }),
    currency: priced.currency,
    subtotal: priced.subtotal,
    discount: priced.discount,
    discountCode: priced.discountCode,
    discountCodeId: context.code?.id ?? null,
    shippingRateId: priced.shipping.rateId,
    shippingName: priced.shipping.name,
    shippingCost: priced.shipping.amount,
    shippingTax: priced.shipping.tax,
    pricesIncludeTax: priced.pricesIncludeTax,
    tax: priced.tax,
    taxLines: priced.taxLines,
    total: priced.total,
    rates: rates.ok ? rates.rates : [],
  };
}

const notShipped = (country: string): CheckoutFailure =>
  fail("not_shipped", `Sorry, we do not ship to ${countryName(country)}.`, {
    fieldErrors: { country: `We do not ship to ${countryName(country)}` },
  });

const noRateFits = (country: string): CheckoutFailure =>
  fail("not_shipped", `None of our shipping rates to ${countryName(country)} can carry this order. Please contact us.`, {
    fieldErrors: { shippingMethod: "No shipping rate can carry this order" },
  });

/** The engine's refusal as the checkout form shows it: beside the field it is about. */
function pricingRefusal(refusal: PricingRefusal, country: string): CheckoutFailure {
  switch (refusal.code) {
    case "no_zone_for_country":
      return notShipped(country);
    case "rate_not_offered":
      return fail("invalid_fields", "Please correct the highlighted fields", {
        fieldErrors: { shippingMethod: "Choose one of the shipping methods offered for this address" },
      });
    case "code_not_applicable":
      return codeRefused(refusal.error);
  }
}

/** A code that cannot be used on this order: said beside the code field; the order itself is fine without it. */
export const codeRefused = (message: string): CheckoutFailure =>
  fail("code_not_applicable", message, { fieldErrors: { discountCode: message } });

/** Whether two pricings are the same order: same lines, names, prices and totals. */
export function samePrice(a: PricedOrder, b: PricedOrder): boolean {
  // Both come from priceOrder, so their keys are in the same order.
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The totals block's figures (lib/pricing/receipt.ts) of a priced order. */
export function totalsOf(priced: PricedOrder): OrderTotals {
  const { currency, pricesIncludeTax, subtotal, discount, discountCode, shippingName, shippingCost, tax, taxLines, total } = priced;
  return { currency, pricesIncludeTax, subtotal, discount, discountCode, shippingName, shippingCost, tax, taxLines, total };
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

/** The order columns a checkout sets: contact, shipping address and rate, and the prices. */
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
    shippingMethod: priced.shippingName,
    shippingRateId: priced.shippingRateId,
    currency: priced.currency,
    subtotal: priced.subtotal,
    discount: priced.discount,
    discountCode: priced.discountCode,
    shippingCost: priced.shippingCost,
    shippingTax: priced.shippingTax,
    pricesIncludeTax: priced.pricesIncludeTax,
    tax: priced.tax,
    taxLines: priced.taxLines,
    total: priced.total,
  };
}
export type OrderColumns = ReturnType<typeof orderColumns>;

/** The details a stored order was checked out with, as the form sends them (re-checking re-runs checkout with them). */
export function detailsOf(
  order: ShippingColumns & { email: string; shippingRateId: string | null; discountCode: string | null },
): Record<CheckoutField, string | undefined> {
  return {
    email: order.email,
    name: order.shippingName,
    line1: order.shippingLine1,
    line2: order.shippingLine2 ?? undefined,
    city: order.shippingCity,
    state: order.shippingState ?? undefined,
    postalCode: order.shippingPostalCode,
    country: order.shippingCountry,
    shippingMethod: order.shippingRateId ?? undefined,
    discountCode: order.discountCode ?? undefined,
  };
}

/** What the order's PaymentIntent must charge, from the order's identity and columns. */
export function chargeableOrder(
  order: { id: string; number: string; cartId: string } & Pick<
    OrderColumns,
    | "email"
    | "total"
    | "currency"
    | "discountCode"
    | "shippingName"
    | "shippingLine1"
    | "shippingLine2"
    | "shippingCity"
    | "shippingState"
    | "shippingPostalCode"
    | "shippingCountry"
  >,
): ChargeableOrder {
  return {
    id: order.id,
    number: order.number,
    cartId: order.cartId,
    email: order.email,
    total: order.total,
    currency: order.currency,
    discountCode: order.discountCode,
    shipping: shippingAddressOf(order),
  };
}

/** What the checkout page shows of a priced order: its lines, the totals block, and the rates offered. */
export type OrderSummary = {
  orderId: string;
  orderNumber: string;
  lines: OrderSummaryLine[];
  totals: OrderTotals;
  total: number;
  currency: string;
  shippingRateId: string;
  rates: OfferedRate[];
};

export function summaryOf(order: { id: string; number: string }, priced: PricedOrder): OrderSummary {
  return {
    orderId: order.id,
    orderNumber: order.number,
    lines: priced.lines,
    totals: totalsOf(priced),
    total: priced.total,
    currency: priced.currency,
    shippingRateId: priced.shippingRateId,
    rates: priced.rates,
  };
}
