// Calendar days as the admin area and the reconciliation command take them: `YYYY-MM-DD`, UTC, inclusive
// at both ends. Pure; the one place such input is parsed.

const DAY_MS = 86_400_000;
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** The start (00:00 UTC) of a `YYYY-MM-DD` day, or null for anything else (including 2026-02-30). */
export function parseDay(value: unknown): Date | null {
  if (typeof value !== "string" || !DAY_PATTERN.test(value)) return null;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && formatDay(date) === value ? date : null;
}

/** `YYYY-MM-DD` of a moment, in UTC. */
export function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The day `days` days before (negative: after) the given moment's UTC day. */
export function dayOffset(now: Date, days: number): string {
  return formatDay(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - days * DAY_MS));
}

/**
 * The half-open interval [start of `from`, start of the day after `to`). Either end may be absent (an open
 * range); a present end that is not a valid day, or a start after the end, is an error.
 */
export function parseDayRange(from: unknown, to: unknown): { ok: true; from: Date | null; to: Date | null } | { ok: false; error: string } {
  const present = (v: unknown) => v !== undefined && v !== null && v !== "";
  const start = present(from) ? parseDay(from) : null;
  const end = present(to) ? parseDay(to) : null;
  if (present(from) && !start) return { ok: false, error: `Not a date (YYYY-MM-DD): ${String(from)}` };
  if (present(to) && !end) return { ok: false, error: `Not a date (YYYY-MM-DD): ${String(to)}` };
  if (start && end && start > end) return { ok: false, error: "The start date is after the end date." };
  return { ok: true, from: start, to: end ? new Date(end.getTime() + DAY_MS) : null };
}
