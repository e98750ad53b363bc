import { describe, expect, it } from "vitest";
import { abandonedBefore, CART_RETENTION_DAYS, outOfWindowBefore } from "./retention";

const now = new Date("2026-11-30T12:00:00Z");

describe("what the purge jobs keep", () => {
  it("open carts are abandoned after 30 days without a change", () => {
    expect(CART_RETENTION_DAYS).toBe(30);
    expect(abandonedBefore(now)).toEqual(new Date("2026-10-31T12:00:00Z"));
  });

  it("a limit's rows are useless once older than its window", () => {
    expect(outOfWindowBefore(now, 15 * 60_000)).toEqual(new Date("2026-11-30T11:45:00Z"));
  });
});
