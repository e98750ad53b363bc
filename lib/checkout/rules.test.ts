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
} from "./rules";

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
  unitPrice: 1250,
  currency: "usd",
  quantity: 2,
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
    const columns = orderColumns(input, priced(priceOrder([line()], input.shippingMethod)));
    expect(checkoutInput.parse(detailsOf(columns))).toEqual(input);
  });
});

describe("pricing", () => {
  it("prices lines, shipping (free from the threshold) and the total", () => {
    expect(priceOrder([line()], "standard")).toEqual({
      ok: true,
      lines: [{ productId: "p1", variantId: "v1", name: "Mug", options: "", unitPrice: 1250, quantity: 2, lineTotal: 2500 }],
      currency: "usd",
      subtotal: 2500,
      shippingCost: 500,
      tax: 0,
      total: 3000,
    });
    expect(priced(priceOrder([line({ quantity: 6 })], "standard"))).toMatchObject({ subtotal: 7500, shippingCost: 0, total: 7500 });
    expect(priced(priceOrder([line({ quantity: 6 })], "express"))).toMatchObject({ shippingCost: 1500, total: 9000 });
  });

  it("refuses an empty cart and a line that cannot be bought", () => {
    expect(priceOrder([], "standard")).toMatchObject({ ok: false, code: "cart_empty" });
    expect(priceOrder([line(), line({ productId: "p2", problem: "This product is not available" })], "standard")).toMatchObject({
      ok: false,
      code: "unavailable",
    });
  });

  it("tells a changed cart from an unchanged one", () => {
    const a = priced(priceOrder([line()], "standard"));
    expect(samePrice(a, priced(priceOrder([line()], "standard")))).toBe(true);
    expect(samePrice(a, priced(priceOrder([line({ quantity: 3 })], "standard")))).toBe(false);
    expect(samePrice(a, priced(priceOrder([line({ unitPrice: 1300 })], "standard")))).toBe(false);
    expect(samePrice(a, priced(priceOrder([line({ name: "Big mug" })], "standard")))).toBe(false);
    expect(samePrice(a, priced(priceOrder([line()], "express")))).toBe(false);
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
    const columns = orderColumns(input, priced(priceOrder([line()], "standard")));
    expect(chargeableOrder({ id: "o1", number: "SF-1", cartId: "c1", ...columns })).toEqual({
      id: "o1",
      number: "SF-1",
      cartId: "c1",
      email: "shopper@example.com",
      total: 3000,
      currency: "usd",
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
