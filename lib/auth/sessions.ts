import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { StaffRole } from "./roles";

// Staff sessions in the database. The browser's cookie holds a random 256-bit token; the row's id is the
// token's SHA-256, so reading the table signs no one in. Every request looks the row up: sign-out, removal of
// the person, or expiry ends a session on every instance at once, and a copied cookie is then worthless.
// No next/headers here, so scripts and tests can open sessions too (lib/auth/session.ts sets the cookie).

export const SESSION_SECONDS = 8 * 60 * 60;
/** lastSeenAt is written at most this often per session, so page views do not each cost a write. */
const TOUCH_EVERY_MS = 5 * 60_000;

export type SignedInStaff = { id: string; email: string; name: string; role: StaffRole; sessionId: string };

type Db = Pick<PrismaClient, "staffSession">;

export function sessionIdOf(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

/** Opens a session for a staff member; returns the token for the cookie and when it expires. */
export async function openSession(db: Db, staffId: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + SESSION_SECONDS * 1000);
  await db.staffSession.create({ data: { id: sessionIdOf(token), staffId, expiresAt, createdAt: now, lastSeenAt: now } });
  return { token, expiresAt };
}

/** The staff member a cookie's token signs in, or null (unknown, revoked, expired, or the person removed). */
export async function findSession(db: Db, token: string | undefined, now = new Date()): Promise<SignedInStaff | null> {
  if (!token || token.length > 100) return null;
  const session = await db.staffSession.findUnique({
    where: { id: sessionIdOf(token) },
    select: { id: true, expiresAt: true, revokedAt: true, lastSeenAt: true, staff: true },
  });
  if (!session || session.revokedAt || session.expiresAt <= now || session.staff.disabledAt) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.staffSession.updateMany({ where: { id: session.id }, data: { lastSeenAt: now } });
  }
  const { staff } = session;
  return { id: staff.id, email: staff.email, name: staff.name, role: staff.role, sessionId: session.id };
}

/** Ends one session (sign-out). */
export async function revokeSession(db: Db, sessionId: string, now = new Date()): Promise<void> {
  await db.staffSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: now } });
}

/** Ends every session of a staff member (their removal). */
export async function revokeSessionsOf(db: Db, staffId: string, now = new Date()): Promise<number> {
  const { count } = await db.staffSession.updateMany({ where: { staffId, revokedAt: null }, data: { revokedAt: now } });
  return count;
}

/** Anything with pg's `query` (a Pool or a Client): the harnesses' own connections. */
type SqlQueryable = { query: (text: string, values: unknown[]) => Promise<{ rowCount: number | null }> };

/**
 * For harnesses (multi-instance, bench, chaos) that act as staff through their own pg connection: opens a
 * session for the active staff member with `email` and returns the token for the `admin_session` cookie.
 * The shop creates the owner named by ADMIN_EMAIL when it starts, so call this once it is up.
 */
export async function openSessionWithSql(db: SqlQueryable, email: string, seconds = SESSION_SECONDS): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  const { rowCount } = await db.query(
    `INSERT INTO "StaffSession" (id, "staffId", "expiresAt")
     SELECT $1, id, now() + make_interval(secs => $3) FROM "Staff" WHERE email = lower($2) AND "disabledAt" IS NULL`,
    [sessionIdOf(token), email, seconds],
  );
  if (rowCount !== 1) throw new Error(`no active staff member ${email} to open a session for (is the shop started with ADMIN_EMAIL?)`);
  return token;
}
