// What the pricing engine reads and what it answers. Every amount is an integer in the shop's currency's minor
// unit (lib/money.ts); every rate is in basis points (1900 = 19%). Amounts a shop enters (unit prices, fixed codes,
// shipping rates, thresholds) are gross when `pricesIncludeTax` is set and net otherwise.
import type { Failure } from "@/lib/result";

export type TaxClass = "standard" | "reduced" | "zero";

/** One cart line as the engine prices it: the variant's current unit price and what tax, codes and weight need. */
export type CartLine = {
  variantId: string;
  productId: string;
  categoryId: string | null;
  unitPrice: number;
  quantity: number;
  taxClass: TaxClass;
  weightGrams: number;
};

/** Where the order goes: an ISO 3166-1 country and, where taxes differ by it, the region (a US state: "CA"). */
export type Destination = { country: string; region: string | null };

/** The shop's one currency, and whether the prices it enters include tax. */
export type ShopPricingSettings = { currency: string; pricesIncludeTax: boolean };

/** A weight bracket: up to and including `upToGrams` (null: no upper limit) the rate costs `amount`. */
export type WeightBracket = { upToGrams: number | null; amount: number };

/** A way to ship within a zone; `freeFrom` makes it free at or above that discounted subtotal. */
export type ShippingRate = { id: string; name: string; freeFrom: number | null } & (
  { kind: "flat"; amount: number } | { kind: "weight"; brackets: WeightBracket[] }
);

/** Countries that share shipping rates; `taxShipping` says whether shipping to them is taxed. */
export type ShippingZone = { id: string; name: string; countries: string[]; taxShipping: boolean; rates: ShippingRate[] };

/** A tax rate for a country, or for one of its regions (which then replaces the country's rate for that class). */
export type TaxRate = {
  name: string;
  country: string;
  region: string | null;
  taxClass: Exclude<TaxClass, "zero">;
  rate: number;
};

/** A discount code as the shop defines it; usage limits are checked where uses are counted, not here. */
export type DiscountCode = {
  code: string;
  /** percentage: `value` in basis points of the eligible subtotal; fixed: `value` in minor units. */
  kind: "percentage" | "fixed";
  value: number;
  /** Measured on the order's subtotal before any discount. */
  minimumSubtotal: number | null;
  startsAt: Date | null;
  /** The first moment the code no longer applies. */
  endsAt: Date | null;
  /** Null: every line is eligible; otherwise lines of these products or in these categories. */
  appliesTo: { productIds: string[]; categoryIds: string[] } | null;
};

export type PricingInput = {
  settings: ShopPricingSettings;
  lines: CartLine[];
  destination: Destination;
  zones: ShippingZone[];
  taxRates: TaxRate[];
  shippingRateId: string;
  discountCode: DiscountCode | null;
  now: Date;
};

/** A priced line: `lineSubtotal` and `discount` as entered (gross or net); `total` includes its tax either way. */
export type PricedLine = CartLine & { lineSubtotal: number; discount: number; taxRate: number; tax: number; total: number };

/** Tax of one rate over the whole order (its lines and, where taxed, shipping). */
export type TaxLine = { name: string; rate: number; amount: number };

/** A rate the destination is offered, with its price for this order. */
export type OfferedRate = { rateId: string; name: string; amount: number };

/**
 * An order's prices. `total` is the sum of the lines' totals and shipping with its tax, so it always equals what
 * the lines show; `tax` is the sum of the lines' and shipping's taxes, and of `taxLines`.
 */
export type PricedOrder = {
  ok: true;
  currency: string;
  pricesIncludeTax: boolean;
  lines: PricedLine[];
  subtotal: number;
  discount: number;
  discountCode: string | null;
  /** `amount` as entered (gross or net, like the prices); `tax` is inside it when prices include tax. */
  shipping: { rateId: string; name: string; amount: number; tax: number };
  tax: number;
  taxLines: TaxLine[];
  total: number;
};

/** Why a code does not apply to this order. */
export type CodeRefusalReason = "not_started" | "expired" | "minimum_not_met" | "no_eligible_items";

/** Why an order cannot be priced as asked; `code` is for code, `error` for people. */
export type PricingRefusal =
  Failure<"no_zone_for_country"> | Failure<"rate_not_offered"> | (Failure<"code_not_applicable"> & { reason: CodeRefusalReason });
