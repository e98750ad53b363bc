import { describe, expect, it } from "vitest";
import { cancelRefusal, paymentBlocksCancel, planRefund, type RefundableOrder } from "./order-rules";

const paid: RefundableOrder = { status: "paid", total: 4200, amountRefunded: 0, currency: "usd", paymentIntentId: "pi_1" };

describe("refund rules", () => {
  it("a paid order refunds an amount typed in major units, in minor units", () => {
    expect(planRefund(paid, "12.50")).toEqual({ ok: true, paymentIntentId: "pi_1", amount: 1250 });
    expect(planRefund(paid, "$42")).toEqual({ ok: true, paymentIntentId: "pi_1", amount: 4200 });
  });

  it("a zero-decimal currency takes whole units only", () => {
    const yen = { ...paid, currency: "jpy", total: 5000 };
    expect(planRefund(yen, "500")).toMatchObject({ ok: true, amount: 500 });
    expect(planRefund(yen, "500.5")).toMatchObject({ ok: false, code: "invalid_input" });
  });

  it("only what is left can be refunded", () => {
    const partly = { ...paid, status: "partially_refunded" as const, amountRefunded: 4000 };
    expect(planRefund(partly, "2.00")).toMatchObject({ ok: true, amount: 200 });
    expect(planRefund(partly, "2.01")).toMatchObject({ ok: false, code: "amount_too_large" });
    expect(planRefund({ ...paid, status: "refunded", amountRefunded: 4200 }, "1")).toMatchObject({ ok: false, code: "not_refundable" });
  });

  it("refuses unpaid orders, and amounts that are not above zero", () => {
    for (const status of ["pending", "processing", "canceled"] as const) {
      expect(planRefund({ ...paid, status }, "1")).toMatchObject({ ok: false, code: "not_refundable" });
    }
    expect(planRefund({ ...paid, paymentIntentId: null }, "1")).toMatchObject({ ok: false, code: "not_refundable" });
    for (const text of ["0", "0.00", "-1", "abc", "", "1.234"])
      expect(planRefund(paid, text)).toMatchObject({ ok: false, code: "invalid_input" });
  });
});

describe("cancel rules", () => {
  it("only open (unpaid) orders can be canceled", () => {
    expect(cancelRefusal({ status: "pending" })).toBeNull();
    expect(cancelRefusal({ status: "processing" })).toBeNull();
    for (const status of ["paid", "partially_refunded", "refunded", "canceled"] as const) {
      expect(cancelRefusal({ status })).toMatchObject({ ok: false, code: "not_cancelable" });
    }
  });

  it("a payment that went or is going through blocks the cancel", () => {
    expect(paymentBlocksCancel("succeeded")).toMatchObject({ ok: false, code: "not_cancelable" });
    expect(paymentBlocksCancel("processing")).toMatchObject({ ok: false, code: "not_cancelable" });
  });
});
