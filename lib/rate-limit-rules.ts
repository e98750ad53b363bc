// Sliding-window rate limits as pure arithmetic: a request is allowed when, for every limit it counts
// against, fewer than `max` other requests were counted in the `windowMs` before it. No database here:
// lib/rate-limit.ts stores the hits, lib/rate-limit-rules.test.ts runs these alone.

/** At most `max` requests per `key` in any `windowMs`. */
export type RateLimit = { key: string; max: number; windowMs: number };

/** A request counted earlier. */
export type Hit = { key: string; createdAt: Date };

/** Hits are kept this long and purged after (lib/jobs/purge-rate-limit-rows.ts): no window may be longer. */
export const HIT_RETENTION_MS = 60 * 60_000;

/**
 * When a request at `now` that counts against `limits` may be counted, given the hits counted before it:
 * null if now, else the moment enough of them have left their windows (the latest over all limits).
 */
export function refusedUntil(limits: readonly RateLimit[], others: readonly Hit[], now: Date): Date | null {
  let until: number | null = null;
  for (const { key, max, windowMs } of limits) {
    const windowStart = now.getTime() - windowMs;
    const inWindow = others
      .filter((hit) => hit.key === key && hit.createdAt.getTime() > windowStart)
      .map((hit) => hit.createdAt.getTime())
      .sort((a, b) => a - b);
    if (inWindow.length < max) continue;
    // A place frees up when the hit `max` places before the newest leaves the window: from then on at
    // most max - 1 others are in it.
    const frees = inWindow[inWindow.length - max]! + windowMs;
    until = Math.max(until ?? frees, frees);
  }
  return until === null ? null : new Date(until);
}

/** Whole minutes from `now` until `until`, at least 1: what a refusal tells people to wait. */
export function minutesUntil(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
}
