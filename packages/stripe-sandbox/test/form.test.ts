import { describe, expect, it } from "vitest";
import { StripeApiError } from "../src/errors.js";
import { decodeForm } from "../src/form.js";

describe("form decoding (Stripe's bracket notation)", () => {
  it("nests a[b][c] and keeps scalars as strings", () => {
    expect(decodeForm("amount=2000&shipping[address][line1]=1%20Main+St&metadata[order_id]=42")).toEqual({
      amount: "2000",
      shipping: { address: { line1: "1 Main St" } },
      metadata: { order_id: "42" },
    });
  });

  it("reads stripe-node's indexed arrays and curl's pushed arrays alike", () => {
    expect(decodeForm("expand[0]=latest_charge&expand[1]=payment_method")).toEqual({ expand: ["latest_charge", "payment_method"] });
    expect(decodeForm("payment_method_types[]=card&payment_method_types[]=link")).toEqual({ payment_method_types: ["card", "link"] });
  });

  it("sorts explicit indexes and builds arrays of objects", () => {
    expect(decodeForm("items[1][id]=b&items[0][id]=a")).toEqual({ items: [{ id: "a" }, { id: "b" }] });
    expect(decodeForm("lines[][sku]=a&lines[][sku]=b")).toEqual({ lines: [{ sku: "a" }, { sku: "b" }] });
  });

  it("rejects array keys that do not start at 0 with Stripe's message and the array's name", () => {
    let error: unknown;
    try {
      decodeForm("expand[1]=latest_charge");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StripeApiError);
    const body = (error as StripeApiError).body;
    expect(body.param).toBe("expand");
    expect(body.message).toBe(
      "If passing an array with explicit keys (e.g. foo[0]=a&foo[1]=b) instead of as an array (e.g. foo[]=a&foo[]=b), the keys must be numeric and sequential starting from 0. You passed the keys `1`, we expected to have a key with the value `0`.",
    );
  });

  it("names the first missing index when there is a gap", () => {
    expect(() => decodeForm("x[0]=a&x[2]=b")).toThrowError(/You passed the keys `0`, `2`, we expected to have a key with the value `1`/);
  });

  it("keeps an empty value (it unsets) and lets the last repeated scalar win", () => {
    expect(decodeForm("description=&a=1&a=2")).toEqual({ description: "", a: "2" });
  });
});
