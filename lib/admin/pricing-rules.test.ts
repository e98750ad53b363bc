import { describe, expect, it } from "vitest";
import {
  discountCodeForm,
  parseBrackets,
  parseDiscountCodeForm,
  parseMoment,
  parsePercent,
  parseShippingRateForm,
  parseShippingZoneForm,
  parseTaxRateForm,
  percentText,
  shippingRateForm,
  taxRateForm,
  type DiscountCodeFormInput,
  type ShippingRateFormInput,
  type ShippingZoneFormInput,
  type TaxRateFormInput,
} from "@/lib/admin/pricing-rules";

const codeForm = (overrides: Partial<DiscountCodeFormInput> = {}): DiscountCodeFormInput => ({
  code: "summer-10",
  kind: "percentage",
  value: "10",
  minimumSubtotal: "",
  startsAt: "",
  endsAt: "",
  usageLimit: "",
  perEmailLimit: "",
  productIds: [],
  categoryIds: [],
  active: true,
  ...overrides,
});

const zoneForm = (overrides: Partial<ShippingZoneFormInput> = {}): ShippingZoneFormInput => ({
  name: "Americas",
  countries: ["mx", "AR"],
  taxShipping: false,
  active: true,
  position: "2",
  ...overrides,
});

const rateForm = (overrides: Partial<ShippingRateFormInput> = {}): ShippingRateFormInput => ({
  name: "Standard",
  kind: "flat",
  amount: "5.99",
  brackets: "",
  freeFrom: "",
  active: true,
  position: "0",
  ...overrides,
});

const taxForm = (overrides: Partial<TaxRateFormInput> = {}): TaxRateFormInput => ({
  name: "California sales tax",
  country: "US",
  region: "ca",
  taxClass: "standard",
  rate: "7.25",
  ...overrides,
});

const errorsOf = (result: { ok: true } | { ok: false; fieldErrors: Record<string, string> }) => (result.ok ? {} : result.fieldErrors);

describe("percentages", () => {
  it.each([
    ["10", 2, 1000],
    ["12.5", 2, 1250],
    ["0.01", 2, 1],
    ["100", 2, 10_000],
    [" 7.25 ", 3, 725],
    ["19", 3, 1900],
    ["7.250", 3, 725],
    ["0", 3, 0],
    ["5.5 %", 3, 550],
  ] as const)("%s (up to %i decimals) is %i basis points", (typed, decimals, basisPoints) => {
    expect(parsePercent(typed, decimals)).toEqual({ ok: true, basisPoints });
  });

  it.each([
    ["", 2, /Enter a percentage/],
    ["-5", 2, /negative/],
    ["ten", 2, /as a number/],
    ["12.555", 2, /At most 2 decimals/],
    ["7.255", 3, /0.01%/],
    ["7.2555", 3, /At most 3 decimals/],
    ["100.01", 2, /At most 100%/],
    ["1000", 3, /At most 100%/],
    ["1e2", 2, /as a number/],
  ] as const)("%j (up to %i decimals) is refused", (typed, decimals, error) => {
    const result = parsePercent(typed, decimals);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(error);
  });

  it.each([
    [725, "7.25"],
    [1900, "19"],
    [550, "5.5"],
    [1, "0.01"],
    [0, "0"],
  ])("%i basis points show as %s", (basisPoints, text) => {
    expect(percentText(basisPoints)).toBe(text);
    expect(parsePercent(text, 3)).toEqual({ ok: true, basisPoints });
  });
});

describe("moments", () => {
  it.each([
    ["", null],
    ["2026-12-01", "2026-12-01T00:00:00.000Z"],
    ["2026-12-01T09:30", "2026-12-01T09:30:00.000Z"],
    ["2026-12-01T09:30:15", "2026-12-01T09:30:15.000Z"],
  ])("%j is %s (UTC)", (typed, iso) => {
    const moment = parseMoment(typed);
    expect(moment === null ? null : moment?.toISOString()).toBe(iso);
  });

  it.each(["2026-02-30", "2026-13-01", "2026-12-01T25:00", "01/12/2026", "tomorrow"])("%j is not a moment", (typed) => {
    expect(parseMoment(typed)).toBeUndefined();
  });
});

describe("the discount code form", () => {
  it("stores the code uppercase and a percentage in basis points", () => {
    expect(parseDiscountCodeForm(codeForm({ code: "  Summer_10 ", value: "12.5" }), "usd")).toEqual({
      ok: true,
      data: {
        code: "SUMMER_10",
        kind: "percentage",
        value: 1250,
        minimumSubtotal: null,
        startsAt: null,
        endsAt: null,
        usageLimit: null,
        perEmailLimit: null,
        productIds: [],
        categoryIds: [],
        active: true,
      },
    });
  });

  it("reads a fixed amount, thresholds and limits in the shop's currency", () => {
    const parsed = parseDiscountCodeForm(
      codeForm({
        kind: "fixed",
        value: "5",
        minimumSubtotal: "50.00",
        startsAt: "2026-12-01",
        endsAt: "2026-12-31T23:59",
        usageLimit: "100",
        perEmailLimit: "1",
        productIds: [" p1 ", "p1", "p2", ""],
        categoryIds: ["c1"],
        active: false,
      }),
      "usd",
    );
    expect(parsed).toMatchObject({
      ok: true,
      data: {
        kind: "fixed",
        value: 500,
        minimumSubtotal: 5000,
        startsAt: new Date("2026-12-01T00:00:00Z"),
        endsAt: new Date("2026-12-31T23:59:00Z"),
        usageLimit: 100,
        perEmailLimit: 1,
        productIds: ["p1", "p2"],
        categoryIds: ["c1"],
        active: false,
      },
    });
    expect(parseDiscountCodeForm(codeForm({ kind: "fixed", value: "500" }), "jpy")).toMatchObject({ ok: true, data: { value: 500 } });
  });

  it.each<[string, Partial<DiscountCodeFormInput>, Record<string, RegExp>]>([
    ["a short code", { code: "ab" }, { code: /3 and 32/ }],
    ["a long code", { code: "A".repeat(33) }, { code: /3 and 32/ }],
    ["spaces in the code", { code: "SUM MER" }, { code: /letters, digits/ }],
    ["accents in the code", { code: "ÉTÉ10" }, { code: /letters, digits/ }],
    ["no kind", { kind: "free" }, { kind: /percentage or a fixed/ }],
    ["0%", { value: "0" }, { value: /More than 0%/ }],
    ["over 100%", { value: "101" }, { value: /100%/ }],
    ["three decimals", { value: "12.345" }, { value: /2 decimals/ }],
    ["a fixed 0", { kind: "fixed", value: "0.00" }, { value: /More than 0/ }],
    ["a negative amount", { kind: "fixed", value: "-5" }, { value: /negative/ }],
    ["too many cents", { kind: "fixed", value: "5.001" }, { value: /USD/ }],
    ["a bad minimum", { minimumSubtotal: "lots" }, { minimumSubtotal: /USD/ }],
    ["a bad start", { startsAt: "2026-02-30" }, { startsAt: /date/ }],
    ["an end before the start", { startsAt: "2026-12-02", endsAt: "2026-12-01" }, { endsAt: /after the start/ }],
    ["an end equal to the start", { startsAt: "2026-12-01", endsAt: "2026-12-01T00:00" }, { endsAt: /after the start/ }],
    ["a zero limit", { usageLimit: "0" }, { usageLimit: /At least 1/ }],
    ["a fractional limit", { usageLimit: "1.5" }, { usageLimit: /whole number/ }],
    ["a huge limit", { perEmailLimit: "1000001" }, { perEmailLimit: /1,000,000/ }],
    ["a per-email limit above the total", { usageLimit: "5", perEmailLimit: "6" }, { perEmailLimit: /limit in all/ }],
  ])("refuses %s", (_, overrides, expected) => {
    const errors = errorsOf(parseDiscountCodeForm(codeForm(overrides), "usd"));
    expect(Object.keys(errors).sort()).toEqual(Object.keys(expected).sort());
    for (const [key, pattern] of Object.entries(expected)) expect(errors[key]).toMatch(pattern);
  });

  it("reports every bad field at once", () => {
    const errors = errorsOf(
      parseDiscountCodeForm(
        codeForm({ code: "x", value: "abc", minimumSubtotal: "-1", startsAt: "soon", usageLimit: "-2", perEmailLimit: "many" }),
        "usd",
      ),
    );
    expect(Object.keys(errors).sort()).toEqual(["code", "minimumSubtotal", "perEmailLimit", "startsAt", "usageLimit", "value"]);
  });

  it("shows a saved code in the form as it was typed", () => {
    const parsed = parseDiscountCodeForm(
      codeForm({ kind: "fixed", value: "5.50", startsAt: "2026-12-01T09:30", usageLimit: "3", productIds: ["p"] }),
      "usd",
    );
    if (!parsed.ok) throw new Error("expected a valid form");
    const shown = discountCodeForm(parsed.data, "usd");
    expect(shown).toMatchObject({ code: "SUMMER-10", value: "5.50", startsAt: "2026-12-01T09:30", usageLimit: "3", minimumSubtotal: "" });
    expect(parseDiscountCodeForm(shown, "usd")).toEqual(parsed);
  });
});

describe("the shipping zone form", () => {
  it("uppercases and de-duplicates its countries", () => {
    expect(parseShippingZoneForm(zoneForm({ countries: ["mx", " MX", "ar", ""] }))).toEqual({
      ok: true,
      data: { name: "Americas", countries: ["MX", "AR"], taxShipping: false, active: true, position: 2 },
    });
  });

  it.each<[string, Partial<ShippingZoneFormInput>, Record<string, RegExp>]>([
    ["no name", { name: "  " }, { name: /name/ }],
    ["a long name", { name: "n".repeat(101) }, { name: /100/ }],
    ["no country", { countries: [] }, { countries: /at least one/ }],
    ["only blanks", { countries: [" "] }, { countries: /at least one/ }],
    ["an unknown country", { countries: ["MX", "XX", "usa"] }, { countries: /XX, USA/ }],
    ["a negative position", { position: "-1" }, { position: /negative/ }],
    ["a huge position", { position: "10001" }, { position: /10,000/ }],
  ])("refuses %s", (_, overrides, expected) => {
    const errors = errorsOf(parseShippingZoneForm(zoneForm(overrides)));
    expect(Object.keys(errors)).toEqual(Object.keys(expected));
    for (const [key, pattern] of Object.entries(expected)) expect(errors[key]).toMatch(pattern);
  });
});

describe("weight brackets", () => {
  it.each([
    ["1000: 14.99", [{ upToGrams: 1000, amount: 1499 }]],
    [
      "1000: 14.99\n\n 5000 : 24.99 \r\n*: 49.99",
      [
        { upToGrams: 1000, amount: 1499 },
        { upToGrams: 5000, amount: 2499 },
        { upToGrams: null, amount: 4999 },
      ],
    ],
    ["500g: 0", [{ upToGrams: 500, amount: 0 }]],
    ["*: 10", [{ upToGrams: null, amount: 1000 }]],
  ])("%j", (typed, brackets) => {
    expect(parseBrackets(typed, "usd")).toEqual({ ok: true, brackets });
  });

  it.each([
    ["", /at least one/],
    ["1000 14.99", /Line 1: write/],
    ["1000: 14.99\n1000: 20", /Line 2: each limit must be above the one before \(1000 g\)/],
    ["2000: 14.99\n1000: 20", /Line 2: each limit/],
    ["*: 49.99\n1000: 14.99", /Line 1: only the last/],
    ["0: 1", /Line 1: grams from 1/],
    ["1000: -1", /Line 1: enter an amount/],
    ["1000: 1.999", /Line 1: enter an amount/],
    ["1.5: 1", /Line 1: write/],
  ])("refuses %j", (typed, error) => {
    const result = parseBrackets(typed, "usd");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(error);
  });
});

describe("the shipping rate form", () => {
  it("reads a flat rate and ignores leftover brackets", () => {
    expect(parseShippingRateForm(rateForm({ brackets: "not read", freeFrom: "75" }), "usd")).toEqual({
      ok: true,
      data: { name: "Standard", kind: "flat", amount: 599, brackets: null, freeFrom: 7500, active: true, position: 0 },
    });
  });

  it("reads a weight rate and ignores a leftover amount", () => {
    expect(parseShippingRateForm(rateForm({ kind: "weight", amount: "junk", brackets: "1000: 14.99\n*: 49.99" }), "usd")).toMatchObject({
      ok: true,
      data: {
        kind: "weight",
        amount: null,
        brackets: [
          { upToGrams: 1000, amount: 1499 },
          { upToGrams: null, amount: 4999 },
        ],
      },
    });
  });

  it("allows free shipping as a flat 0", () => {
    expect(parseShippingRateForm(rateForm({ amount: "0" }), "usd")).toMatchObject({ ok: true, data: { amount: 0 } });
  });

  it.each<[string, Partial<ShippingRateFormInput>, Record<string, RegExp>]>([
    ["no name", { name: "" }, { name: /name/ }],
    ["an unknown kind", { kind: "pigeon" }, { kind: /flat amount or weight/ }],
    ["a missing amount", { amount: "" }, { amount: /Enter an amount/ }],
    ["a negative amount", { amount: "-1" }, { amount: /negative/ }],
    ["bad brackets", { kind: "weight", brackets: "heavy: 10" }, { brackets: /Line 1/ }],
    ["a bad threshold", { freeFrom: "soon" }, { freeFrom: /USD/ }],
    [
      "everything at once",
      { name: "", amount: "x", freeFrom: "-1", position: "top" },
      { name: /name/, amount: /USD/, freeFrom: /negative/, position: /whole/ },
    ],
  ])("refuses %s", (_, overrides, expected) => {
    const errors = errorsOf(parseShippingRateForm(rateForm(overrides), "usd"));
    expect(Object.keys(errors).sort()).toEqual(Object.keys(expected).sort());
    for (const [key, pattern] of Object.entries(expected)) expect(errors[key]).toMatch(pattern);
  });

  it("shows a saved weight rate in the form as it can be saved again", () => {
    const row = {
      name: "By weight",
      kind: "weight",
      amount: null,
      brackets: [
        { upToGrams: 1000, amount: 1499 },
        { upToGrams: null, amount: 4999 },
      ],
      freeFrom: 10_000,
      active: true,
      position: 1,
    };
    const shown = shippingRateForm(row, "usd");
    expect(shown).toMatchObject({ brackets: "1000: 14.99\n*: 49.99", freeFrom: "100.00", amount: "" });
    expect(parseShippingRateForm(shown, "usd")).toMatchObject({ ok: true, data: { brackets: row.brackets, freeFrom: 10_000 } });
  });
});

describe("the tax rate form", () => {
  it.each<[Partial<TaxRateFormInput>, { country: string; region: string; taxClass: string; rate: number }]>([
    [{}, { country: "US", region: "CA", taxClass: "standard", rate: 725 }],
    [
      { country: "de", region: "", rate: "19" },
      { country: "DE", region: "", taxClass: "standard", rate: 1900 },
    ],
    [
      { country: "DE", region: " ", taxClass: "reduced", rate: "7" },
      { country: "DE", region: "", taxClass: "reduced", rate: 700 },
    ],
    [
      { country: "CA", region: "qc", rate: "9.98" },
      { country: "CA", region: "QC", taxClass: "standard", rate: 998 },
    ],
    [
      { country: "FR", region: "", rate: "0" },
      { country: "FR", region: "", taxClass: "standard", rate: 0 },
    ],
  ])("%j", (overrides, expected) => {
    expect(parseTaxRateForm(taxForm(overrides))).toEqual({ ok: true, data: { name: "California sales tax", ...expected } });
  });

  it.each<[string, Partial<TaxRateFormInput>, Record<string, RegExp>]>([
    ["no country", { country: "" }, { country: /Choose a country/ }],
    ["an unknown country", { country: "XX" }, { country: /XX/ }],
    ["a US region that is not a state", { region: "QC" }, { region: /US state/ }],
    ["a region that is not a code", { country: "DE", region: "Bavaria" }, { region: /region's code/ }],
    ["the zero class", { taxClass: "zero" }, { taxClass: /standard or reduced/ }],
    ["a rate over 100%", { rate: "101" }, { rate: /100%/ }],
    ["a negative rate", { rate: "-7" }, { rate: /negative/ }],
    ["four decimals", { rate: "7.2500" }, { rate: /3 decimals/ }],
    // 9.975% would be 997.5 basis points: rates are stored in whole basis points.
    ["a fraction of a basis point", { rate: "9.975" }, { rate: /0.01%/ }],
    [
      "everything at once",
      { name: "", country: "ZZ", taxClass: "", rate: "" },
      { name: /name/, country: /ZZ/, taxClass: /standard/, rate: /Enter/ },
    ],
  ])("refuses %s", (_, overrides, expected) => {
    const errors = errorsOf(parseTaxRateForm(taxForm(overrides)));
    expect(Object.keys(errors).sort()).toEqual(Object.keys(expected).sort());
    for (const [key, pattern] of Object.entries(expected)) expect(errors[key]).toMatch(pattern);
  });

  it("shows a saved rate in the form as it was typed", () => {
    expect(taxRateForm({ name: "NY", country: "US", region: "NY", taxClass: "standard", rate: 400 })).toEqual({
      name: "NY",
      country: "US",
      region: "NY",
      taxClass: "standard",
      rate: "4",
    });
  });
});
