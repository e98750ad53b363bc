import "server-only";
import { SIGN_IN_RETENTION_MS } from "@/lib/auth/sign-in-limits";
import { prisma } from "@/lib/db";
import { HIT_RETENTION_MS } from "@/lib/rate-limit-rules";
import type { JobDefinition } from "./boss";
import { outOfWindowBefore } from "./retention";

// Hourly: deletes rate-limit rows no limit can count any more: checkout limits' hits (RateLimitHit) older
// than the longest window any limit may have, staff sign-in attempts (AdminLoginAttempt) older than their
// longest window; and staff sessions a day after they expired (revoked ones too: they are never reused). Each is one DELETE over a table that holds about an hour of rows, so no index on age alone (which
// every counted request would pay for) is needed.

/** Deletes rows that fell out of their windows now; returns how many of each. */
export async function purgeRateLimitRows(
  now = new Date(),
): Promise<{ rateLimitHits: number; adminLoginAttempts: number; staffSessions: number }> {
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const [hits, signIns, sessions] = await Promise.all([
    prisma.rateLimitHit.deleteMany({ where: { createdAt: { lt: outOfWindowBefore(now, HIT_RETENTION_MS) } } }),
    prisma.adminLoginAttempt.deleteMany({ where: { createdAt: { lt: outOfWindowBefore(now, SIGN_IN_RETENTION_MS) } } }),
    prisma.staffSession.deleteMany({ where: { OR: [{ expiresAt: { lt: dayAgo } }, { revokedAt: { lt: dayAgo } }] } }),
  ]);
  return { rateLimitHits: hits.count, adminLoginAttempts: signIns.count, staffSessions: sessions.count };
}

export const purgeRateLimitRowsJob: JobDefinition = {
  name: "purge-rate-limit-rows",
  cron: "47 * * * *",
  queue: { policy: "stately", retryLimit: 2, retryDelay: 5 * 60, expireInSeconds: 15 * 60 },
  run: () => purgeRateLimitRows(),
};
