// The pricing engine: an order's lines, discount, shipping, taxes and total from the cart, the destination, the
// chosen shipping rate and the code. Pure: no database, no clock (the caller passes `now`), no floats in results.
//
// Rounding rules, in the order they apply:
// 1. A line's subtotal is unit price × quantity, exact.
// 2. A code's discount is computed once on the eligible subtotal (a percentage rounds half away from zero; a fixed
//    amount is capped at the eligible subtotal, so no line goes below zero), then allocated across the eligible
//    lines in proportion to their subtotals, each part rounded down; the parts' remainder goes to the largest line
//    (the first of equals), so the parts sum to the discount exactly.
// 3. Tax is computed per line, on the line's subtotal after its discount, and rounded half away from zero per
//    line. Rounding the order's tax once instead can differ by a few minor units from the sum of the lines'
//    taxes; per line, every line shows a tax that is really its own and the order's total is the sum of its
//    lines' totals and shipping, whatever document (receipt, refund of one line, admin) adds them up.
//    Net prices add tax: net × rate / 10000. Gross prices (pricesIncludeTax) hold it: gross × rate / (10000 + rate).
// 4. Shipping is taxed, where the zone says so, at the destination's standard rate, rounded the same way.
// 5. A free-shipping threshold is measured on the subtotal after the discount (what the shopper pays for goods, as
//    entered: gross or net like the prices), free at or above it.
import { assertMinorUnits, multiply, sum } from "@/lib/money";
import { fail } from "@/lib/result";
import type {
  CartLine,
  CodeRefusalReason,
  Destination,
  DiscountCode,
  OfferedRate,
  PricedLine,
  PricedOrder,
  PricingInput,
  PricingRefusal,
  ShippingRate,
  ShippingZone,
  TaxClass,
  TaxLine,
  TaxRate,
} from "./types";

const BASIS_POINTS = 10_000;

/** a × b / c rounded half away from zero, exact for any safe integers (the product may exceed 2^53). */
function mulDivRound(a: number, b: number, c: number): number {
  const numerator = BigInt(a) * BigInt(b);
  const divisor = BigInt(c);
  const quotient = numerator / divisor;
  const remainder = numerator % divisor;
  const magnitude = remainder < 0n ? -remainder : remainder;
  const away = 2n * magnitude >= divisor ? (numerator < 0n ? -1n : 1n) : 0n;
  return assertMinorUnits(Number(quotient + away));
}

/** a × b / c rounded down, for non-negative integers. */
function mulDivFloor(a: number, b: number, c: number): number {
  return assertMinorUnits(Number((BigInt(a) * BigInt(b)) / BigInt(c)));
}

function assertBasisPoints(rate: number): number {
  if (!Number.isInteger(rate) || rate < 0 || rate > BASIS_POINTS) throw new RangeError(`A rate must be 0–10000 basis points, got ${rate}`);
  return rate;
}

// ------------------------------------------------------------------------------------------ shipping

/** The zone that ships to the country: the first that lists it. */
function zoneFor(country: string, zones: ShippingZone[]): ShippingZone | undefined {
  return zones.find((zone) => zone.countries.includes(country));
}

const noZone = (country: string): PricingRefusal => fail("no_zone_for_country", `We do not ship to ${country}`);

/** A rate's price for this order, or null when the order is heavier than its last bracket. */
function rateAmount(rate: ShippingRate, discountedSubtotal: number, weightGrams: number): number | null {
  let amount: number;
  if (rate.kind === "flat") {
    amount = rate.amount;
  } else {
    const bracket = [...rate.brackets]
      .sort((a, b) => (a.upToGrams ?? Infinity) - (b.upToGrams ?? Infinity))
      .find((candidate) => candidate.upToGrams === null || weightGrams <= candidate.upToGrams);
    if (!bracket) return null;
    amount = bracket.amount;
  }
  // The weight limit holds even when the rate is free: a free rate still has to carry the parcel.
  return rate.freeFrom !== null && discountedSubtotal >= rate.freeFrom ? 0 : assertMinorUnits(amount);
}

/**
 * The rates the destination is offered for an order of this discounted subtotal (see rule 5) and weight, with their
 * prices; refused when no zone ships to the country.
 */
export function ratesFor(
  destination: Destination,
  zones: ShippingZone[],
  discountedSubtotal: number,
  weightGrams: number,
): { ok: true; zone: ShippingZone; rates: OfferedRate[] } | PricingRefusal {
  const zone = zoneFor(destination.country, zones);
  if (!zone) return noZone(destination.country);
  const rates: OfferedRate[] = [];
  for (const rate of zone.rates) {
    const amount = rateAmount(rate, discountedSubtotal, weightGrams);
    if (amount !== null) rates.push({ rateId: rate.id, name: rate.name, amount });
  }
  return { ok: true, zone, rates };
}

// ------------------------------------------------------------------------------------------ discount

const codeRefusal = (reason: CodeRefusalReason, error: string): PricingRefusal => fail("code_not_applicable", error, { reason });

function isEligible(line: CartLine, code: DiscountCode): boolean {
  if (!code.appliesTo) return true;
  const { productIds, categoryIds } = code.appliesTo;
  return productIds.includes(line.productId) || (line.categoryId !== null && categoryIds.includes(line.categoryId));
}

/** Splits `amount` across `weights` in proportion, parts rounded down and the remainder on the largest weight. */
function allocate(amount: number, weights: number[]): number[] {
  const whole = sum(...weights);
  if (whole === 0) return weights.map(() => 0);
  const parts = weights.map((weight) => mulDivFloor(amount, weight, whole));
  let remainder = amount - sum(...parts);
  // Largest first; with amount ≤ whole the largest line almost always has room, the next ones take any excess.
  const byWeight = weights.map((weight, index) => ({ weight, index })).sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { weight, index } of byWeight) {
    if (remainder === 0) break;
    const share = Math.min(weight - parts[index]!, remainder);
    parts[index] = parts[index]! + share;
    remainder -= share;
  }
  return parts;
}

/** Each line's discount under the code (all zeros without one), or why the code does not apply. */
function discountsFor(lines: CartLine[], lineSubtotals: number[], code: DiscountCode | null, now: Date): number[] | PricingRefusal {
  if (!code) return lines.map(() => 0);
  if (code.startsAt && now < code.startsAt) return codeRefusal("not_started", `The code ${code.code} is not valid yet`);
  if (code.endsAt && now >= code.endsAt) return codeRefusal("expired", `The code ${code.code} has expired`);
  const subtotal = sum(...lineSubtotals);
  if (code.minimumSubtotal !== null && subtotal < code.minimumSubtotal) {
    return codeRefusal("minimum_not_met", `The code ${code.code} needs a larger order`);
  }
  const eligible = lineSubtotals.map((lineSubtotal, index) => (isEligible(lines[index]!, code) ? lineSubtotal : 0));
  const eligibleSubtotal = sum(...eligible);
  if (eligibleSubtotal === 0) return codeRefusal("no_eligible_items", `The code ${code.code} does not apply to anything in your cart`);
  const amount =
    code.kind === "percentage"
      ? mulDivRound(eligibleSubtotal, assertBasisPoints(code.value), BASIS_POINTS)
      : Math.min(assertMinorUnits(code.value), eligibleSubtotal);
  return allocate(amount, eligible);
}

// ----------------------------------------------------------------------------------------------- tax

/** The rate for a class at the destination: the region's over the country's; reduced falls back to standard. */
function taxRateFor(destination: Destination, taxRates: TaxRate[], taxClass: TaxClass): TaxRate | null {
  if (taxClass === "zero") return null;
  const find = (cls: TaxRate["taxClass"]) =>
    taxRates.find((r) => r.country === destination.country && r.taxClass === cls && r.region !== null && r.region === destination.region) ??
    taxRates.find((r) => r.country === destination.country && r.taxClass === cls && r.region === null) ??
    null;
  // A class the destination has no rate for is taxed at the standard rate: under-collected tax is the shop's debt.
  return find(taxClass) ?? (taxClass === "reduced" ? find("standard") : null);
}

/** Tax on an amount at a rate: added to a net amount, extracted from a gross one; rounded half away from zero. */
function taxOn(amount: number, rate: number, gross: boolean): number {
  return mulDivRound(amount, assertBasisPoints(rate), gross ? BASIS_POINTS + rate : BASIS_POINTS);
}

// ---------------------------------------------------------------------------------------------- order

/** The order's prices, or why it cannot be priced as asked (country not shipped to, rate not offered, code). */
export function priceOrder(input: PricingInput): PricedOrder | PricingRefusal {
  const { settings, lines, destination, zones, taxRates, shippingRateId, discountCode, now } = input;
  const gross = settings.pricesIncludeTax;
  if (!zoneFor(destination.country, zones)) return noZone(destination.country);

  const lineSubtotals = lines.map((line) => multiply(line.unitPrice, line.quantity));
  const discounts = discountsFor(lines, lineSubtotals, discountCode, now);
  if (!Array.isArray(discounts)) return discounts;
  const subtotal = sum(...lineSubtotals);
  const discount = sum(...discounts);

  const weight = sum(...lines.map((line) => multiply(line.weightGrams, line.quantity)));
  const offered = ratesFor(destination, zones, subtotal - discount, weight);
  if (!offered.ok) return offered;
  const rate = offered.rates.find((candidate) => candidate.rateId === shippingRateId);
  if (!rate) return fail("rate_not_offered", "That shipping rate is not available for this address and order");

  const taxLines = new Map<string, TaxLine>();
  const addTax = (taxRate: TaxRate | null, amount: number) => {
    if (!taxRate || taxRate.rate === 0) return;
    const key = `${taxRate.name}|${taxRate.rate}`;
    const line = taxLines.get(key) ?? { name: taxRate.name, rate: taxRate.rate, amount: 0 };
    taxLines.set(key, { ...line, amount: sum(line.amount, amount) });
  };

  const pricedLines: PricedLine[] = lines.map((line, index) => {
    const lineSubtotal = lineSubtotals[index]!;
    const lineDiscount = discounts[index]!;
    const taxable = lineSubtotal - lineDiscount;
    const taxRate = taxRateFor(destination, taxRates, line.taxClass);
    const tax = taxRate ? taxOn(taxable, taxRate.rate, gross) : 0;
    addTax(taxRate, tax);
    const total = gross ? taxable : sum(taxable, tax);
    return { ...line, lineSubtotal, discount: lineDiscount, taxRate: taxRate?.rate ?? 0, tax, total };
  });

  const shippingTaxRate = offered.zone.taxShipping ? taxRateFor(destination, taxRates, "standard") : null;
  const shippingTax = shippingTaxRate ? taxOn(rate.amount, shippingTaxRate.rate, gross) : 0;
  addTax(shippingTaxRate, shippingTax);

  const shippingTotal = gross ? rate.amount : sum(rate.amount, shippingTax);
  return {
    ok: true,
    currency: settings.currency,
    pricesIncludeTax: gross,
    lines: pricedLines,
    subtotal,
    discount,
    discountCode: discountCode?.code ?? null,
    shipping: { rateId: rate.rateId, name: rate.name, amount: rate.amount, tax: shippingTax },
    tax: sum(...pricedLines.map((line) => line.tax), shippingTax),
    taxLines: [...taxLines.values()],
    total: sum(...pricedLines.map((line) => line.total), shippingTotal),
  };
}
