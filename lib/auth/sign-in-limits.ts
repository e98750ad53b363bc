// How many sign-in attempts are let through, as pure rules (lib/auth/sign-in-limits.test.ts); the counting
// lives in lib/auth/rate-limit.ts. Three keys, so that one party's failures never lock out another:
//   - the account and the client together: 5 attempts in 15 minutes (someone guessing from one place);
//   - the client alone: 20 attempts in 15 minutes (one place spraying many accounts);
//   - the account alone: after 10 attempts in an hour, each next attempt waits for a back-off that doubles
//     from 1 s up to 1 minute after the last one. Guessing from many addresses is slowed to one try a minute,
//     while the owner, from their own address, is never kept out longer than that minute.
// Windows slide: a slot frees when the oldest counted attempt leaves the window; nothing is a fixed block
// that a few more requests could renew.

export type SignInKeys = { pair: string; client: string; account: string };
export type Attempt = { key: string; createdAt: Date };

export const PAIR_LIMIT = { max: 5, windowMs: 15 * 60_000 } as const;
export const CLIENT_LIMIT = { max: 20, windowMs: 15 * 60_000 } as const;
export const ACCOUNT_BACKOFF = { free: 10, windowMs: 60 * 60_000, firstDelayMs: 1_000, maxDelayMs: 60_000 } as const;

/** Attempts older than this count for no limit (the purge job deletes them). */
export const SIGN_IN_RETENTION_MS = Math.max(PAIR_LIMIT.windowMs, CLIENT_LIMIT.windowMs, ACCOUNT_BACKOFF.windowMs);

/** The keys of one attempt. `email` is normalised here; `client` is already bounded (lib/request-ip.ts). */
export function signInKeys(email: string, client: string): SignInKeys {
  const account = email.trim().toLowerCase().slice(0, 254);
  return { pair: `pair:${account}|${client}`, client: `ip:${client}`, account: `account:${account}` };
}

function slidingRetryAt(times: number[], limit: { max: number; windowMs: number }, now: number): number | null {
  const inWindow = times.filter((t) => t > now - limit.windowMs).sort((a, b) => a - b);
  if (inWindow.length < limit.max) return null;
  return inWindow[inWindow.length - limit.max]! + limit.windowMs;
}

/** Delay the account's back-off asks for after `count` attempts in its window. */
export function accountDelayMs(count: number): number {
  if (count < ACCOUNT_BACKOFF.free) return 0;
  const doublings = Math.min(count - ACCOUNT_BACKOFF.free, 30);
  return Math.min(ACCOUNT_BACKOFF.firstDelayMs * 2 ** doublings, ACCOUNT_BACKOFF.maxDelayMs);
}

/** When the next attempt may be made given the attempts already recorded, or null when it may be made now. */
export function signInRetryAt(keys: SignInKeys, attempts: readonly Attempt[], now: Date): Date | null {
  const at = now.getTime();
  const timesOf = (key: string) => attempts.filter((a) => a.key === key).map((a) => a.createdAt.getTime());
  const account = timesOf(keys.account).filter((t) => t > at - ACCOUNT_BACKOFF.windowMs);
  const accountRetry = account.length > 0 ? Math.max(...account) + accountDelayMs(account.length) : null;
  const candidates = [
    slidingRetryAt(timesOf(keys.pair), PAIR_LIMIT, at),
    slidingRetryAt(timesOf(keys.client), CLIENT_LIMIT, at),
    accountRetry !== null && accountRetry > at ? accountRetry : null,
  ].filter((t): t is number => t !== null && t > at);
  return candidates.length > 0 ? new Date(Math.max(...candidates)) : null;
}
