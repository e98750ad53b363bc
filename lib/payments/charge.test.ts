import { describe, expect, it } from "vitest";
import { differingFields, intentParams, sameCharge, type ChargeableOrder, type IntentFields } from "./charge";

const order: ChargeableOrder = {
  id: "ord_1",
  number: "SF-7K3Q9D",
  cartId: "cart_1",
  email: "ada@example.com",
  total: 4200,
  currency: "usd",
  discountCode: "WELCOME10",
  shipping: {
    name: "Ada Shopper",
    line1: "1 Market Street",
    line2: null,
    city: "San Francisco",
    state: "CA",
    postalCode: "94105",
    country: "US",
  },
};

/** An intent as Stripe returns it after being created with the order's params (empty strings as null). */
function intentFor(o: ChargeableOrder): IntentFields {
  const p = intentParams(o);
  return {
    amount: p.amount,
    currency: p.currency,
    description: p.description,
    receipt_email: p.receipt_email,
    metadata: p.metadata,
    statement_descriptor_suffix: p.statement_descriptor_suffix,
    shipping: {
      name: p.shipping.name,
      address: { ...p.shipping.address, line2: p.shipping.address.line2 || null, state: p.shipping.address.state || null },
    },
  } as IntentFields;
}

describe("intent fields", () => {
  it("an intent made from the order charges exactly the order", () => {
    expect(differingFields(intentFor(order), intentParams(order))).toEqual([]);
    expect(
      differingFields(
        intentFor({ ...order, shipping: { ...order.shipping, state: null } }),
        intentParams({ ...order, shipping: { ...order.shipping, state: null } }),
      ),
    ).toEqual([]);
  });

  it("any change of amount, contact or shipping address is a difference", () => {
    const intent = intentFor(order);
    const changed = (patch: Partial<ChargeableOrder>, shipping: Partial<ChargeableOrder["shipping"]> = {}) =>
      differingFields(intent, intentParams({ ...order, ...patch, shipping: { ...order.shipping, ...shipping } }));
    expect(changed({ total: 4300 })).toEqual(["amount"]);
    expect(changed({ email: "grace@example.com" })).toEqual(["receipt_email"]);
    expect(changed({}, { name: "Grace Shopper" })).toEqual(["shipping.name"]);
    expect(changed({}, { line1: "2 Market Street" })).toEqual(["shipping.address.line1"]);
    expect(changed({}, { line2: "Suite 5" })).toEqual(["shipping.address.line2"]);
    expect(changed({}, { city: "Oakland" })).toEqual(["shipping.address.city"]);
    expect(changed({}, { state: "NV" })).toEqual(["shipping.address.state"]);
    expect(changed({}, { state: null })).toEqual(["shipping.address.state"]);
    expect(changed({}, { postalCode: "94612" })).toEqual(["shipping.address.postal_code"]);
    expect(changed({}, { country: "CA" })).toEqual(["shipping.address.country"]);
  });

  it("an intent without shipping differs in every address field", () => {
    expect(differingFields({ ...intentFor(order), shipping: null }, intentParams(order))).toContain("shipping.address.line1");
  });

  it("sameCharge compares every field the intent carries", () => {
    expect(sameCharge(order, { ...order })).toBe(true);
    expect(sameCharge(order, { ...order, total: 1 })).toBe(false);
    expect(sameCharge(order, { ...order, shipping: { ...order.shipping, city: "Oakland" } })).toBe(false);
  });
});
