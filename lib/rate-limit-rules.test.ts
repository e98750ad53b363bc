import { describe, expect, it } from "vitest";
import { minutesUntil, refusedUntil, type Hit, type RateLimit } from "./rate-limit-rules";

const now = new Date("2026-11-30T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);
const MINUTE = 60_000;
const perCart: RateLimit = { key: "cart:a", max: 3, windowMs: 10 * MINUTE };
const hits = (key: string, ...msAgo: number[]): Hit[] => msAgo.map((ms) => ({ key, createdAt: ago(ms) }));

describe("sliding-window rate limits", () => {
  it("allow a request while fewer than max others fall in the window", () => {
    expect(refusedUntil([perCart], [], now)).toBeNull();
    expect(refusedUntil([perCart], hits("cart:a", 1 * MINUTE, 2 * MINUTE), now)).toBeNull();
  });

  it("refuse the request after max, until the oldest counted one leaves the window", () => {
    const others = hits("cart:a", 9 * MINUTE, 5 * MINUTE, 1 * MINUTE);
    expect(refusedUntil([perCart], others, now)).toEqual(new Date(now.getTime() + 1 * MINUTE));
  });

  it("with more than max in the window, wait until only max - 1 remain", () => {
    // Five in the window, max three: the third oldest (7 minutes ago) must leave, 3 minutes from now.
    const others = hits("cart:a", 9 * MINUTE, 8 * MINUTE, 7 * MINUTE, 2 * MINUTE, 1 * MINUTE);
    expect(refusedUntil([perCart], others, now)).toEqual(new Date(now.getTime() + 3 * MINUTE));
  });

  it("a hit exactly one window old no longer counts, one a millisecond younger still does", () => {
    expect(refusedUntil([perCart], hits("cart:a", 10 * MINUTE, 1 * MINUTE, 1 * MINUTE), now)).toBeNull();
    expect(refusedUntil([perCart], hits("cart:a", 10 * MINUTE - 1, 1 * MINUTE, 1 * MINUTE), now)).toEqual(new Date(now.getTime() + 1));
  });

  it("count only their own key; with several limits the longest wait wins", () => {
    const perAddress: RateLimit = { key: "ip:203.0.113.7", max: 2, windowMs: 30 * MINUTE };
    expect(refusedUntil([perCart], hits("cart:b", 1, 2, 3, 4), now)).toBeNull();
    const others = [...hits("cart:a", 6 * MINUTE, 4 * MINUTE, 2 * MINUTE), ...hits("ip:203.0.113.7", 20 * MINUTE, 10 * MINUTE)];
    expect(refusedUntil([perCart, perAddress], others, now)).toEqual(new Date(now.getTime() + 10 * MINUTE));
  });

  it("say the wait in whole minutes, never less than one", () => {
    expect(minutesUntil(new Date(now.getTime() + 1), now)).toBe(1);
    expect(minutesUntil(new Date(now.getTime() + 60_000), now)).toBe(1);
    expect(minutesUntil(new Date(now.getTime() + 60_001), now)).toBe(2);
    expect(minutesUntil(now, now)).toBe(1);
  });
});
