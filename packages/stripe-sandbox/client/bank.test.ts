import { describe, expect, it } from "vitest";
import { checkAccountNumber, checkEmail, checkIban, checkRoutingNumber, compactIban, formatIban } from "./bank";

describe("IBAN field", () => {
  it("formats in groups of four, upper case", () => {
    expect(formatIban("de89370400440532013000")).toBe("DE89 3704 0044 0532 0130 00");
    expect(compactIban("DE89 3704 0044 0532 0130 00")).toBe("DE89370400440532013000");
  });

  it("accepts Stripe's test IBANs, failing ones included (they fail on the server, not in the form)", () => {
    for (const iban of ["DE89370400440532013000", "AT611904300234573201", "DE62370400440532013001", "AT861904300235473202"]) {
      expect(checkIban(iban)).toEqual({ status: "complete" });
    }
  });

  it("tells incomplete from invalid: short is incomplete, a bad checksum or country is invalid", () => {
    expect(checkIban("")).toMatchObject({ status: "empty", code: "incomplete_iban" });
    expect(checkIban("DE89 3704")).toMatchObject({ status: "incomplete", message: "Your IBAN is incomplete." });
    expect(checkIban("DE89370400440532013001")).toMatchObject({ status: "invalid", message: "Your IBAN is invalid." });
    expect(checkIban("DE893704004405320130000")).toMatchObject({ status: "invalid" });
    expect(checkIban("12345")).toMatchObject({ status: "invalid", code: "invalid_iban_start" });
    expect(checkIban("XX89370400440532013000")).toMatchObject({ status: "invalid", code: "invalid_iban_country_code" });
  });
});

describe("US bank account fields", () => {
  it("checks the ABA routing checksum", () => {
    expect(checkRoutingNumber("110000000")).toEqual({ status: "complete" });
    expect(checkRoutingNumber("11000")).toMatchObject({ status: "incomplete" });
    expect(checkRoutingNumber("110000001")).toMatchObject({ status: "invalid", message: "Your routing number is invalid." });
  });

  it("takes account numbers of 4 to 17 digits", () => {
    expect(checkAccountNumber("000123456789")).toEqual({ status: "complete" });
    expect(checkAccountNumber("123")).toMatchObject({ status: "incomplete" });
    expect(checkAccountNumber("123456789012345678")).toMatchObject({ status: "invalid" });
  });
});

describe("email field", () => {
  it("is incomplete while it can still become an address, invalid once it cannot", () => {
    expect(checkEmail("jenny@example.com")).toEqual({ status: "complete" });
    expect(checkEmail("jenny@exa")).toMatchObject({ status: "incomplete" });
    expect(checkEmail("jenny @example.com")).toMatchObject({ status: "invalid" });
  });
});
