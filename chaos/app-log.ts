// Counts what the app instances logged during a scenario: errors that broke no invariant (Stripe retried,
// the shopper pressed again) but say how the shop coped.
import { readFile, stat } from "node:fs/promises";
import type { AppProcess } from "./app-process";

const PATTERNS = {
  webhookHandlerFailures: /^webhook: event \S+ \([^)]+\) failed/gm,
  inboxApplyFailures: /^webhook inbox: event \S+ \([^)]+\) failed/gm,
  deadlocks: /deadlock detected/g,
  transactionStartTimeouts: /Unable to start a transaction in the given time/g,
  expiredTransactions: /commit cannot be executed on an expired transaction/g,
};

export type LogMark = Map<string, number>;

export async function markAppLogs(apps: AppProcess[]): Promise<LogMark> {
  const mark: LogMark = new Map();
  for (const app of apps)
    mark.set(
      app.logFile,
      await stat(app.logFile)
        .then((s) => s.size)
        .catch(() => 0),
    );
  return mark;
}

/** Occurrences of each pattern in what the instances wrote since `mark`. */
export async function countAppLogs(apps: AppProcess[], mark: LogMark): Promise<Record<string, number>> {
  const counts = Object.fromEntries(Object.keys(PATTERNS).map((k) => [k, 0])) as Record<keyof typeof PATTERNS, number>;
  for (const app of apps) {
    const text = (await readFile(app.logFile).catch(() => Buffer.alloc(0))).subarray(mark.get(app.logFile) ?? 0).toString("utf8");
    for (const [name, pattern] of Object.entries(PATTERNS) as Array<[keyof typeof PATTERNS, RegExp]>)
      counts[name] += text.match(pattern)?.length ?? 0;
  }
  return counts;
}
