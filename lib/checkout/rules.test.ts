import { describe, expect, it } from "vitest";
import {
  chargeableOrder,
  checkoutInput,
  detailsOf,
  fieldErrorsOf,
  orderColumns,
  priceOrder,
  samePrice,
  stockShortfall,
  type CartLineToPrice,
  type PricedOrder,
  type PricingContext,
} from "./rules";

// Checkout's side of pricing: the engine itself (lib/pricing/engine.test.ts) is tested on its own; here, what
// checkout adds: the destination from the address, refusals beside their fields, the rate fallback of a quote,
// and the columns and charge the priced order gives.
const context: PricingContext = {
  config: {
    settings: { currency: "usd", pricesIncludeTax: false },
    zones: [
      {
        id: "us",
        name: "United States",
        countries: ["US"],
        taxShipping: false,
        rates: [
          { id: "standard", name: "Standard", kind: "flat", amount: 599, freeFrom: 7500 },
          { id: "express", name: "Express", kind: "flat", amount: 1999, freeFrom: null },
        ],
      },
    ],
    taxRates: [{ name: "California sales tax", country: "US", region: "CA", taxClass: "standard", rate: 725 }],
  },
  code: null,
  now: new Date("2026-11-30T12:00:00Z"),
};
const welcome = {
  id: "code1",
  code: "WELCOME10",
  kind: "percentage" as const,
  value: 1000,
  minimumSubtotal: null,
  startsAt: null,
  endsAt: null,
  appliesTo: null,
  usageLimit: null,
  perEmailLimit: null,
};
const CA = { country: "US", region: "CA" };

const details = {
  email: " shopper@example.com ",
  name: "Ada Shopper",
  line1: "1 Market Street",
  line2: "",
  city: "San Francisco",
  state: "CA",
  postalCode: "94105",
  country: "US",
  shippingMethod: "standard",
};

const line = (patch: Partial<CartLineToPrice> = {}): CartLineToPrice => ({
  productId: "p1",
  variantId: "v1",
  name: "Mug",
  options: "",
  categoryId: "c1",
  unitPrice: 1250,
  currency: "usd",
  quantity: 2,
  taxClass: "standard",
  weightGrams: 300,
  problem: null,
  ...patch,
});

function priced(result: ReturnType<typeof priceOrder>): PricedOrder {
  if (!result.ok) throw new Error(result.code);
  return result;
}

describe("checkout details", () => {
  it("trims, and turns empty optional fields into null", () => {
    const parsed = checkoutInput.parse(details);
    expect(parsed).toMatchObject({ email: "shopper@example.com", line2: null, state: "CA" });
  });

  it("refuses field by field, and checks a US ZIP's shape", () => {
    const result = checkoutInput.safeParse({ ...details, email: "nope", postalCode: "ABC" });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(Object.keys(fieldErrorsOf(result.error)).sort()).toEqual(["email", "postalCode"]);
    expect(checkoutInput.safeParse({ ...details, country: "CA", postalCode: "M5V 2T6" }).success).toBe(true);
    expect(checkoutInput.safeParse({ ...details, country: "ZZ" }).success).toBe(false);
  });

  it("a stored order gives back the details it was placed with", () => {
    const input = checkoutInput.parse(details);
    const columns = orderColumns(input, priced(priceOrder([line()], CA, input.shippingMethod, { ...context, code: welcome })));
    expect(checkoutInput.parse(detailsOf({ ...columns, discountCode: "WELCOME10" }))).toEqual({ ...input, discountCode: "WELCOME10" });
  });

  it("needs a US state it can tax by, and reads any letter case", () => {
    expect(checkoutInput.parse({ ...details, state: "ny" })).toMatchObject({ state: "NY" });
    const result = checkoutInput.safeParse({ ...details, state: "" });
    expect(result.success ? {} : fieldErrorsOf(result.error)).toEqual({ state: "Choose a state" });
    expect(checkoutInput.safeParse({ ...details, state: "Atlantis" }).success).toBe(false);
    expect(checkoutInput.safeParse({ ...details, country: "DE", state: "", postalCode: "10115" }).success).toBe(true);
  });

  it("takes a discount code in any letter case, and none when left empty", () => {
    expect(checkoutInput.parse({ ...details, discountCode: " welcome10 " }).discountCode).toBe("WELCOME10");
    expect(checkoutInput.parse({ ...details, discountCode: "" }).discountCode).toBeNull();
  });
});

describe("pricing", () => {
  it("prices lines, discount, shipping, tax and the total through the engine", () => {
    expect(priceOrder([line()], CA, "standard", context)).toEqual({
      ok: true,
      lines: [
        {
          productId: "p1",
          variantId: "v1",
          name: "Mug",
          options: "",
          unitPrice: 1250,
          quantity: 2,
          lineTotal: 2500,
          discount: 0,
          tax: 181,
        },
      ],
      currency: "usd",
      subtotal: 2500,
      discount: 0,
      discountCode: null,
      discountCodeId: null,
      shippingRateId: "standard",
      shippingName: "Standard",
      shippingCost: 599,
      shippingTax: 0,
      pricesIncludeTax: false,
      tax: 181,
      taxLines: [{ name: "California sales tax", rate: 725, amount: 181 }],
      total: 3280,
      rates: [
        { rateId: "standard", name: "Standard", amount: 599 },
        { rateId: "express", name: "Express", amount: 1999 },
      ],
    });
    // 10% off 2,500 is 250; tax on 2,250 is 163.125 → 163.
    expect(priced(priceOrder([line()], CA, "standard", { ...context, code: welcome }))).toMatchObject({
      discount: 250,
      discountCode: "WELCOME10",
      discountCodeId: "code1",
      tax: 163,
      total: 2250 + 163 + 599,
    });
    // Free standard shipping from 75.00, and the offered rates say so.
    const free = priced(priceOrder([line({ quantity: 6 })], { country: "US", region: "NY" }, "standard", context));
    expect(free).toMatchObject({ subtotal: 7500, shippingCost: 0, tax: 0, total: 7500 });
    expect(free.rates[0]).toEqual({ rateId: "standard", name: "Standard", amount: 0 });
  });

  it("refuses an empty cart, a line that cannot be bought, and says each pricing refusal beside its field", () => {
    expect(priceOrder([], CA, "standard", context)).toMatchObject({ ok: false, code: "cart_empty" });
    expect(
      priceOrder([line(), line({ productId: "p2", problem: "This product is not available" })], CA, "standard", context),
    ).toMatchObject({
      ok: false,
      code: "unavailable",
    });
    expect(priceOrder([line()], { country: "BR", region: null }, "standard", context)).toMatchObject({
      code: "not_shipped",
      error: "Sorry, we do not ship to Brazil.",
      fieldErrors: { country: "We do not ship to Brazil" },
    });
    expect(priceOrder([line()], CA, "teleport", context)).toMatchObject({
      code: "invalid_fields",
      fieldErrors: { shippingMethod: expect.any(String) },
    });
    const ended = { ...welcome, endsAt: new Date("2026-11-01T00:00:00Z") };
    expect(priceOrder([line()], CA, "standard", { ...context, code: ended })).toMatchObject({
      code: "code_not_applicable",
      fieldErrors: { discountCode: "The code WELCOME10 has expired" },
    });
  });

  it("a quote falls back to the destination's first rate; an order does not", () => {
    expect(priced(priceOrder([line()], CA, "eu-standard", context, { fallbackRate: true })).shippingRateId).toBe("standard");
    expect(priceOrder([line()], CA, "eu-standard", context).ok).toBe(false);
  });

  it("tells a changed cart from an unchanged one", () => {
    const a = priced(priceOrder([line()], CA, "standard", context));
    expect(samePrice(a, priced(priceOrder([line()], CA, "standard", context)))).toBe(true);
    expect(samePrice(a, priced(priceOrder([line({ quantity: 3 })], CA, "standard", context)))).toBe(false);
    expect(samePrice(a, priced(priceOrder([line({ unitPrice: 1300 })], CA, "standard", context)))).toBe(false);
    expect(samePrice(a, priced(priceOrder([line({ name: "Big mug" })], CA, "standard", context)))).toBe(false);
    expect(samePrice(a, priced(priceOrder([line()], CA, "express", context)))).toBe(false);
    expect(samePrice(a, priced(priceOrder([line()], CA, "standard", { ...context, code: welcome })))).toBe(false);
  });
});

describe("stock shortfall", () => {
  const shelf = new Map([
    ["v1", { stock: 1, active: true }],
    ["v2", { stock: 5, active: false }],
  ]);

  it("counts the order's own reservation as available to it", () => {
    expect(stockShortfall([{ variantId: "v1", name: "Mug", options: "", quantity: 3 }], shelf, new Map([["v1", 2]]))).toBeNull();
    expect(stockShortfall([{ variantId: "v1", name: "Mug", options: "", quantity: 4 }], shelf, new Map([["v1", 2]]))).toMatchObject({
      code: "insufficient_stock",
    });
  });

  it("names the variant's options when it falls short", () => {
    expect(stockShortfall([{ variantId: "v1", name: "Tee", options: "Size: M", quantity: 2 }], shelf, new Map())).toMatchObject({
      code: "insufficient_stock",
      error: "Only 1 of Tee (Size: M) left in stock",
    });
  });

  it("an inactive or unknown variant is sold out", () => {
    expect(stockShortfall([{ variantId: "v2", name: "Old", options: "", quantity: 1 }], shelf, new Map())).toMatchObject({
      code: "sold_out",
    });
    expect(stockShortfall([{ variantId: "v9", name: "Gone", options: "", quantity: 1 }], shelf, new Map())).toMatchObject({
      code: "sold_out",
    });
  });
});

describe("the order's charge", () => {
  it("carries the order's total, contact and full shipping address", () => {
    const input = checkoutInput.parse({ ...details, line2: "Suite 5" });
    const columns = orderColumns(input, priced(priceOrder([line()], CA, "standard", { ...context, code: welcome })));
    expect(chargeableOrder({ id: "o1", number: "SF-1", cartId: "c1", ...columns })).toEqual({
      id: "o1",
      number: "SF-1",
      cartId: "c1",
      email: "shopper@example.com",
      total: 3012,
      currency: "usd",
      discountCode: "WELCOME10",
      shipping: {
        name: "Ada Shopper",
        line1: "1 Market Street",
        line2: "Suite 5",
        city: "San Francisco",
        state: "CA",
        postalCode: "94105",
        country: "US",
      },
    });
  });
});
