// What the webhook inbox (lib/payments/inbox.ts) still has to apply, as one SQL statement, and a wait until
// it has nothing left. Plain code with no imports: the shop runs it through Prisma, while the benchmark and
// the chaos harness, which watch the shop's database from another process, run it through their own pools.

/** Events recorded but not applied yet; `failing`: those whose last attempt failed (they are retried). */
export type InboxBacklog = { pending: number; failing: number };

export const INBOX_BACKLOG_SQL = `SELECT count(*)::int AS pending, (count(*) FILTER (WHERE "failedAttempts" > 0))::int AS failing
  FROM "StripeEvent" WHERE "processedAt" IS NULL`;

export type InboxWait = { empty: boolean; waitedMs: number; backlog: InboxBacklog };

/**
 * Polls `readBacklog` (INBOX_BACKLOG_SQL through the caller's connection) until nothing is pending, or
 * `timeoutMs` has passed. `poll` runs before each read, e.g. to drain in this process.
 */
export async function waitForEmptyInbox(
  readBacklog: () => Promise<InboxBacklog>,
  { timeoutMs, intervalMs = 100, poll }: { timeoutMs: number; intervalMs?: number; poll?: () => Promise<unknown> },
): Promise<InboxWait> {
  const started = Date.now();
  for (;;) {
    await poll?.();
    const backlog = await readBacklog();
    const waitedMs = Date.now() - started;
    if (backlog.pending === 0 || waitedMs >= timeoutMs) return { empty: backlog.pending === 0, waitedMs, backlog };
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, timeoutMs - waitedMs)));
  }
}
