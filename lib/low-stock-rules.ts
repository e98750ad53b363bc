// Low-stock alerts, as pure rules: the threshold staff type per variant, when a variant is low, and the
// alert email's dedupe key. The job is lib/jobs/low-stock-alerts.ts.
import { createHash } from "node:crypto";
import { z } from "zod";

/** A variant's threshold as staff type it: a whole number from 0, or empty for no alerts. */
export const lowStockThresholdInput = z.object({
  variantId: z.string().min(1).max(64),
  threshold: z.union([
    z.literal("").transform(() => null),
    z.null(),
    z.coerce
      .number({ error: "The threshold must be a whole number" })
      .int("The threshold must be a whole number")
      .min(0, "The threshold cannot be negative")
      .max(1_000_000, "The threshold is capped at 1,000,000"),
  ]),
});

/** Low: at or below its threshold; a variant without one is never low. */
export function isLowStock<V extends { stock: number; lowStockThreshold: number | null }>(
  variant: V,
): variant is V & { lowStockThreshold: number } {
  return variant.lowStockThreshold !== null && variant.stock <= variant.lowStockThreshold;
}

/**
 * One alert per set of variants and minute: a job run repeated within the minute (a retry after its commit
 * was lost) writes nothing again. The ids are hashed: hundreds of them would not fit a unique index entry.
 */
export function lowStockDedupeKey(variantIds: readonly string[], now: Date): string {
  const ids = createHash("sha256")
    .update([...variantIds].sort().join(","))
    .digest("hex")
    .slice(0, 32);
  return `staff_low_stock:${now.toISOString().slice(0, 16)}:${ids}`;
}
