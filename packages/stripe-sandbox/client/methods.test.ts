import { describe, expect, it } from "vitest";
import { elementMethodTypes, mandateDataFor, parseMethodTypes } from "./methods";

describe("the Payment Element's tabs", () => {
  it("offers the supported types of an intent in the element's order, card first", () => {
    expect(elementMethodTypes(["sepa_debit", "ideal", "card"])).toEqual(["card", "sepa_debit", "ideal"]);
    expect(elementMethodTypes(["us_bank_account", "card"])).toEqual(["card", "us_bank_account"]);
  });

  it("leaves out types the sandbox does not support and falls back to card when none is left", () => {
    expect(elementMethodTypes(["klarna", "sepa_debit"])).toEqual(["sepa_debit"]);
    expect(elementMethodTypes(["klarna"])).toEqual(["card"]);
    expect(elementMethodTypes(undefined)).toEqual(["card"]);
  });

  it("reads the frame's paymentMethodTypes parameter", () => {
    expect(parseMethodTypes("card,ideal")).toEqual(["card", "ideal"]);
    expect(parseMethodTypes(null)).toEqual(["card"]);
  });

  it("accepts the mandate online, inferred from the client, for bank debits only", () => {
    const online = { customer_acceptance: { type: "online", online: { infer_from_client: true } } };
    expect(mandateDataFor("sepa_debit")).toEqual(online);
    expect(mandateDataFor("us_bank_account")).toEqual(online);
    expect(mandateDataFor("card")).toBeUndefined();
    expect(mandateDataFor("ideal")).toBeUndefined();
  });
});
