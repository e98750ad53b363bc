import { describe, expect, it } from "vitest";
import {
  CHECKOUT_STARTS_PER_ADDRESS,
  CHECKOUT_STARTS_PER_CART,
  checkoutStartLimits,
  paymentCheckLimits,
  RESERVATION_CAP_MINUTES,
  renewReservation,
  tooManyAttempts,
} from "./limits";

const MINUTE = 60_000;
const t0 = new Date("2026-11-30T12:00:00Z");
const at = (minutes: number) => new Date(t0.getTime() + minutes * MINUTE);

describe("reservation cap", () => {
  it("a new reservation starts now and lasts the TTL", () => {
    expect(renewReservation(t0, null, 30)).toEqual({ reservedAt: t0, reservedUntil: at(30) });
  });

  it("renewals keep when the stock was first taken and move the end up to the cap, never past it", () => {
    expect(RESERVATION_CAP_MINUTES).toBe(60);
    expect(renewReservation(at(20), t0, 30)).toEqual({ reservedAt: t0, reservedUntil: at(50) });
    expect(renewReservation(at(45), t0, 30)).toEqual({ reservedAt: t0, reservedUntil: at(60) });
    expect(renewReservation(at(59.9), t0, 30)).toEqual({ reservedAt: t0, reservedUntil: at(60) });
  });

  it("a reservation that reached its cap cannot be renewed, even after its TTL lapsed", () => {
    expect(renewReservation(at(60), t0, 30)).toBeNull();
    expect(renewReservation(at(200), t0, 30)).toBeNull();
  });

  it("renewing every few minutes can never hold stock past the cap", () => {
    let held = renewReservation(t0, null, 30);
    for (let minute = 5; held; minute += 5) {
      expect(held.reservedUntil.getTime()).toBeLessThanOrEqual(at(RESERVATION_CAP_MINUTES).getTime());
      held = renewReservation(at(minute), held.reservedAt, 30);
    }
  });

  it("a TTL configured longer than the cap holds once, for the TTL", () => {
    expect(renewReservation(t0, null, 90)).toEqual({ reservedAt: t0, reservedUntil: at(90) });
    expect(renewReservation(at(30), t0, 90)).toEqual({ reservedAt: t0, reservedUntil: at(90) });
    expect(renewReservation(at(90), t0, 90)).toBeNull();
  });
});

describe("checkout rate limits", () => {
  it("a start counts per cart and per client address", () => {
    expect(checkoutStartLimits("cart1", "203.0.113.7")).toEqual([
      { key: "checkout-start:cart:cart1", ...CHECKOUT_STARTS_PER_CART },
      { key: "checkout-start:ip:203.0.113.7", ...CHECKOUT_STARTS_PER_ADDRESS },
    ]);
    expect(CHECKOUT_STARTS_PER_CART).toEqual({ max: 20, windowMs: 10 * MINUTE });
    expect(CHECKOUT_STARTS_PER_ADDRESS).toEqual({ max: 60, windowMs: 10 * MINUTE });
  });

  it("the machine itself and an unknown address are limited per cart only", () => {
    for (const address of ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1", "unknown", null]) {
      expect(checkoutStartLimits("cart1", address).map((l) => l.key)).toEqual(["checkout-start:cart:cart1"]);
    }
    expect(checkoutStartLimits("cart1", "::ffff:198.51.100.4").map((l) => l.key)).toContain("checkout-start:ip:::ffff:198.51.100.4");
  });

  it("a press of Pay counts against its own, looser limit, never against the starts", () => {
    const [check] = paymentCheckLimits("cart1");
    expect(check).toEqual({ key: "checkout-recheck:cart:cart1", max: 60, windowMs: 10 * MINUTE });
  });

  it("a refusal carries its code and says when to try again", () => {
    expect(tooManyAttempts(at(4.5), t0)).toEqual({
      ok: false,
      code: "rate_limited",
      error: "Too many checkout attempts. Please try again in 5 minutes.",
    });
    expect(tooManyAttempts(at(0.2), t0).error).toBe("Too many checkout attempts. Please try again in 1 minute.");
  });
});
