import "server-only";
import { prisma } from "@/lib/db";
import type { JobDefinition } from "./boss";
import { abandonedBefore } from "./retention";

// Hourly: deletes open carts untouched for CART_RETENTION_DAYS, with their lines (ON DELETE CASCADE). A cart
// any order points to is never deleted: orders keep their cart for good (and the foreign key would refuse).

// Carts per statement: each batch is one short statement, so a large backlog never holds many locks for long.
const BATCH = 500;

/**
 * Deletes abandoned carts now; returns how many. "Untouched" counts the cart's lines too: adding or changing
 * a line updates the line, not the cart. A cart locked by a request at this moment (an add to cart, a
 * checkout) is skipped, and one that request reaches after it was deleted is not found and starts afresh.
 */
export async function purgeAbandonedCarts(now = new Date()): Promise<{ deletedCarts: number }> {
  const before = abandonedBefore(now);
  let deletedCarts = 0;
  for (;;) {
    const deleted = await prisma.$executeRaw`
      DELETE FROM "Cart" WHERE id IN (
        SELECT c.id FROM "Cart" c
         WHERE c.status = 'open' AND c."updatedAt" < ${before}
           AND NOT EXISTS (SELECT 1 FROM "CartItem" i WHERE i."cartId" = c.id AND i."updatedAt" >= ${before})
           AND NOT EXISTS (SELECT 1 FROM "Order" o WHERE o."cartId" = c.id)
         ORDER BY c."updatedAt"
         LIMIT ${BATCH}
         FOR UPDATE SKIP LOCKED)`;
    deletedCarts += deleted;
    if (deleted < BATCH) return { deletedCarts };
  }
}

export const purgeAbandonedCartsJob: JobDefinition = {
  name: "purge-abandoned-carts",
  cron: "17 * * * *",
  queue: { policy: "stately", retryLimit: 2, retryDelay: 5 * 60, expireInSeconds: 15 * 60 },
  run: () => purgeAbandonedCarts(),
};
