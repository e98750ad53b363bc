import { describe, expect, it } from "vitest";
import { currencyExponent, formatMoney, multiply, parseMajorUnits, sum, toDecimalString } from "@/lib/money";

describe("currency exponents", () => {
  it("knows zero-, two- and three-decimal currencies regardless of case", () => {
    expect(currencyExponent("jpy")).toBe(0);
    expect(currencyExponent("KRW")).toBe(0);
    expect(currencyExponent("usd")).toBe(2);
    expect(currencyExponent("EUR")).toBe(2);
    expect(currencyExponent("kwd")).toBe(3);
    expect(currencyExponent("TND")).toBe(3);
  });

  it("rejects something that is not a currency code", () => {
    expect(() => currencyExponent("dollars")).toThrow(RangeError);
  });
});

describe("formatting", () => {
  it("formats US dollars from cents", () => {
    expect(formatMoney(1999, "usd")).toBe("$19.99");
    expect(formatMoney(5, "usd")).toBe("$0.05");
    expect(formatMoney(123456789, "usd")).toBe("$1,234,567.89");
  });

  it("formats yen without a minor unit: 1500 is ¥1,500, not ¥15", () => {
    expect(formatMoney(1500, "jpy")).toBe("¥1,500");
  });

  it("formats Kuwaiti dinar with three decimals", () => {
    expect(formatMoney(1250, "kwd")).toMatch(/KWD\s?1\.250/);
    expect(formatMoney(7, "kwd")).toMatch(/KWD\s?0\.007/);
  });

  it("formats negative amounts", () => {
    expect(formatMoney(-250, "usd")).toBe("-$2.50");
  });

  it("uses the locale's separators", () => {
    expect(formatMoney(123456, "eur", "de-DE")).toBe("1.234,56\u00a0€");
  });

  it("formats the largest safe amount exactly, with no float rounding", () => {
    expect(formatMoney(Number.MAX_SAFE_INTEGER, "usd")).toBe("$90,071,992,547,409.91");
  });

  it("refuses fractional or unsafe amounts", () => {
    expect(() => formatMoney(19.99, "usd")).toThrow(RangeError);
    expect(() => formatMoney(Number.MAX_SAFE_INTEGER + 2, "usd")).toThrow(RangeError);
  });
});

describe("decimal strings for structured data", () => {
  it("places the point by the currency's exponent", () => {
    expect(toDecimalString(1999, "usd")).toBe("19.99");
    expect(toDecimalString(7, "usd")).toBe("0.07");
    expect(toDecimalString(0, "usd")).toBe("0.00");
    expect(toDecimalString(1500, "jpy")).toBe("1500");
    expect(toDecimalString(1250, "kwd")).toBe("1.250");
    expect(toDecimalString(-5, "kwd")).toBe("-0.005");
  });
});

describe("arithmetic", () => {
  it("adds cents without the 0.1 + 0.2 problem", () => {
    expect(sum(10, 20)).toBe(30);
    expect(toDecimalString(sum(10, 20), "usd")).toBe("0.30");
    expect(sum()).toBe(0);
  });

  it("multiplies a unit price by a quantity", () => {
    expect(multiply(1999, 3)).toBe(5997);
    expect(multiply(1500, 99)).toBe(148500);
  });

  it("refuses totals beyond the safe integer range instead of rounding them", () => {
    expect(() => multiply(Number.MAX_SAFE_INTEGER, 2)).toThrow(/overflow/);
    expect(() => sum(Number.MAX_SAFE_INTEGER, 1)).toThrow(/overflow/);
  });

  it("refuses fractional inputs", () => {
    expect(() => multiply(10.5, 2)).toThrow(RangeError);
    expect(() => multiply(10, 1.5)).toThrow(RangeError);
    expect(() => sum(1, 0.1)).toThrow(RangeError);
  });
});

describe("parseMajorUnits", () => {
  it("reads typed amounts into minor units without floats", () => {
    expect(parseMajorUnits("12.34", "usd")).toBe(1234);
    expect(parseMajorUnits("$1,250.5", "usd")).toBe(125050);
    expect(parseMajorUnits("0.29", "usd")).toBe(29);
    expect(parseMajorUnits("1500", "jpy")).toBe(1500);
    expect(parseMajorUnits("1.25", "kwd")).toBe(1250);
  });

  it("refuses more decimals than the currency has, negatives and text", () => {
    expect(parseMajorUnits("1.234", "usd")).toBeNull();
    expect(parseMajorUnits("1.5", "jpy")).toBeNull();
    expect(parseMajorUnits("-5", "usd")).toBeNull();
    expect(parseMajorUnits("abc", "usd")).toBeNull();
    expect(parseMajorUnits("", "usd")).toBeNull();
  });
});
