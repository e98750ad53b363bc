import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { StaffRole } from "./roles";

// Staff sessions in the database. The browser's cookie holds a random 256-bit token; the row's id is the
// token's SHA-256, so reading the table signs no one in. Every request looks the row up: sign-out, removal of
// the person, expiry, or going unused for ADMIN_IDLE_MINUTES ends a session on every instance at once, and a
// copied cookie is then worthless.
// No next/headers here, so scripts and tests can open sessions too (lib/auth/session.ts sets the cookie).

export const SESSION_SECONDS = 8 * 60 * 60;
/** lastSeenAt is written at most this often per session, so page views do not each cost a write. */
export const TOUCH_EVERY_MS = 60_000;

export type SignedInStaff = { id: string; email: string; name: string; role: StaffRole; sessionId: string };

/** Why a cookie signs no one in: no or unknown token, signed out or person removed, past its expiry, unused too long. */
export type SessionRefusal = "missing" | "ended" | "expired" | "idle";

export type SessionCheck = { ok: true; staff: SignedInStaff } | { ok: false; reason: SessionRefusal };

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

type SessionRow = { expiresAt: Date; revokedAt: Date | null; lastSeenAt: Date; staffDisabledAt: Date | null };

/**
 * Whether a session row still signs its person in at `now`. lastSeenAt lags the last request by up to
 * TOUCH_EVERY_MS, so an idle session ends between `idleMs` minus that minute and `idleMs` after its last use.
 */
export function sessionState(row: SessionRow, now: Date, idleMs: number): "active" | Exclude<SessionRefusal, "missing"> {
  if (row.revokedAt || row.staffDisabledAt) return "ended";
  if (row.expiresAt <= now) return "expired";
  if (now.getTime() - row.lastSeenAt.getTime() > idleMs) return "idle";
  return "active";
}

/** Whether a request at `now` should move the session's lastSeenAt forward. */
export function needsTouch(lastSeenAt: Date, now: Date): boolean {
  return now.getTime() - lastSeenAt.getTime() > TOUCH_EVERY_MS;
}

/** Who a cookie's token signs in, or why it signs no one in. A session unused for `idleMs` is refused. */
export async function checkSession(db: Db, token: string | undefined, idleMs: number, now = new Date()): Promise<SessionCheck> {
  if (!token || token.length > 100) return { ok: false, reason: "missing" };
  const session = await db.staffSession.findUnique({
    where: { id: sessionIdOf(token) },
    select: { id: true, expiresAt: true, revokedAt: true, lastSeenAt: true, staff: true },
  });
  if (!session) return { ok: false, reason: "missing" };
  const state = sessionState({ ...session, staffDisabledAt: session.staff.disabledAt }, now, idleMs);
  if (state !== "active") return { ok: false, reason: state };
  if (needsTouch(session.lastSeenAt, now)) {
    // Conditional, so of several requests arriving together only the first writes.
    await db.staffSession.updateMany({
      where: { id: session.id, lastSeenAt: { lt: new Date(now.getTime() - TOUCH_EVERY_MS) } },
      data: { lastSeenAt: now },
    });
  }
  const { staff } = session;
  return { ok: true, staff: { id: staff.id, email: staff.email, name: staff.name, role: staff.role, sessionId: session.id } };
}

/** The staff member a cookie's token signs in, or null (unknown, revoked, expired, idle, or the person removed). */
export async function findSession(db: Db, token: string | undefined, idleMs: number, now = new Date()): Promise<SignedInStaff | null> {
  const check = await checkSession(db, token, idleMs, now);
  return check.ok ? check.staff : null;
}

/** Sessions that still sign their person in, per staff member (for the owner's staff list). */
export async function activeSessionCounts(db: Db, idleMs: number, now = new Date()): Promise<Map<string, number>> {
  const groups = await db.staffSession.groupBy({
    by: ["staffId"],
    where: { revokedAt: null, expiresAt: { gt: now }, lastSeenAt: { gte: new Date(now.getTime() - idleMs) } },
    _count: { _all: true },
  });
  return new Map(groups.map((group) => [group.staffId, group._count._all]));
}

/** Ends one session (sign-out). */
export async function revokeSession(db: Db, sessionId: string, now = new Date()): Promise<void> {
  await db.staffSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: now } });
}

/** Ends every session of a staff member (their removal, "sign out everywhere"), or every one but `exceptSessionId`. */
export async function revokeSessionsOf(db: Db, staffId: string, now = new Date(), exceptSessionId?: string): Promise<number> {
  const { count } = await db.staffSession.updateMany({
    where: { staffId, revokedAt: null, ...(exceptSessionId ? { id: { not: exceptSessionId } } : {}) },
    data: { revokedAt: now },
  });
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
