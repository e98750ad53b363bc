// Wire compatibility with every official SDK: what older SDKs send, and what Stripe leaves out of objects
// unless it is expanded. Through the real `stripe` SDK where it can say it, raw HTTP where it cannot.
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SandboxHandle } from "../src/server.js";
import { raw, sdk, start } from "./helpers.js";

let sandbox: SandboxHandle;
let stripe: Stripe;

beforeAll(async () => {
  sandbox = await start();
  stripe = sdk(sandbox);
});
afterAll(() => sandbox.close());

const card = { payment_method_types: ["card"] };

/** A succeeded card payment and its charge. */
async function paid(amount = 2000) {
  const intent = await stripe.paymentIntents.create({
    amount,
    currency: "usd",
    payment_method: "pm_card_visa",
    confirm: true,
    ...card,
  });
  return { intent, chargeId: intent.latest_charge as string };
}

describe("booleans", () => {
  it("are accepted as true and false in any letter case, as older SDKs write them", async () => {
    for (const [written, confirmed] of [
      ["True", true],
      ["TRUE", true],
      ["tRuE", true],
      ["False", false],
      ["FALSE", false],
    ] as const) {
      const res = await raw(sandbox, "POST", "/v1/payment_intents", {
        body: `amount=1500&currency=usd&payment_method_types[0]=card&payment_method=pm_card_visa&confirm=${written}`,
      });
      expect(res.status, written).toBe(200);
      expect(res.json.status, written).toBe(confirmed ? "succeeded" : "requires_confirmation");
    }
  });

  it("still refuses anything else with Stripe's parameter_invalid_boolean", async () => {
    for (const written of ["yes", "1", "truthy"]) {
      const res = await raw(sandbox, "POST", "/v1/payment_intents", { body: `amount=1500&currency=usd&confirm=${written}` });
      expect(res.status, written).toBe(400);
      expect(res.json.error).toMatchObject({ type: "invalid_request_error", code: "parameter_invalid_boolean", param: "confirm" });
    }
  });
});

describe("a charge's refunds", () => {
  it("are left out of a charge unless expanded, as since API version 2022-11-15", async () => {
    const { chargeId } = await paid();
    await stripe.refunds.create({ charge: chargeId, amount: 500 });
    const charge = await stripe.charges.retrieve(chargeId);
    expect(charge.amount_refunded).toBe(500);
    expect("refunds" in charge).toBe(false);
  });

  it("come as a list, newest first, with expand[]=refunds", async () => {
    const { chargeId } = await paid();
    const first = await stripe.refunds.create({ charge: chargeId, amount: 300 });
    const second = await stripe.refunds.create({ charge: chargeId, amount: 700 });
    const charge = await stripe.charges.retrieve(chargeId, { expand: ["refunds"] });
    expect(charge.refunds).toMatchObject({ object: "list", has_more: false, url: `/v1/charges/${chargeId}/refunds` });
    expect(charge.refunds!.data.map((refund) => [refund.id, refund.amount])).toEqual([
      [second.id, 700],
      [first.id, 300],
    ]);
    // Only this charge's refunds.
    const other = await paid();
    await stripe.refunds.create({ charge: other.chargeId });
    const again = await stripe.charges.retrieve(chargeId, { expand: ["refunds"] });
    expect(again.refunds!.data).toHaveLength(2);
  });

  it("come on every charge of a list with expand[]=data.refunds, and an empty list where there are none", async () => {
    const refunded = await paid(1200);
    await stripe.refunds.create({ charge: refunded.chargeId });
    const untouched = await paid(1300);
    const page = await stripe.charges.list({ limit: 5, expand: ["data.refunds"] });
    const byId = new Map(page.data.map((charge) => [charge.id, charge]));
    expect(byId.get(refunded.chargeId)!.refunds!.data.map((refund) => refund.amount)).toEqual([1200]);
    expect(byId.get(untouched.chargeId)!.refunds).toMatchObject({ object: "list", data: [], has_more: false });
  });

  it("cannot be expanded further than the list", async () => {
    const { chargeId } = await paid();
    const res = await raw<Stripe.Charge>(sandbox, "GET", `/v1/charges/${chargeId}?expand[0]=refunds.data`);
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ type: "invalid_request_error", param: "expand" });
  });
});
