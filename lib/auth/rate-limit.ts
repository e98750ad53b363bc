import "server-only";
import { randomUUID } from "node:crypto";
import { prisma } from "@/lib/db";
import { SIGN_IN_RETENTION_MS, signInKeys, signInRetryAt } from "./sign-in-limits";

// Sign-in attempts are recorded in the database (AdminLoginAttempt) BEFORE the password is checked, under
// transaction-scoped advisory locks on the attempt's keys: of 30 attempts racing for an account, each one
// counts every attempt let through before it, so no more get a password check than the limits allow, on
// any number of app instances. The rules are in ./sign-in-limits.ts.

export type Admission = { ok: true; attemptIds: string[] } | { ok: false; retryAt: Date };

/** Records an attempt for `email` from `client`, or refuses it (recording nothing) when a limit is used up. */
export async function admitSignIn(email: string, client: string, now = new Date()): Promise<Admission> {
  const keys = signInKeys(email, client);
  const all = [keys.pair, keys.client, keys.account];
  return prisma.$transaction(async (tx) => {
    // Sorted, so two attempts sharing keys take the locks in one order and never deadlock.
    for (const key of [...all].sort()) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
    const attempts = await tx.adminLoginAttempt.findMany({
      where: { key: { in: all }, createdAt: { gt: new Date(now.getTime() - SIGN_IN_RETENTION_MS) } },
      select: { key: true, createdAt: true },
    });
    const retryAt = signInRetryAt(keys, attempts, now);
    if (retryAt) return { ok: false, retryAt };
    const rows = all.map((key) => ({ id: randomUUID(), key, createdAt: now }));
    await tx.adminLoginAttempt.createMany({ data: rows });
    return { ok: true, attemptIds: rows.map((row) => row.id) };
  });
}

/** After a successful sign-in: the attempt and this account's failures from this client no longer count. */
export async function forgetSignInAttempts(email: string, client: string, attemptIds: string[]): Promise<void> {
  await prisma.adminLoginAttempt.deleteMany({ where: { OR: [{ id: { in: attemptIds } }, { key: signInKeys(email, client).pair }] } });
}
