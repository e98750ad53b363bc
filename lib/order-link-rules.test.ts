import { describe, expect, it } from "vitest";
import {
  normaliseOrderNumber,
  ORDER_LINK_ANSWER,
  orderLinkFieldErrors,
  orderLinkInput,
  orderLinkLimits,
  sameEmail,
  tooManyOrderLinkRequests,
} from "./order-link-rules";

describe("the find-your-order form", () => {
  it("accepts an order number in any case with spaces around it, and a trimmed email", () => {
    const parsed = orderLinkInput.parse({ number: "  sf-7k3q9d ", email: " Grace@Example.com " });
    expect(parsed).toEqual({ number: "SF-7K3Q9D", email: "Grace@Example.com" });
  });

  it("names each malformed field", () => {
    const result = orderLinkInput.safeParse({ number: "SF 7K3Q9D; drop", email: "grace" });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(Object.keys(orderLinkFieldErrors(result.error)).sort()).toEqual(["email", "number"]);
    const missing = orderLinkInput.safeParse({});
    expect(missing.success ? {} : orderLinkFieldErrors(missing.error)).toEqual({
      number: "Enter your order number",
      email: "Enter your email",
    });
  });

  it("compares emails ignoring case and surrounding spaces, order numbers ignoring case", () => {
    expect(sameEmail(" Grace@Example.COM", "grace@example.com ")).toBe(true);
    expect(sameEmail("grace@example.com", "grace@example.org")).toBe(false);
    expect(normaliseOrderNumber(" sf-7k3q9d")).toBe("SF-7K3Q9D");
  });

  it("answers with one sentence that does not say whether anything matched", () => {
    expect(ORDER_LINK_ANSWER).toBe("If that order number and email match an order, we've emailed a link to it.");
  });
});

describe("how often links may be asked for", () => {
  it("counts per order number always, and per address only for an address that identifies a client", () => {
    expect(orderLinkLimits("203.0.113.9", "SF-7K3Q9D")).toEqual([
      { key: "order-link:number:SF-7K3Q9D", max: 3, windowMs: 60 * 60_000 },
      { key: "order-link:ip:203.0.113.9", max: 5, windowMs: 15 * 60_000 },
    ]);
    for (const address of ["127.0.0.1", "::1", "::ffff:127.0.0.1", "unknown", null]) {
      expect(orderLinkLimits(address, "SF-7K3Q9D").map((limit) => limit.key)).toEqual(["order-link:number:SF-7K3Q9D"]);
    }
  });

  it("tells a refused shopper when to try again", () => {
    const now = new Date("2026-11-30T12:00:00Z");
    const refused = tooManyOrderLinkRequests(new Date(now.getTime() + 61_000), now);
    expect(refused).toMatchObject({
      ok: false,
      code: "rate_limited",
      error: "Too many requests for order links. Please try again in 2 minutes.",
    });
    expect(tooManyOrderLinkRequests(new Date(now.getTime() + 1_000), now)).toMatchObject({
      error: expect.stringContaining("in 1 minute."),
    });
  });
});
