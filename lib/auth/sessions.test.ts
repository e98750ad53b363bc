import { afterEach, describe, expect, it, vi } from "vitest";
import { needsTouch, sessionState, TOUCH_EVERY_MS } from "./sessions";

const now = new Date("2026-11-30T12:00:00Z");
const minutes = (n: number) => n * 60_000;
const ago = (ms: number) => new Date(now.getTime() - ms);
const row = (overrides: Partial<Parameters<typeof sessionState>[0]> = {}) => ({
  expiresAt: new Date(now.getTime() + minutes(60)),
  revokedAt: null,
  lastSeenAt: ago(minutes(1)),
  staffDisabledAt: null,
  ...overrides,
});

describe("a staff session", () => {
  const idle = minutes(60);

  it("signs its person in while used within the idle limit and before its expiry", () => {
    expect(sessionState(row(), now, idle)).toBe("active");
    expect(sessionState(row({ lastSeenAt: ago(idle) }), now, idle)).toBe("active");
  });

  it("is refused as idle once unused for longer than the limit, even long before its expiry", () => {
    expect(sessionState(row({ lastSeenAt: ago(idle + 1) }), now, idle)).toBe("idle");
    expect(sessionState(row({ lastSeenAt: ago(idle + 1), expiresAt: new Date(now.getTime() + minutes(400)) }), now, idle)).toBe("idle");
  });

  it("is refused as expired at its absolute expiry, however recently used", () => {
    expect(sessionState(row({ lastSeenAt: now, expiresAt: now }), now, idle)).toBe("expired");
  });

  it("is ended by sign-out or the person's removal, whatever else holds", () => {
    expect(sessionState(row({ revokedAt: ago(1) }), now, idle)).toBe("ended");
    expect(sessionState(row({ staffDisabledAt: ago(1), lastSeenAt: ago(idle * 2) }), now, idle)).toBe("ended");
  });

  it("records its last use at most once a minute", () => {
    expect(needsTouch(ago(0), now)).toBe(false);
    expect(needsTouch(ago(TOUCH_EVERY_MS), now)).toBe(false);
    expect(needsTouch(ago(TOUCH_EVERY_MS + 1), now)).toBe(true);
  });
});

describe("ADMIN_IDLE_MINUTES", () => {
  const before = process.env.ADMIN_IDLE_MINUTES;
  afterEach(() => {
    if (before === undefined) delete process.env.ADMIN_IDLE_MINUTES;
    else process.env.ADMIN_IDLE_MINUTES = before;
  });

  /** adminEnv() read afresh with ADMIN_IDLE_MINUTES set to `value` (undefined: unset). */
  async function idleMinutes(value: string | undefined) {
    if (value === undefined) delete process.env.ADMIN_IDLE_MINUTES;
    else process.env.ADMIN_IDLE_MINUTES = value;
    vi.resetModules();
    const { adminEnv } = await import("@/lib/env");
    return adminEnv().ADMIN_IDLE_MINUTES;
  }

  it("defaults to 60 minutes when unset or empty, and takes a whole number of minutes", async () => {
    expect(await idleMinutes(undefined)).toBe(60);
    expect(await idleMinutes("")).toBe(60);
    expect(await idleMinutes("15")).toBe(15);
  });

  it("refuses to start with a value that is not 5 to 480 whole minutes, naming the variable", async () => {
    for (const value of ["0", "4", "481", "1.5", "an hour"]) {
      await expect(idleMinutes(value), value).rejects.toThrow(/ADMIN_IDLE_MINUTES/);
    }
  });
});
