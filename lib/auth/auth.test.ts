import { describe, expect, it } from "vitest";
import { hashLoad, hashPassword, isPasswordHash, MAX_CONCURRENT_HASHES, verifyPassword } from "./password";
import { createSessionToken, verifySessionToken } from "./session-token";

const SECRET = "a-session-secret-that-is-at-least-32-chars";

describe("staff passwords", () => {
  it("verify against their own scrypt hash and nothing else", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(isPasswordHash(hash)).toBe(true);
    expect(await verifyPassword("correct horse battery staple", hash)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", hash)).toBe(false);
    expect(await verifyPassword("correct horse battery staple", "plain-text")).toBe(false);
  });

  it("hash the same password differently each time (random salt)", async () => {
    expect(await hashPassword("same password")).not.toBe(await hashPassword("same password"));
  });
});

describe("password hashing under a burst of sign-ins", () => {
  it("runs at most a few hashes at once and queues the rest, so the thread pool stays free for other work", async () => {
    const burst = Array.from({ length: 8 }, (_, i) => hashPassword(`password ${i}`));
    expect(hashLoad()).toEqual({ running: MAX_CONCURRENT_HASHES, waiting: 8 - MAX_CONCURRENT_HASHES });
    expect(new Set(await Promise.all(burst)).size).toBe(8);
    expect(hashLoad()).toEqual({ running: 0, waiting: 0 });
  });
});

describe("staff session tokens", () => {
  it("carry the email until they expire", () => {
    const now = Date.UTC(2026, 10, 23, 12);
    const token = createSessionToken("admin@example.com", SECRET, 3600, now);
    expect(verifySessionToken(token, SECRET, now + 1000)).toEqual({ email: "admin@example.com", exp: now / 1000 + 3600 });
    expect(verifySessionToken(token, SECRET, now + 3601 * 1000)).toBeNull();
  });

  it("are refused when signed with another secret, altered, or malformed", () => {
    const token = createSessionToken("admin@example.com", SECRET, 3600);
    expect(verifySessionToken(token, `${SECRET}-other`)).toBeNull();
    const [data, signature] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ email: "evil@example.com", exp: 9_999_999_999 })).toString("base64url");
    expect(verifySessionToken(`${forged}.${signature}`, SECRET)).toBeNull();
    expect(verifySessionToken(`${data}.${signature}.extra`, SECRET)).toBeNull();
    expect(verifySessionToken("", SECRET)).toBeNull();
    expect(verifySessionToken(undefined, SECRET)).toBeNull();
  });
});
