import { describe, expect, it } from "vitest";
import { cardBrand, checkCardNumber, checkCvc, checkExpiry, formatCardNumber, formatExpiry, luhnValid, parseExpiry } from "./card";

describe("card number", () => {
  it("groups digits in fours as the shopper types, and Amex 4-6-5", () => {
    expect(formatCardNumber("4242424242424242")).toBe("4242 4242 4242 4242");
    expect(formatCardNumber("42424")).toBe("4242 4");
    expect(formatCardNumber("378282246310005")).toBe("3782 822463 10005");
  });

  it("drops non-digits and digits beyond the brand's longest length", () => {
    expect(formatCardNumber("4242-4242 4242x4242 99999")).toBe("4242 4242 4242 4242");
    expect(formatCardNumber("5555555555554444123")).toBe("5555 5555 5555 4444");
  });

  it("recognises brands by prefix", () => {
    expect(cardBrand("4242")).toBe("visa");
    expect(cardBrand("5555")).toBe("mastercard");
    expect(cardBrand("2223")).toBe("mastercard");
    expect(cardBrand("3782")).toBe("amex");
    expect(cardBrand("6011")).toBe("discover");
    expect(cardBrand("9999")).toBe("unknown");
  });

  it("checks the Luhn digit", () => {
    expect(luhnValid("4242424242424242")).toBe(true);
    expect(luhnValid("4000000000000002")).toBe(true);
    expect(luhnValid("4242424242424241")).toBe(false);
  });

  it("reports incomplete, invalid and complete with the element's messages", () => {
    expect(checkCardNumber("")).toMatchObject({ status: "empty", message: "Your card number is incomplete." });
    expect(checkCardNumber("4242 4242")).toMatchObject({
      status: "incomplete",
      code: "incomplete_number",
      message: "Your card number is incomplete.",
    });
    expect(checkCardNumber("4242 4242 4242 4241")).toMatchObject({
      status: "invalid",
      code: "invalid_number",
      message: "Your card number is invalid.",
    });
    expect(checkCardNumber("4242 4242 4242 4242")).toEqual({ status: "complete" });
    expect(checkCardNumber("3782 822463 10005")).toEqual({ status: "complete" });
  });

  it("calls a number invalid only once no more digits fit", () => {
    expect(checkCardNumber("4242 4242 4242 424").status).toBe("incomplete");
    expect(checkCardNumber("6200 0000 0000 0001").status).toBe("incomplete");
  });
});

describe("expiry", () => {
  const now = new Date(2026, 4, 15); // May 2026

  it("formats MM / YY and pads a first digit that can only be a month", () => {
    expect(formatExpiry("1")).toBe("1");
    expect(formatExpiry("12")).toBe("12 / ");
    expect(formatExpiry("1234")).toBe("12 / 34");
    expect(formatExpiry("4")).toBe("04 / ");
    expect(formatExpiry("15")).toBe("01 / 5");
    expect(formatExpiry("12 / 345")).toBe("12 / 34");
  });

  it("rejects past years and past months of this year with Stripe's wording", () => {
    expect(checkExpiry("12 / 20", now)).toMatchObject({ status: "invalid", message: "Your card's expiration year is in the past." });
    expect(checkExpiry("04 / 26", now)).toMatchObject({ status: "invalid", message: "Your card's expiration date is in the past." });
    expect(checkExpiry("05 / 26", now)).toEqual({ status: "complete" });
    expect(checkExpiry("12 / 34", now)).toEqual({ status: "complete" });
  });

  it("calls a partial date incomplete and an impossible month invalid", () => {
    expect(checkExpiry("12 / 3", now)).toMatchObject({ status: "incomplete", message: "Your card's expiration date is incomplete." });
    expect(checkExpiry("00 / 30", now)).toMatchObject({ status: "invalid", message: "Your card's expiration month is invalid." });
  });

  it("parses into the month and four-digit year the API wants", () => {
    expect(parseExpiry("04 / 31")).toEqual({ month: 4, year: 2031 });
  });
});

describe("security code", () => {
  it("wants three digits, four for Amex", () => {
    expect(checkCvc("12", "4242424242424242")).toMatchObject({ status: "incomplete", message: "Your card's security code is incomplete." });
    expect(checkCvc("123", "4242424242424242")).toEqual({ status: "complete" });
    expect(checkCvc("123", "378282246310005").status).toBe("incomplete");
    expect(checkCvc("1234", "378282246310005")).toEqual({ status: "complete" });
  });
});
