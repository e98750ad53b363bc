import { describe, expect, it } from "vitest";
import { checkPostalCode, postalRule } from "./postal";

describe("postal code", () => {
  it("asks for a ZIP in the US and a postal code in GB and CA only", () => {
    expect(postalRule("US")?.label).toBe("ZIP");
    expect(postalRule("GB")?.label).toBe("Postal code");
    expect(postalRule("CA")?.label).toBe("Postal code");
    expect(postalRule("DE")).toBeUndefined();
    expect(checkPostalCode("", "DE")).toEqual({ status: "complete" });
  });

  it("validates US ZIPs", () => {
    expect(checkPostalCode("", "US")).toMatchObject({ status: "empty", message: "Your ZIP is incomplete." });
    expect(checkPostalCode("123", "US")).toMatchObject({ status: "incomplete", message: "Your ZIP is incomplete." });
    expect(checkPostalCode("12345", "US")).toEqual({ status: "complete" });
    expect(checkPostalCode("12345-6789", "US")).toEqual({ status: "complete" });
    expect(checkPostalCode("ABCDE", "US")).toMatchObject({ status: "invalid", message: "Your ZIP is invalid." });
  });

  it("accepts UK and Canadian formats", () => {
    expect(checkPostalCode("SW1A 1AA", "GB")).toEqual({ status: "complete" });
    expect(checkPostalCode("M5T 1T4", "CA")).toEqual({ status: "complete" });
    expect(checkPostalCode("M5T 1T", "CA").status).toBe("incomplete");
  });
});
