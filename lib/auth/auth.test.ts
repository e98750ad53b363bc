import { describe, expect, it } from "vitest";
import { hashLoad, hashPassword, isPasswordHash, MAX_CONCURRENT_HASHES, verifyPassword } from "./password";

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
