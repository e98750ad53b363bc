import { describe, expect, it } from "vitest";
import { canRetry, emailKindLabel, retryRefusal, STUCK_PENDING_MS } from "./message-rules";

const now = new Date("2026-12-01T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);

describe("retrying an order's email", () => {
  it("a failed message can always be queued again", () => {
    expect(retryRefusal({ status: "failed", updatedAt: now }, now)).toBeNull();
  });

  it("a sent message cannot", () => {
    expect(retryRefusal({ status: "sent", updatedAt: ago(STUCK_PENDING_MS * 10) }, now)).toMatchObject({ code: "not_retryable" });
  });

  it("a pending message only once it has been stuck longer than its delivery's retries", () => {
    expect(canRetry({ status: "pending", updatedAt: ago(STUCK_PENDING_MS - 1) }, now)).toBe(false);
    expect(canRetry({ status: "pending", updatedAt: ago(STUCK_PENDING_MS) }, now)).toBe(true);
  });
});

it("names every kind in words", () => {
  expect(emailKindLabel("staff_dispute_opened")).toBe("Staff: dispute opened");
  expect(emailKindLabel("order_confirmed")).toBe("Order confirmation");
});
