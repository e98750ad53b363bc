import { describe, expect, it } from "vitest";
import { isLowStock, lowStockDedupeKey, lowStockThresholdInput } from "./low-stock-rules";

describe("the low-stock threshold staff type", () => {
  const parse = (threshold: unknown) => lowStockThresholdInput.safeParse({ variantId: "v1", threshold });

  it("takes a whole number from zero, or empty for no alerts", () => {
    expect(parse("3").data).toEqual({ variantId: "v1", threshold: 3 });
    expect(parse("0").data?.threshold).toBe(0);
    expect(parse("").data?.threshold).toBeNull();
    expect(parse(null).data?.threshold).toBeNull();
  });

  it("refuses negatives, fractions, words and absurd numbers", () => {
    for (const threshold of ["-1", "2.5", "some", 1e9]) expect(parse(threshold).success, String(threshold)).toBe(false);
  });
});

describe("low stock", () => {
  it("is stock at or below the threshold, and never without one", () => {
    expect(isLowStock({ stock: 3, lowStockThreshold: 3 })).toBe(true);
    expect(isLowStock({ stock: 4, lowStockThreshold: 3 })).toBe(false);
    expect(isLowStock({ stock: 0, lowStockThreshold: null })).toBe(false);
  });

  it("alerts once per set of variants and minute, whatever their order", () => {
    const now = new Date("2026-12-01T12:34:56Z");
    const key = lowStockDedupeKey(["b", "a"], now);
    expect(key).toMatch(/^staff_low_stock:2026-12-01T12:34:[0-9a-f]{32}$/);
    expect(lowStockDedupeKey(["a", "b"], new Date("2026-12-01T12:34:01Z"))).toBe(key);
    expect(lowStockDedupeKey(["a", "b"], new Date("2026-12-01T12:35:00Z"))).not.toBe(key);
    expect(lowStockDedupeKey(["a", "c"], now)).not.toBe(key);
  });
});
