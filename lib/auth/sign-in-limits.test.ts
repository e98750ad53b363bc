import { describe, expect, it } from "vitest";
import { ACCOUNT_BACKOFF, accountDelayMs, signInKeys, signInRetryAt, type Attempt } from "./sign-in-limits";

const now = new Date(Date.UTC(2026, 10, 30, 12));
const ago = (ms: number) => new Date(now.getTime() - ms);
const keys = signInKeys(" Owner@Example.com ", "198.51.100.4");
const many = (key: string, count: number, spacingMs = 1_000): Attempt[] =>
  Array.from({ length: count }, (_, i) => ({ key, createdAt: ago((i + 1) * spacingMs) }));

describe("sign-in limits", () => {
  it("key the account in lowercase, alone and together with the client", () => {
    expect(keys).toEqual({ pair: "pair:owner@example.com|198.51.100.4", client: "ip:198.51.100.4", account: "account:owner@example.com" });
  });

  it("let four attempts from one place through and stop the sixth until the oldest leaves the window", () => {
    // Five spread over 10 minutes: the account's own back-off has not started (fewer than 10).
    const five = many(keys.pair, 5, 2 * 60_000).concat(many(keys.account, 5, 2 * 60_000));
    expect(signInRetryAt(keys, five.slice(0, 4).concat(many(keys.account, 4, 2 * 60_000)), now)).toBeNull();
    expect(signInRetryAt(keys, five, now)).toEqual(new Date(ago(10 * 60_000).getTime() + 15 * 60_000));
  });

  it("do not lock the owner out when others fail against the account from elsewhere", () => {
    // 200 failures from other addresses within the hour, the last one just now.
    const elsewhere = many(keys.account, 200, 10_000);
    const retry = signInRetryAt(keys, elsewhere, now)!;
    expect(retry.getTime() - now.getTime()).toBeLessThanOrEqual(ACCOUNT_BACKOFF.maxDelayMs);
    // A minute after the attacker's last try the owner gets in, however many they made.
    expect(signInRetryAt(keys, elsewhere, new Date(now.getTime() + ACCOUNT_BACKOFF.maxDelayMs))).toBeNull();
  });

  it("back off per account exponentially, from one second up to one minute", () => {
    expect([9, 10, 11, 12, 15, 16, 17, 100].map(accountDelayMs)).toEqual([0, 1_000, 2_000, 4_000, 32_000, 60_000, 60_000, 60_000]);
  });

  it("limit one client spraying many accounts", () => {
    expect(signInRetryAt(keys, many(keys.client, 19), now)).toBeNull();
    expect(signInRetryAt(keys, many(keys.client, 20), now)).not.toBeNull();
  });

  it("forget attempts older than their windows", () => {
    const old = many(keys.pair, 5, 1_000).map((a) => ({ ...a, createdAt: ago(16 * 60_000) }));
    expect(signInRetryAt(keys, old, now)).toBeNull();
  });
});
