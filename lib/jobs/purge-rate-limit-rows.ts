import "server-only";
import { SIGN_IN_WINDOW_MINUTES } from "@/lib/auth/rate-limit";
import { prisma } from "@/lib/db";
import { HIT_RETENTION_MS } from "@/lib/rate-limit-rules";
import type { JobDefinition } from "./boss";
import { outOfWindowBefore } from "./retention";

// Hourly: deletes rate-limit rows no limit can count any more: checkout limits' hits (RateLimitHit) older
// than the longest window any limit may have, failed staff sign-ins (AdminLoginAttempt) older than their
// window. Each is one DELETE over a table that holds about an hour of rows, so no index on age alone (which
// every counted request would pay for) is needed.

/** Deletes rows that fell out of their windows now; returns how many of each. */
export async function purgeRateLimitRows(now = new Date()): Promise<{ rateLimitHits: number; adminLoginAttempts: number }> {
  const [hits, signIns] = await Promise.all([
    prisma.rateLimitHit.deleteMany({ where: { createdAt: { lt: outOfWindowBefore(now, HIT_RETENTION_MS) } } }),
    prisma.adminLoginAttempt.deleteMany({ where: { createdAt: { lt: outOfWindowBefore(now, SIGN_IN_WINDOW_MINUTES * 60_000) } } }),
  ]);
  return { rateLimitHits: hits.count, adminLoginAttempts: signIns.count };
}

export const purgeRateLimitRowsJob: JobDefinition = {
  name: "purge-rate-limit-rows",
  cron: "47 * * * *",
  queue: { policy: "stately", retryLimit: 2, retryDelay: 5 * 60, expireInSeconds: 15 * 60 },
  run: () => purgeRateLimitRows(),
};
