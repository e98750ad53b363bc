import { describe, expect, it } from "vitest";
import { sum, toDecimalString } from "@/lib/money";
import { priceOrder, ratesFor } from "./engine";
import type { CartLine, DiscountCode, PricedOrder, PricingInput, ShippingZone, TaxRate } from "./types";

const NOW = new Date("2025-06-15T12:00:00Z");
const CALIFORNIA = { country: "US", region: "CA" };
const GERMANY = { country: "DE", region: null };

const usZone: ShippingZone = {
  id: "us",
  name: "United States",
  countries: ["US"],
  taxShipping: false,
  rates: [
    { id: "standard", name: "Standard", kind: "flat", amount: 500, freeFrom: 7500 },
    { id: "express", name: "Express", kind: "flat", amount: 1500, freeFrom: null },
    {
      id: "ground",
      name: "Ground",
      kind: "weight",
      freeFrom: null,
      // Out of order on purpose: brackets are read by their limits, not their position.
      brackets: [
        { upToGrams: 1000, amount: 400 },
        { upToGrams: 20000, amount: 2000 },
        { upToGrams: 5000, amount: 900 },
      ],
    },
  ],
};

const euZone = (amount = 490): ShippingZone => ({
  id: "eu",
  name: "European Union",
  countries: ["DE", "FR", "NL"],
  taxShipping: true,
  rates: [{ id: "eu-standard", name: "Standard", kind: "flat", amount, freeFrom: null }],
});

const taxRates: TaxRate[] = [
  { name: "CA sales tax", country: "US", region: "CA", taxClass: "standard", rate: 725 },
  { name: "VAT", country: "DE", region: null, taxClass: "standard", rate: 1900 },
  { name: "VAT (reduced)", country: "DE", region: null, taxClass: "reduced", rate: 700 },
];

function line(variantId: string, unitPrice: number, quantity = 1, extra: Partial<CartLine> = {}): CartLine {
  return {
    variantId,
    productId: `p-${variantId}`,
    categoryId: null,
    unitPrice,
    quantity,
    taxClass: "standard",
    weightGrams: 100,
    ...extra,
  };
}

function code(extra: Partial<DiscountCode>): DiscountCode {
  return { code: "SAVE", kind: "percentage", value: 1000, minimumSubtotal: null, startsAt: null, endsAt: null, appliesTo: null, ...extra };
}

function input(extra: Partial<PricingInput>): PricingInput {
  return {
    settings: { currency: "usd", pricesIncludeTax: false },
    lines: [],
    destination: CALIFORNIA,
    zones: [usZone, euZone()],
    taxRates,
    shippingRateId: "standard",
    discountCode: null,
    now: NOW,
    ...extra,
  };
}

/** Prices the order, expects it priced, and checks that its figures add up the way the engine promises. */
function priced(extra: Partial<PricingInput>): PricedOrder {
  const result = priceOrder(input(extra));
  if (!result.ok) throw new Error(`expected a priced order, got ${result.code}`);
  const { lines, shipping, pricesIncludeTax } = result;
  const shippingTotal = pricesIncludeTax ? shipping.amount : shipping.amount + shipping.tax;
  expect(result.total).toBe(sum(...lines.map((l) => l.total)) + shippingTotal);
  expect(result.tax).toBe(sum(...lines.map((l) => l.tax)) + shipping.tax);
  expect(result.tax).toBe(sum(...result.taxLines.map((t) => t.amount)));
  expect(result.subtotal).toBe(sum(...lines.map((l) => l.lineSubtotal)));
  expect(result.discount).toBe(sum(...lines.map((l) => l.discount)));
  expect(result.total).toBe(result.subtotal - result.discount + shipping.amount + (pricesIncludeTax ? 0 : result.tax));
  for (const l of lines) expect(l.discount).toBeLessThanOrEqual(l.lineSubtotal);
  for (const amount of [result.total, result.tax, shipping.amount, ...lines.map((l) => l.total)]) {
    expect(Number.isSafeInteger(amount) && amount >= 0).toBe(true);
  }
  return result;
}

describe("rounding", () => {
  it.each([
    // 99 × 7.25% = 7.1775 → 7 per line; 297 × 7.25% = 21.5325 → 22 for the order.
    {
      name: "three 0.99 lines at 7.25%",
      destination: CALIFORNIA,
      rate: "standard",
      prices: [99, 99, 99],
      lineTaxes: [7, 7, 7],
      perOrder: 22,
    },
    // 250 × 19% = 47.5 → 48 per line (a half rounds away from zero); 500 × 19% = 95 for the order.
    { name: "two 2.50 lines at 19%", destination: GERMANY, rate: "eu-standard", prices: [250, 250], lineTaxes: [48, 48], perOrder: 95 },
  ])("tax is rounded per line, so the total is the sum of the lines ($name)", ({ destination, rate, prices, lineTaxes, perOrder }) => {
    const order = priced({ destination, shippingRateId: rate, lines: prices.map((price, i) => line(`v${i}`, price)) });
    expect(order.lines.map((l) => l.tax)).toEqual(lineTaxes);
    // Rounding once per order would charge a different tax than the lines show.
    expect(sum(...lineTaxes)).not.toBe(perOrder);
    expect(order.tax - order.shipping.tax).toBe(sum(...lineTaxes));
    expect(order.total).toBe(sum(...order.lines.map((l) => l.total)) + order.shipping.amount + order.shipping.tax);
  });
});

describe("currencies", () => {
  it.each([
    // 5997 × 19% = 1139.43 → 1139; 490 × 19% = 93.1 → 93
    { currency: "usd", unitPrice: 1999, quantity: 3, shipping: 490, lineTax: 1139, shippingTax: 93, total: 7719, shown: "77.19" },
    // whole yen: 4440 × 19% = 843.6 → 844; 800 × 19% = 152
    { currency: "jpy", unitPrice: 1480, quantity: 3, shipping: 800, lineTax: 844, shippingTax: 152, total: 6236, shown: "6236" },
    // fils: 24690 × 19% = 4691.1 → 4691; 2500 × 19% = 475
    { currency: "kwd", unitPrice: 12345, quantity: 2, shipping: 2500, lineTax: 4691, shippingTax: 475, total: 32356, shown: "32.356" },
  ])("$currency rounds to its own minor unit", ({ currency, unitPrice, quantity, shipping, lineTax, shippingTax, total, shown }) => {
    const order = priced({
      settings: { currency, pricesIncludeTax: false },
      destination: GERMANY,
      zones: [euZone(shipping)],
      shippingRateId: "eu-standard",
      lines: [line("a", unitPrice, quantity)],
    });
    expect(order).toMatchObject({ currency, tax: lineTax + shippingTax, total, shipping: { amount: shipping, tax: shippingTax } });
    expect(order.lines[0]?.tax).toBe(lineTax);
    expect(toDecimalString(order.total, currency)).toBe(shown);
  });
});

describe("prices including or excluding tax", () => {
  it.each([
    // net: 999 × 19% = 189.81 → 190 added; shipping 490 × 19% = 93.1 → 93 added
    { pricesIncludeTax: false, unitPrice: 999, lineTax: 190, lineTotal: 1189, shippingTax: 93, total: 1772 },
    { pricesIncludeTax: false, unitPrice: 1000, lineTax: 190, lineTotal: 1190, shippingTax: 93, total: 1773 },
    // gross: 999 × 1900 / 11900 = 159.50… → 160 inside; shipping 490 × 1900 / 11900 = 78.2… → 78 inside
    { pricesIncludeTax: true, unitPrice: 999, lineTax: 160, lineTotal: 999, shippingTax: 78, total: 1489 },
    { pricesIncludeTax: true, unitPrice: 1190, lineTax: 190, lineTotal: 1190, shippingTax: 78, total: 1680 },
  ])(
    "includes tax: $pricesIncludeTax, a $unitPrice line carries $lineTax tax",
    ({ pricesIncludeTax, unitPrice, lineTax, lineTotal, shippingTax, total }) => {
      const order = priced({
        settings: { currency: "eur", pricesIncludeTax },
        destination: GERMANY,
        shippingRateId: "eu-standard",
        lines: [line("a", unitPrice)],
      });
      expect(order.lines[0]).toMatchObject({ lineSubtotal: unitPrice, tax: lineTax, total: lineTotal });
      expect(order).toMatchObject({ pricesIncludeTax, shipping: { amount: 490, tax: shippingTax }, tax: lineTax + shippingTax, total });
    },
  );
});

describe("tax classes and rates", () => {
  it("standard, reduced and zero classes each take their rate, and tax lines sum them per rate", () => {
    const order = priced({
      destination: GERMANY,
      shippingRateId: "eu-standard",
      lines: [line("std", 1000), line("red", 1000, 1, { taxClass: "reduced" }), line("zero", 1000, 1, { taxClass: "zero" })],
    });
    expect(order.lines.map((l) => [l.taxRate, l.tax])).toEqual([
      [1900, 190],
      [700, 70],
      [0, 0],
    ]);
    // Shipping (490 × 19% = 93) joins the standard rate's line.
    expect(order.taxLines).toEqual([
      { name: "VAT", rate: 1900, amount: 283 },
      { name: "VAT (reduced)", rate: 700, amount: 70 },
    ]);
    expect(order.total).toBe(3000 + 260 + 490 + 93);
  });

  it.each([
    // No reduced rate in California: the standard 7.25% applies (1000 × 7.25% = 72.5 → 73).
    { name: "a reduced item where only the standard rate exists", destination: CALIFORNIA, taxClass: "reduced" as const, tax: 73 },
    {
      name: "a region without a rate of its own or its country's",
      destination: { country: "US", region: "NY" },
      taxClass: "standard" as const,
      tax: 0,
    },
  ])("$name", ({ destination, taxClass, tax }) => {
    const order = priced({ destination, lines: [line("a", 1000, 1, { taxClass })] });
    expect(order.lines[0]?.tax).toBe(tax);
  });

  it.each([
    {
      name: "taxed where the zone says so",
      destination: GERMANY,
      rate: "eu-standard",
      shipping: 490,
      shippingTax: 93,
      total: 1000 + 190 + 490 + 93,
    },
    {
      name: "untaxed where it does not",
      destination: CALIFORNIA,
      rate: "express",
      shipping: 1500,
      shippingTax: 0,
      total: 1000 + 73 + 1500,
    },
  ])("shipping is $name", ({ destination, rate, shipping, shippingTax, total }) => {
    const order = priced({ destination, shippingRateId: rate, lines: [line("a", 1000)] });
    expect(order).toMatchObject({ shipping: { rateId: rate, amount: shipping, tax: shippingTax }, total });
  });
});

describe("discount codes", () => {
  // 30.00 of mugs and 2 × 10.00 of tees: a 50.00 subtotal.
  const cart = [
    line("mug", 3000, 1, { productId: "p-mug", categoryId: "mugs" }),
    line("tee", 1000, 2, { productId: "p-tee", categoryId: "tees" }),
  ];

  it.each([
    { name: "10% off everything", discountCode: code({ value: 1000 }), discounts: [300, 200] },
    { name: "7.00 off, shared in proportion", discountCode: code({ kind: "fixed", value: 700 }), discounts: [420, 280] },
    {
      name: "20% off one category",
      discountCode: code({ value: 2000, appliesTo: { productIds: [], categoryIds: ["tees"] } }),
      discounts: [0, 400],
    },
    {
      name: "15% off one product",
      discountCode: code({ value: 1500, appliesTo: { productIds: ["p-mug"], categoryIds: [] } }),
      discounts: [450, 0],
    },
    {
      name: "a fixed code bigger than its category, capped at it",
      discountCode: code({ kind: "fixed", value: 2500, appliesTo: { productIds: [], categoryIds: ["tees"] } }),
      discounts: [0, 2000],
    },
    {
      name: "a fixed code bigger than the subtotal, capped at it",
      discountCode: code({ kind: "fixed", value: 8000 }),
      discounts: [3000, 2000],
    },
  ])("$name", ({ discountCode, discounts }) => {
    const order = priced({ lines: cart, discountCode });
    expect(order.lines.map((l) => l.discount)).toEqual(discounts);
    expect(order.discount).toBe(sum(...discounts));
    expect(order.discountCode).toBe("SAVE");
  });

  it("a code worth more than the order leaves only shipping to pay, and no line below zero", () => {
    const order = priced({ lines: cart, discountCode: code({ kind: "fixed", value: 8000 }) });
    expect(order.lines.map((l) => [l.tax, l.total])).toEqual([
      [0, 0],
      [0, 0],
    ]);
    // The discounted subtotal is 0, below the free-shipping threshold.
    expect(order).toMatchObject({ subtotal: 5000, discount: 5000, tax: 0, shipping: { amount: 500 }, total: 500 });
  });

  it("tax is charged on each line after its discount", () => {
    const order = priced({ lines: cart, discountCode: code({ value: 1000 }) });
    // 2700 × 7.25% = 195.75 → 196; 1800 × 7.25% = 130.5 → 131
    expect(order.lines.map((l) => l.tax)).toEqual([196, 131]);
    expect(order.total).toBe(4500 + 327 + 500);
  });

  it.each([
    // 100 × 1000/7000 = 14.2 → 14, × 2000/7000 = 28.5 → 28, × 4000/7000 = 57.1 → 57; the 1 left goes to the largest line.
    { name: "the remainder goes to the largest line", prices: [1000, 2000, 4000], value: 100, discounts: [14, 28, 58] },
    { name: "equal lines: the first takes the remainder", prices: [1000, 1000, 1000], value: 1000, discounts: [334, 333, 333] },
    { name: "a full line passes the remainder on", prices: [1, 1, 1], value: 2, discounts: [1, 1, 0] },
  ])("a fixed code's parts sum exactly: $name", ({ prices, value, discounts }) => {
    const order = priced({ lines: prices.map((price, i) => line(`v${i}`, price)), discountCode: code({ kind: "fixed", value }) });
    expect(order.lines.map((l) => l.discount)).toEqual(discounts);
    expect(order.discount).toBe(value);
  });

  const later = (ms: number) => new Date(NOW.getTime() + ms);
  it.each([
    { name: "the minimum subtotal is not met", discountCode: code({ minimumSubtotal: 5001 }), reason: "minimum_not_met" },
    { name: "it has not started", discountCode: code({ startsAt: later(1) }), reason: "not_started" },
    { name: "it ended a day ago", discountCode: code({ endsAt: later(-86_400_000) }), reason: "expired" },
    { name: "it ends this very moment", discountCode: code({ endsAt: NOW }), reason: "expired" },
    {
      name: "nothing in the cart is eligible",
      discountCode: code({ appliesTo: { productIds: ["p-poster"], categoryIds: ["posters"] } }),
      reason: "no_eligible_items",
    },
  ])("a code is refused when $name", ({ discountCode, reason }) => {
    expect(priceOrder(input({ lines: cart, discountCode }))).toMatchObject({ ok: false, code: "code_not_applicable", reason });
  });

  it("a code applies at the edges of its minimum and its window", () => {
    const discountCode = code({ minimumSubtotal: 5000, startsAt: NOW, endsAt: later(1) });
    expect(priced({ lines: cart, discountCode }).discount).toBe(500);
  });
});

describe("shipping", () => {
  it.each([
    { name: "just below the threshold", prices: [7499], discountCode: null, shipping: 500 },
    { name: "at the threshold", prices: [7500], discountCode: null, shipping: 0 },
    { name: "above the threshold", prices: [7501], discountCode: null, shipping: 0 },
    {
      name: "above it before the discount, below after (80.00 − 10% = 72.00)",
      prices: [8000],
      discountCode: code({ value: 1000 }),
      shipping: 500,
    },
    { name: "above it after the discount (84.00 − 10% = 75.60)", prices: [8400], discountCode: code({ value: 1000 }), shipping: 0 },
  ])("free shipping is measured on the discounted subtotal: $name", ({ prices, discountCode, shipping }) => {
    const order = priced({ lines: prices.map((price, i) => line(`v${i}`, price)), discountCode });
    expect(order.shipping).toEqual({ rateId: "standard", name: "Standard", amount: shipping, tax: 0 });
  });

  it.each([
    {
      name: "1000 g over two lines",
      lines: [line("a", 100, 2, { weightGrams: 300 }), line("b", 100, 1, { weightGrams: 400 })],
      amount: 400,
    },
    { name: "1001 g", lines: [line("a", 100, 1, { weightGrams: 1001 })], amount: 900 },
    { name: "5000 g", lines: [line("a", 100, 4, { weightGrams: 1250 })], amount: 900 },
    { name: "20000 g", lines: [line("a", 100, 4, { weightGrams: 5000 })], amount: 2000 },
  ])("a weight rate charges the bracket the order falls in: $name", ({ lines, amount }) => {
    expect(priced({ lines, shippingRateId: "ground" }).shipping.amount).toBe(amount);
  });

  it("an order heavier than the last bracket is not offered the weight rate", () => {
    const lines = [line("a", 100, 1, { weightGrams: 20001 })];
    expect(priceOrder(input({ lines, shippingRateId: "ground" }))).toMatchObject({ ok: false, code: "rate_not_offered" });
    expect(priced({ lines, shippingRateId: "express" }).shipping.amount).toBe(1500);
  });

  it("a destination is offered its zone's rates, priced for the order", () => {
    expect(ratesFor(CALIFORNIA, [usZone, euZone()], 8000, 1200)).toMatchObject({
      ok: true,
      zone: { id: "us" },
      rates: [
        { rateId: "standard", amount: 0 },
        { rateId: "express", amount: 1500 },
        { rateId: "ground", amount: 900 },
      ],
    });
  });

  it("a rate of another zone is not offered", () => {
    const result = priceOrder(input({ destination: GERMANY, shippingRateId: "express", lines: [line("a", 1000)] }));
    expect(result).toMatchObject({ ok: false, code: "rate_not_offered" });
  });

  it("a country no zone lists cannot be priced, even with a code that would not apply", () => {
    const brazil = { country: "BR", region: null };
    expect(ratesFor(brazil, [usZone, euZone()], 1000, 100)).toMatchObject({ ok: false, code: "no_zone_for_country" });
    const result = priceOrder(input({ destination: brazil, lines: [line("a", 1000)], discountCode: code({ endsAt: NOW }) }));
    expect(result).toMatchObject({ ok: false, code: "no_zone_for_country" });
  });
});
