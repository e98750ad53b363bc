import "server-only";
import { prisma } from "@/lib/db";
import { HIT_RETENTION_MS, refusedUntil, type RateLimit } from "@/lib/rate-limit-rules";

// Rate limits kept in the database (RateLimitHit), so they hold across every app instance and no header,
// cookie or restart resets them. One row per counted request and key; rows older than any window are purged
// hourly (lib/jobs/purge-rate-limit-rows.ts).

export type RateLimitVerdict = { ok: true } | { ok: false; retryAt: Date };

/**
 * Counts a request against every limit in `limits`, or refuses it if any of them is used up. Two round
 * trips: the request is recorded first (committed at once, so concurrent requests on other instances see
 * it), then the hits in the windows are read. Of requests racing for the last places, each one counts the
 * others that were recorded before it looked, so together they never exceed a limit; at worst all of them
 * are refused and the places go to the next requests. A refused request is taken out again (a third round
 * trip, refusals only): a client that keeps knocking waits no longer, and the table does not grow with it.
 */
export async function countRequest(limits: readonly RateLimit[], now = new Date()): Promise<RateLimitVerdict> {
  if (limits.length === 0) return { ok: true };
  const longest = Math.max(...limits.map((limit) => limit.windowMs));
  if (longest > HIT_RETENTION_MS) throw new Error(`rate limit: a window of ${longest} ms outlives the hourly purge`);

  const keys = [...new Set(limits.map((limit) => limit.key))];
  const recorded = await prisma.rateLimitHit.createManyAndReturn({
    data: keys.map((key) => ({ key, createdAt: now })),
    select: { id: true },
  });
  const ids = recorded.map((row) => row.id);
  const others = await prisma.rateLimitHit.findMany({
    where: { key: { in: keys }, createdAt: { gt: new Date(now.getTime() - longest) }, id: { notIn: ids } },
    select: { key: true, createdAt: true },
  });
  const retryAt = refusedUntil(limits, others, now);
  if (!retryAt) return { ok: true };
  await prisma.rateLimitHit.deleteMany({ where: { id: { in: ids } } });
  return { ok: false, retryAt };
}
