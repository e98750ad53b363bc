import { describe, expect, it } from "vitest";
import { formatRate, linePaid, storedTotals, taxLinesOf, totalsRows, type OrderTotals, type TotalsRow } from "./receipt";

// The totals block every document shows is built here only, so these cases are the shapes a shopper or staff
// member can ever see: an order from before discounts and taxes, a code, taxes added, taxes included.

const totals = (fields: Partial<OrderTotals> = {}): OrderTotals => ({
  currency: "usd",
  pricesIncludeTax: false,
  subtotal: 6200,
  discount: 0,
  discountCode: null,
  shippingName: "Standard",
  shippingCost: 500,
  tax: 0,
  taxLines: [],
  total: 6700,
  ...fields,
});

describe("totalsRows", () => {
  it.each<[string, Partial<OrderTotals>, TotalsRow[]]>([
    [
      "an old order: no discount, no tax",
      {},
      [
        { kind: "subtotal", label: "Subtotal", amount: 6200 },
        { kind: "shipping", label: "Shipping: Standard", amount: 500 },
        { kind: "total", label: "Total", amount: 6700 },
      ],
    ],
    [
      "a code, shown with its (negative) discount",
      { discount: 620, discountCode: "WELCOME10", total: 6080 },
      [
        { kind: "subtotal", label: "Subtotal", amount: 6200 },
        { kind: "discount", label: "Discount (WELCOME10)", amount: -620, code: "WELCOME10" },
        { kind: "shipping", label: "Shipping: Standard", amount: 500 },
        { kind: "total", label: "Total", amount: 6080 },
      ],
    ],
    [
      // A code that ended up worth nothing (no eligible line left) still says it was applied.
      "a code worth nothing",
      { discountCode: "SHIRTS", total: 6700 },
      [
        { kind: "subtotal", label: "Subtotal", amount: 6200 },
        { kind: "discount", label: "Discount (SHIRTS)", amount: -0, code: "SHIRTS" },
        { kind: "shipping", label: "Shipping: Standard", amount: 500 },
        { kind: "total", label: "Total", amount: 6700 },
      ],
    ],
    [
      "tax added, two rates: each a row of the sum, before the total",
      {
        tax: 450,
        taxLines: [
          { name: "State tax", rate: 600, amount: 372 },
          { name: "County tax", rate: 125, amount: 78 },
        ],
        total: 7150,
      },
      [
        { kind: "subtotal", label: "Subtotal", amount: 6200 },
        { kind: "shipping", label: "Shipping: Standard", amount: 500 },
        { kind: "tax", label: "State tax (6%)", amount: 372, included: false },
        { kind: "tax", label: "County tax (1.25%)", amount: 78, included: false },
        { kind: "total", label: "Total", amount: 7150 },
      ],
    ],
    [
      "tax included: information after the total, not part of it",
      {
        currency: "eur",
        pricesIncludeTax: true,
        discount: 500,
        discountCode: "SUMMER",
        shippingCost: 490,
        tax: 1013,
        taxLines: [
          { name: "VAT", rate: 1900, amount: 880 },
          { name: "VAT reduced", rate: 700, amount: 133 },
        ],
        total: 6190,
      },
      [
        { kind: "subtotal", label: "Subtotal", amount: 6200 },
        { kind: "discount", label: "Discount (SUMMER)", amount: -500, code: "SUMMER" },
        { kind: "shipping", label: "Shipping: Standard", amount: 490 },
        { kind: "total", label: "Total", amount: 6190 },
        { kind: "tax", label: "Includes VAT (19%)", amount: 880, included: true },
        { kind: "tax", label: "Includes VAT reduced (7%)", amount: 133, included: true },
      ],
    ],
    [
      "a tax without its lines (malformed snapshot): one plain row",
      { tax: 496, total: 7196 },
      [
        { kind: "subtotal", label: "Subtotal", amount: 6200 },
        { kind: "shipping", label: "Shipping: Standard", amount: 500 },
        { kind: "tax", label: "Tax", amount: 496, included: false },
        { kind: "total", label: "Total", amount: 7196 },
      ],
    ],
    [
      "an included tax without its lines, and a rate without a name",
      { pricesIncludeTax: true, shippingName: "", tax: 990 },
      [
        { kind: "subtotal", label: "Subtotal", amount: 6200 },
        { kind: "shipping", label: "Shipping", amount: 500 },
        { kind: "total", label: "Total", amount: 6700 },
        { kind: "tax", label: "Includes tax", amount: 990, included: true },
      ],
    ],
  ])("%s", (_name, fields, rows) => {
    expect(totalsRows(totals(fields))).toEqual(rows);
  });

  it("adds up: the rows of the sum give the total, included taxes are left out", () => {
    const taxed = { discount: 620, discountCode: "X", tax: 404, taxLines: [{ name: "T", rate: 725, amount: 404 }] };
    for (const [fields, total] of [
      [{}, 6700],
      [taxed, 6484],
      [{ ...taxed, pricesIncludeTax: true }, 6080],
    ] as const) {
      const rows = totalsRows(totals({ ...fields, total }));
      const summed = rows
        .filter((row) => row.kind !== "total" && !(row.kind === "tax" && row.included))
        .reduce((n, row) => n + row.amount, 0);
      expect(summed).toBe(total);
    }
  });
});

describe("storedTotals", () => {
  it("reads an Order's columns: the shipping method is the rate's name, the tax lines are parsed", () => {
    expect(
      storedTotals({
        currency: "usd",
        pricesIncludeTax: false,
        subtotal: 6200,
        discount: 620,
        discountCode: "WELCOME10",
        shippingMethod: "Express",
        shippingCost: 1500,
        tax: 404,
        taxLines: [{ name: "CA sales tax", rate: 725, amount: 404 }, "junk"],
        total: 7484,
      }),
    ).toEqual({
      currency: "usd",
      pricesIncludeTax: false,
      subtotal: 6200,
      discount: 620,
      discountCode: "WELCOME10",
      shippingName: "Express",
      shippingCost: 1500,
      tax: 404,
      taxLines: [{ name: "CA sales tax", rate: 725, amount: 404 }],
      total: 7484,
    });
  });
});

describe("formatRate", () => {
  it.each([
    [725, "7.25%"],
    [1900, "19%"],
    [550, "5.5%"],
    [700, "7%"],
    [5, "0.05%"],
    [0, "0%"],
    [10000, "100%"],
  ])("%i basis points → %s", (basisPoints, written) => {
    expect(formatRate(basisPoints)).toBe(written);
  });
});

describe("taxLinesOf", () => {
  const vat = { name: "VAT", rate: 1900, amount: 880 };

  it.each<[string, unknown, unknown[]]>([
    ["null (an old order)", null, []],
    ["undefined", undefined, []],
    ["an object, not a list", { name: "VAT", rate: 1900, amount: 880 }, []],
    ["a string", JSON.stringify([vat]), []],
    ["a good line", [vat], [vat]],
    ["extra fields, dropped", [{ ...vat, note: "x" }], [vat]],
    ["null and scalar entries", [null, 3, "VAT", vat], [vat]],
    ["a name that is not a string", [{ ...vat, name: 19 }], []],
    ["a fractional rate", [{ ...vat, rate: 19.5 }], []],
    ["an amount as a string", [{ ...vat, amount: "880" }], []],
    ["a missing amount", [{ name: "VAT", rate: 1900 }], []],
  ])("%s", (_name, value, lines) => {
    expect(taxLinesOf(value)).toEqual(lines);
  });
});

describe("linePaid", () => {
  const item = { unitPrice: 1000, quantity: 3, discount: 300, tax: 189 };

  it.each([
    ["tax added: after the discount, plus the tax", item, false, 2889],
    ["tax included: after the discount, the tax is inside", item, true, 2700],
    ["an old line (no discount, no tax)", { ...item, discount: 0, tax: 0 }, false, 3000],
  ])("%s", (_name, line, pricesIncludeTax, paid) => {
    expect(linePaid(line, pricesIncludeTax)).toBe(paid);
  });
});
