import { describe, expect, it } from "vitest";
import { planPaymentUpdate, type OrderPaymentState, type PaymentSignal } from "./order-status";

const pending: OrderPaymentState = { status: "pending", total: 4200, currency: "usd", amountRefunded: 0, stockReserved: true };
const paid: OrderPaymentState = { ...pending, status: "paid", stockReserved: false };
const succeeded = (amountReceived = 4200, currency = "usd"): PaymentSignal => ({
  kind: "intent",
  status: "succeeded",
  amountReceived,
  currency,
});
const charge = (amountRefunded: number, amountCaptured = 4200): PaymentSignal => ({
  kind: "charge",
  paid: true,
  captured: true,
  amountCaptured,
  amountRefunded,
  currency: "usd",
});

describe("order payment state machine", () => {
  it("a succeeded intent with the right amount pays a pending order, keeps its stock sold and closes the cart", () => {
    expect(planPaymentUpdate(pending, succeeded())).toEqual({
      status: "paid",
      markPaidNow: true,
      consumeReservation: true,
      closeCart: true,
      outcome: "paid",
    });
  });

  it("a processing order is paid by success too", () => {
    expect(planPaymentUpdate({ ...pending, status: "processing" }, succeeded()).status).toBe("paid");
  });

  it("a repeated success changes nothing on a paid order", () => {
    const update = planPaymentUpdate(paid, succeeded());
    expect(update.status).toBeUndefined();
    expect(update.markPaidNow).toBeUndefined();
  });

  it("an amount that differs from the total is flagged, not accepted", () => {
    const update = planPaymentUpdate(pending, succeeded(3900));
    expect(update.status).toBeUndefined();
    expect(update.attention).toMatch(/Stripe received 3900 usd, the order total is 4200 usd/);
  });

  it("a different currency is flagged even when the number matches", () => {
    expect(planPaymentUpdate(pending, succeeded(4200, "eur")).attention).toMatch(/Amount mismatch/);
  });

  it("a late processing event never moves a paid order back", () => {
    expect(planPaymentUpdate(paid, { kind: "intent", status: "processing", amountReceived: 0, currency: "usd" }).status).toBeUndefined();
  });

  it("a failed attempt is recorded without closing the order", () => {
    const update = planPaymentUpdate(pending, {
      kind: "intent",
      status: "requires_payment_method",
      amountReceived: 0,
      currency: "usd",
      failure: { message: "Your card was declined." },
    });
    expect(update).toEqual({ recordFailure: "Your card was declined.", outcome: "payment failed: Your card was declined." });
  });

  it("a bank debit that fails returns a processing order to pending, so the shopper can pay again", () => {
    const processing = { ...pending, status: "processing" as const };
    const failed: PaymentSignal = {
      kind: "intent",
      status: "requires_payment_method",
      amountReceived: 0,
      currency: "usd",
      failure: { message: "closed" },
    };
    expect(planPaymentUpdate(processing, failed)).toEqual({
      status: "pending",
      recordFailure: "closed",
      outcome: "payment failed: closed",
    });
    // Stripe's state read later (no failure message) does the same for an order a stale event left processing.
    expect(planPaymentUpdate(processing, { ...failed, failure: undefined }).status).toBe("pending");
    expect(planPaymentUpdate(pending, { ...failed, failure: undefined })).toEqual({ outcome: "no change" });
  });

  it("a failure reported after the order was paid is ignored", () => {
    const update = planPaymentUpdate(paid, {
      kind: "intent",
      status: "requires_payment_method",
      amountReceived: 0,
      currency: "usd",
      failure: { message: "x" },
    });
    expect(update.recordFailure).toBeUndefined();
  });

  it("cancellation closes an open order and returns its reserved stock", () => {
    expect(planPaymentUpdate(pending, { kind: "intent", status: "canceled", amountReceived: 0, currency: "usd" })).toMatchObject({
      status: "canceled",
      releaseStock: true,
    });
  });

  it("cancellation never touches a paid order", () => {
    expect(planPaymentUpdate(paid, { kind: "intent", status: "canceled", amountReceived: 0, currency: "usd" }).status).toBeUndefined();
  });

  it("a partial refund then a full refund move the order forward", () => {
    const partial = planPaymentUpdate(paid, charge(1000));
    expect(partial).toMatchObject({ status: "partially_refunded", amountRefunded: 1000 });
    const full = planPaymentUpdate({ ...paid, status: "partially_refunded", amountRefunded: 1000 }, charge(4200));
    expect(full).toMatchObject({ status: "refunded", amountRefunded: 4200 });
  });

  it("an older refund snapshot arriving after a newer one changes nothing", () => {
    const update = planPaymentUpdate({ ...paid, status: "refunded", amountRefunded: 4200 }, charge(1000));
    expect(update.status).toBeUndefined();
    expect(update.amountRefunded).toBeUndefined();
  });

  it("a refunded charge arriving before the success event pays the order and applies the refund", () => {
    expect(planPaymentUpdate(pending, charge(1000))).toMatchObject({
      status: "partially_refunded",
      markPaidNow: true,
      amountRefunded: 1000,
      closeCart: true,
    });
  });

  it("an uncaptured charge is not proof of payment", () => {
    const update = planPaymentUpdate(pending, {
      kind: "charge",
      paid: true,
      captured: false,
      amountCaptured: 0,
      amountRefunded: 0,
      currency: "usd",
    });
    expect(update.status).toBeUndefined();
  });
});
