import "server-only";
import { prisma } from "@/lib/db";
import { queueEmail, staffAddress } from "@/lib/email/outbox";
import { Prisma } from "@/lib/generated/prisma/client";
import { isLowStock, lowStockDedupeKey } from "@/lib/low-stock-rules";
import { absoluteUrl } from "@/lib/site";
import { variantName } from "@/lib/variant-name";
import { variantOptionsSql } from "@/lib/variants";
import type { JobDefinition } from "./boss";

// Every minute: staff get one email listing the active variants that fell to their low-stock threshold or
// below since the last alert (ProductVariant.lowStockThreshold, set on the Stock page), and each alerted
// variant is marked (lowStockAlertedAt) so it is not listed again while it stays low. A variant whose stock
// is back above its threshold (restocked, a checkout canceled) is unmarked, so its next fall alerts again.
// The marks, the unmarks and the email (with its delivery job) commit in one transaction.
//
// Failure modes:
// - A checkout holds a variant's row: the row is skipped (SKIP LOCKED) and looked at again next minute, so
//   the job never waits on a checkout and never deadlocks with one.
// - Two runs at once (the queue is stately, but a run that outlived its expiry): each locks the rows it
//   takes, so a variant is in one email at most; a repeat within the same minute writes no second email.
// - No staff address configured: variants are still marked, so there is no burst of old alerts once one is.

type Candidate = {
  id: string;
  sku: string;
  stock: number;
  lowStockThreshold: number | null;
  alerted: boolean;
  active: boolean;
  productName: string;
  options: string;
};

/** One run now, as the worker runs it: how many variants were alerted and how many were unmarked. */
export async function sendLowStockAlerts(now = new Date()): Promise<{ alerted: number; rearmed: number }> {
  return prisma.$transaction(async (tx) => {
    // Unmarked and low (to alert), or marked and no longer low (to unmark); the decision is isLowStock's.
    const candidates = await tx.$queryRaw<Candidate[]>`
      SELECT v.id, v.sku, v.stock, v."lowStockThreshold", v."lowStockAlertedAt" IS NOT NULL AS alerted,
             v.active AND p.active AS active, p.name AS "productName", ${variantOptionsSql(Prisma.sql`v.id`)} AS options
        FROM "ProductVariant" v JOIN "Product" p ON p.id = v."productId"
       WHERE (v."lowStockAlertedAt" IS NULL AND v."lowStockThreshold" IS NOT NULL AND v.stock <= v."lowStockThreshold")
          OR (v."lowStockAlertedAt" IS NOT NULL AND (v."lowStockThreshold" IS NULL OR v.stock > v."lowStockThreshold"))
       ORDER BY p.name, v.position, v.sku
         FOR UPDATE OF v SKIP LOCKED`;
    const low = candidates.filter(isLowStock).filter((v) => !v.alerted && v.active);
    const back = candidates.filter((v) => v.alerted && !isLowStock(v));
    if (back.length > 0) {
      await tx.productVariant.updateMany({ where: { id: { in: back.map((v) => v.id) } }, data: { lowStockAlertedAt: null } });
    }
    if (low.length > 0) {
      await tx.productVariant.updateMany({ where: { id: { in: low.map((v) => v.id) } }, data: { lowStockAlertedAt: now } });
      const to = await staffAddress(tx);
      if (to) {
        await queueEmail(tx, {
          dedupeKey: lowStockDedupeKey(
            low.map((v) => v.id),
            now,
          ),
          to,
          input: {
            kind: "staff_low_stock",
            variants: low.map((v) => ({
              name: variantName(v.productName, v.options),
              sku: v.sku,
              stock: v.stock,
              threshold: v.lowStockThreshold,
            })),
            adminUrl: absoluteUrl("/admin/products"),
          },
        });
      }
    }
    return { alerted: low.length, rearmed: back.length };
  });
}

export const lowStockAlertsJob: JobDefinition = {
  name: "low-stock-alerts",
  cron: "* * * * *",
  // No retries: the next minute's run is the retry, and finds the same variants still unmarked.
  queue: { policy: "stately", retryLimit: 0, expireInSeconds: 5 * 60 },
  run: () => sendLowStockAlerts(),
};
