import "server-only";
import { prisma } from "@/lib/db";

// Failed sign-ins are counted in the database per account and per IP address over a sliding window,
// so the limit holds however many app instances share the database.
export const SIGN_IN_WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_IP = 20;

const keys = (email: string, ip: string) => ({ account: `account:${email.toLowerCase()}`, ip: `ip:${ip}` });

/** Minutes until the next attempt is allowed, or 0 when it is allowed now. */
export async function signInBlockedFor(email: string, ip: string, now = new Date()): Promise<number> {
  const since = new Date(now.getTime() - SIGN_IN_WINDOW_MINUTES * 60_000);
  const { account, ip: ipKey } = keys(email, ip);
  const [accountFailures, ipFailures] = await Promise.all([
    prisma.adminLoginAttempt.findMany({
      where: { key: account, createdAt: { gt: since } },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true },
    }),
    prisma.adminLoginAttempt.findMany({
      where: { key: ipKey, createdAt: { gt: since } },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true },
    }),
  ]);
  const waitFor = (failures: { createdAt: Date }[], max: number) => {
    if (failures.length < max) return 0;
    // The window frees a slot when the oldest counted failure leaves it.
    const oldest = failures[failures.length - max]!.createdAt.getTime();
    return Math.max(1, Math.ceil((oldest + SIGN_IN_WINDOW_MINUTES * 60_000 - now.getTime()) / 60_000));
  };
  return Math.max(waitFor(accountFailures, MAX_FAILURES_PER_ACCOUNT), waitFor(ipFailures, MAX_FAILURES_PER_IP));
}

export async function recordFailedSignIn(email: string, ip: string): Promise<void> {
  const { account, ip: ipKey } = keys(email, ip);
  await prisma.adminLoginAttempt.createMany({ data: [{ key: account }, { key: ipKey }] });
}

export async function clearFailedSignIns(email: string): Promise<void> {
  await prisma.adminLoginAttempt.deleteMany({ where: { key: keys(email, "").account } });
}
