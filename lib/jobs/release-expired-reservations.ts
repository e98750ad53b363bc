import "server-only";
import { releaseExpiredReservations } from "@/lib/orders";
import type { JobDefinition } from "./boss";

// Every minute: checkouts whose reservation ran out (its TTL, or its cap: lib/checkout/limits.ts) are
// canceled, each at Stripe first and then in one short transaction that puts the stock back; an intent that
// got paid meanwhile keeps its stock (lib/orders.ts cancelOrder). Up to releaseExpiredReservations' limit per
// run, oldest first; an order that fails (Stripe unreachable) is simply found again by the next run. Catalog
// pages follow by themselves: the database expires their cache when stock changes.

/** One sweep now, as the worker runs it. */
export async function sweepExpiredReservations(): Promise<{ released: number }> {
  const released = await releaseExpiredReservations();
  if (released > 0) console.log(`jobs: released ${released} expired reservation${released === 1 ? "" : "s"}`);
  return { released };
}

export const releaseExpiredReservationsJob: JobDefinition = {
  name: "release-expired-reservations",
  cron: "* * * * *",
  // No retries: the next minute's run is the retry. A run still going after 10 minutes (Stripe hanging)
  // counts as failed so that the next one can start; cancelling the same order twice is harmless.
  queue: { policy: "stately", retryLimit: 0, expireInSeconds: 10 * 60 },
  run: sweepExpiredReservations,
};
