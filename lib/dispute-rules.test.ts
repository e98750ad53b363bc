import { describe, expect, it } from "vitest";
import { disputeRevenueLoss, disputeStatusLabel, disputeUpdate, isClosedDispute, isOpenDispute, orderRevenue } from "./dispute-rules";

const at = (seconds: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, seconds));
const stored = (status: string, seconds = 10) => ({ status, eventCreatedAt: at(seconds) });
const incoming = stored;

describe("dispute statuses", () => {
  it("counts disputes waiting for evidence or a decision as open, and decided ones as closed", () => {
    for (const status of ["warning_needs_response", "warning_under_review", "needs_response", "under_review"]) {
      expect([isOpenDispute(status), isClosedDispute(status)], status).toEqual([true, false]);
    }
    for (const status of ["won", "lost", "warning_closed", "prevented"]) {
      expect([isOpenDispute(status), isClosedDispute(status)], status).toEqual([false, true]);
    }
  });

  it("treats a status Stripe may add later as neither open nor closed", () => {
    expect([isOpenDispute("charge_refunded"), isClosedDispute("charge_refunded")]).toEqual([false, false]);
  });

  it("writes statuses as words", () => {
    expect(disputeStatusLabel("warning_needs_response")).toBe("warning needs response");
  });
});

describe("which dispute snapshot wins", () => {
  it("a newer event replaces the stored snapshot", () => {
    expect(disputeUpdate(stored("needs_response"), incoming("under_review", 20))).toEqual({ apply: true });
    expect(disputeUpdate(stored("under_review"), incoming("lost", 20))).toEqual({ apply: true });
  });

  it("an older event, delivered late, changes nothing", () => {
    expect(disputeUpdate(stored("under_review", 20), incoming("needs_response", 10))).toEqual({ apply: false, reason: "older" });
  });

  it("a closed dispute never opens again, even for an event that looks newer", () => {
    expect(disputeUpdate(stored("won", 10), incoming("under_review", 30))).toEqual({ apply: false, reason: "closed" });
    expect(disputeUpdate(stored("lost", 10), incoming("needs_response", 30))).toEqual({ apply: false, reason: "closed" });
  });

  it("events of the same second keep the later stage, whichever arrives first", () => {
    expect(disputeUpdate(stored("under_review"), incoming("needs_response"))).toEqual({ apply: false, reason: "older" });
    expect(disputeUpdate(stored("needs_response"), incoming("under_review"))).toEqual({ apply: true });
    expect(disputeUpdate(stored("won"), incoming("under_review"))).toEqual({ apply: false, reason: "closed" });
  });

  it("the same event applied again writes nothing", () => {
    expect(disputeUpdate(stored("under_review"), incoming("under_review"))).toEqual({ apply: false, reason: "same" });
  });
});

describe("disputes and revenue", () => {
  it("only a lost dispute takes its amount back", () => {
    expect(disputeRevenueLoss({ status: "lost", amount: 2500 })).toBe(2500);
    for (const status of ["won", "warning_closed", "needs_response", "under_review"]) {
      expect(disputeRevenueLoss({ status, amount: 2500 }), status).toBe(0);
    }
  });

  it("an order's revenue is its total net of refunds and lost disputes, never below zero", () => {
    const order = { total: 5000, amountRefunded: 1000 };
    expect(orderRevenue(order, [])).toBe(4000);
    expect(orderRevenue(order, [{ status: "won", amount: 4000 }])).toBe(4000);
    expect(orderRevenue(order, [{ status: "lost", amount: 1500 }])).toBe(2500);
    expect(orderRevenue(order, [{ status: "lost", amount: 5000 }])).toBe(0);
  });
});
