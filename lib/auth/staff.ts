import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { recordAudit, type Actor } from "@/lib/audit";
import { prisma, type Tx } from "@/lib/db";
import { adminEnv } from "@/lib/env";
import { fail, type Failure } from "@/lib/result";
import { hashPassword, verifyPassword } from "./password";
import type { StaffRole } from "./roles";
import { activeSessionCounts, openSession, revokeSession, revokeSessionsOf } from "./sessions";

// Staff accounts: the first owner from the environment, invitations, role changes, removal, passwords and
// sessions. Every change writes its audit entry in the same transaction.

export { MIN_PASSWORD_LENGTH } from "./password-rules";
export const INVITE_HOURS = 72;
const SYSTEM: Actor = { id: null, email: "system" };

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

let envOwnerEnsured: Promise<void> | undefined;

/**
 * Makes sure the owner named by ADMIN_EMAIL exists with the configured password (once per process; a no-op
 * without ADMIN_EMAIL). Existing deployments and the dev and test stacks sign in this way. A person an owner
 * removed stays removed: this never re-enables an account or changes its role.
 */
export function ensureEnvOwner(): Promise<void> {
  envOwnerEnsured ??= syncEnvOwner().catch((error: unknown) => {
    envOwnerEnsured = undefined;
    throw error;
  });
  return envOwnerEnsured;
}

async function syncEnvOwner(): Promise<void> {
  const env = adminEnv();
  if (!env.ADMIN_EMAIL) return;
  const email = normaliseEmail(env.ADMIN_EMAIL);
  const existing = await prisma.staff.findUnique({ where: { email } });
  // A plain ADMIN_PASSWORD is hashed afresh each start: compare by verifying, not by the hash's text.
  const current = existing?.passwordHash
    ? env.ADMIN_PASSWORD_HASH
      ? existing.passwordHash === env.ADMIN_PASSWORD_HASH
      : await verifyPassword(env.ADMIN_PASSWORD!, existing.passwordHash)
    : false;
  if (existing && current) return;
  const passwordHash = env.ADMIN_PASSWORD_HASH ?? (await hashPassword(env.ADMIN_PASSWORD!));
  await prisma.$transaction(async (tx) => {
    const staff = await tx.staff.upsert({
      where: { email },
      create: { email, role: "owner", passwordHash },
      update: { passwordHash },
    });
    await recordAudit(tx, SYSTEM, {
      action: existing ? "staff.password_from_env" : "staff.create_from_env",
      subjectType: "staff",
      subjectId: staff.id,
      details: { email },
    });
  });
}

/** Whether `email` is the owner ADMIN_EMAIL names, whose password the environment sets again at each start. */
export function isEnvOwner(email: string): boolean {
  const configured = adminEnv().ADMIN_EMAIL;
  return configured !== undefined && normaliseEmail(configured) === normaliseEmail(email);
}

/** `npm run staff:create`: a staff member with a password, or a new password and role for an existing one. */
export async function createStaff(input: { email: string; role: StaffRole; password: string; name?: string }) {
  const email = normaliseEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  return prisma.$transaction(async (tx) => {
    const staff = await tx.staff.upsert({
      where: { email },
      create: { email, role: input.role, passwordHash, name: input.name ?? "" },
      update: { role: input.role, passwordHash, disabledAt: null },
    });
    await recordAudit(
      tx,
      { id: null, email: "command line" },
      {
        action: "staff.create",
        subjectType: "staff",
        subjectId: staff.id,
        details: { email, role: input.role },
      },
    );
    return staff;
  });
}

export async function listStaff() {
  return prisma.staff.findMany({
    orderBy: [{ disabledAt: { sort: "asc", nulls: "first" } }, { email: "asc" }],
    select: { id: true, email: true, name: true, role: true, disabledAt: true, createdAt: true },
  });
}

/** Invitations not used yet and not expired, newest first (their links are never shown again). */
export async function openInvites(now = new Date()) {
  return prisma.staffInvite.findMany({
    where: { usedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    select: { id: true, email: true, role: true, createdAt: true, expiresAt: true, invitedBy: { select: { email: true } } },
  });
}

/** Idle timeout of staff sessions, from ADMIN_IDLE_MINUTES. */
export function sessionIdleMs(): number {
  return adminEnv().ADMIN_IDLE_MINUTES * 60_000;
}

/** How many sessions each staff member has that still sign them in. */
export async function sessionCounts(now = new Date()): Promise<Map<string, number>> {
  return activeSessionCounts(prisma, sessionIdleMs(), now);
}

function tokenHashOf(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

/** An owner invites someone: the one-time token for /admin/invite/<token> (only its hash is stored). */
export async function inviteStaff(actor: Actor & { id: string }, email: string, role: StaffRole, now = new Date()) {
  const normalised = normaliseEmail(email);
  const active = await prisma.staff.findFirst({ where: { email: normalised, disabledAt: null, passwordHash: { not: null } } });
  if (active) return fail("already_staff", `${normalised} already has a staff account`);
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + INVITE_HOURS * 3_600_000);
  const invite = await prisma.$transaction(async (tx) => {
    const created = await tx.staffInvite.create({
      data: { tokenHash: tokenHashOf(token), email: normalised, role, invitedById: actor.id, expiresAt, createdAt: now },
    });
    await recordAudit(tx, actor, {
      action: "staff.invite",
      subjectType: "invite",
      subjectId: created.id,
      details: { email: normalised, role },
    });
    return created;
  });
  return { ok: true as const, token, expiresAt, inviteId: invite.id };
}

/** The invitation a token stands for, if it can still be used (for the page that shows the form). */
export async function pendingInvite(token: string, now = new Date()) {
  if (!token || token.length > 100) return null;
  const invite = await prisma.staffInvite.findUnique({ where: { tokenHash: tokenHashOf(token) } });
  return invite && !invite.usedAt && invite.expiresAt > now
    ? { email: invite.email, role: invite.role, expiresAt: invite.expiresAt }
    : null;
}

export type AcceptInviteResult = { ok: true; sessionToken: string; expiresAt: Date } | Failure<"invite_invalid" | "already_staff">;

/**
 * The invited person sets their password. The invite is claimed with one conditional UPDATE, so of two
 * submissions of the same link exactly one creates the account; an expired or used link is refused.
 */
export async function acceptInvite(
  token: string,
  input: { name: string; password: string },
  now = new Date(),
): Promise<AcceptInviteResult> {
  const invalid = () => fail("invite_invalid", "This invitation link has expired or was already used. Ask an owner for a new one.");
  // Looked up before hashing, so posting made-up tokens costs the shop no password hash.
  if (!(await pendingInvite(token, now))) return invalid();
  const passwordHash = await hashPassword(input.password);
  return prisma.$transaction(async (tx) => {
    const claimed = await tx.staffInvite.updateManyAndReturn({
      where: { tokenHash: tokenHashOf(token), usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    const invite = claimed[0];
    if (!invite) return invalid();
    const existing = await tx.staff.findUnique({ where: { email: invite.email } });
    if (existing && !existing.disabledAt && existing.passwordHash) {
      return fail("already_staff", `${invite.email} already has a staff account. Sign in instead.`);
    }
    // A removed person invited again comes back with the new role and password.
    const staff = await tx.staff.upsert({
      where: { email: invite.email },
      create: { email: invite.email, role: invite.role, name: input.name, passwordHash },
      update: { role: invite.role, name: input.name, passwordHash, disabledAt: null },
    });
    await recordAudit(
      tx,
      { id: staff.id, email: staff.email },
      {
        action: "staff.join",
        subjectType: "staff",
        subjectId: staff.id,
        details: { role: invite.role, inviteId: invite.id },
      },
    );
    const session = await openSession(tx, staff.id, now);
    return { ok: true, sessionToken: session.token, expiresAt: session.expiresAt };
  });
}

/**
 * An owner cancels an open invitation: the row is deleted, so its link then fails like an unknown one. The
 * delete is conditional on the invite being unused, so of a cancel and an acceptance racing exactly one wins.
 */
export async function cancelInvite(
  actor: Actor,
  inviteId: string,
  now = new Date(),
): Promise<{ ok: true; email: string } | Failure<"not_found">> {
  const gone = () => fail("not_found", "This invitation was already used, cancelled or has expired");
  return prisma.$transaction(async (tx) => {
    const invite = await tx.staffInvite.findFirst({ where: { id: inviteId, usedAt: null, expiresAt: { gt: now } } });
    if (!invite) return gone();
    const { count } = await tx.staffInvite.deleteMany({ where: { id: inviteId, usedAt: null } });
    if (count !== 1) return gone();
    await recordAudit(tx, actor, {
      action: "staff.invite.cancel",
      subjectType: "invite",
      subjectId: invite.id,
      details: { email: invite.email, role: invite.role, invitedById: invite.invitedById },
    });
    return { ok: true, email: invite.email };
  });
}

export type PasswordChangeResult =
  { ok: true; session: { token: string; expiresAt: Date }; otherSessionsEnded: number } | Failure<"invalid_credentials" | "not_signed_in">;

/**
 * A signed-in person changes their own password, knowing the current one. Every other session of theirs
 * ends, and the current one is replaced by a fresh session (its token goes into the cookie), so a session
 * someone else may hold does not survive the change. The caller limits attempts (lib/auth/session.ts).
 */
export async function changePassword(
  actor: Actor & { id: string },
  currentSessionId: string,
  input: { currentPassword: string; newPassword: string },
  now = new Date(),
): Promise<PasswordChangeResult> {
  const staff = await prisma.staff.findUnique({ where: { id: actor.id } });
  if (!staff?.passwordHash || staff.disabledAt) return fail("not_signed_in", "Your staff session has ended. Sign in again.");
  if (!(await verifyPassword(input.currentPassword, staff.passwordHash))) {
    return fail("invalid_credentials", "That is not your current password.");
  }
  const passwordHash = await hashPassword(input.newPassword);
  return prisma.$transaction(async (tx) => {
    // Conditional on the hash just verified: of two changes racing, the later one finds it replaced.
    const { count } = await tx.staff.updateMany({
      where: { id: staff.id, passwordHash: staff.passwordHash, disabledAt: null },
      data: { passwordHash },
    });
    if (count !== 1) return fail("invalid_credentials", "Your password was changed meanwhile. Sign in again with the new one.");
    const otherSessionsEnded = await revokeSessionsOf(tx, staff.id, now, currentSessionId);
    await revokeSession(tx, currentSessionId, now);
    const session = await openSession(tx, staff.id, now);
    await recordAudit(tx, actor, {
      action: "staff.password.change",
      subjectType: "staff",
      subjectId: staff.id,
      details: { otherSessionsEnded },
    });
    return { ok: true, session, otherSessionsEnded };
  });
}

type StaffChangeFailure = Failure<"not_found" | "last_owner">;

/** Locks the owners' rows and says whether `staffId` is the only active owner left. */
async function isLastOwner(tx: Tx, staffId: string): Promise<boolean> {
  const owners = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM "Staff" WHERE role = 'owner' AND "disabledAt" IS NULL FOR UPDATE`;
  return owners.length === 1 && owners[0]!.id === staffId;
}

export async function changeRole(actor: Actor, staffId: string, role: StaffRole): Promise<{ ok: true } | StaffChangeFailure> {
  return prisma.$transaction(async (tx) => {
    const staff = await tx.staff.findUnique({ where: { id: staffId } });
    if (!staff || staff.disabledAt) return fail("not_found", "No such staff member");
    if (staff.role === role) return { ok: true };
    if (staff.role === "owner" && (await isLastOwner(tx, staffId))) return fail("last_owner", "The shop needs at least one owner");
    await tx.staff.update({ where: { id: staffId }, data: { role } });
    await recordAudit(tx, actor, {
      action: "staff.role",
      subjectType: "staff",
      subjectId: staffId,
      details: { email: staff.email, from: staff.role, to: role },
    });
    return { ok: true };
  });
}

/** Removes a person: the account is disabled (kept for the audit trail) and every session ends at once. */
export async function removeStaff(actor: Actor, staffId: string, now = new Date()): Promise<{ ok: true } | StaffChangeFailure> {
  return prisma.$transaction(async (tx) => {
    const staff = await tx.staff.findUnique({ where: { id: staffId } });
    if (!staff || staff.disabledAt) return fail("not_found", "No such staff member");
    if (staff.role === "owner" && (await isLastOwner(tx, staffId))) return fail("last_owner", "The shop needs at least one owner");
    await tx.staff.update({ where: { id: staffId }, data: { disabledAt: now } });
    const sessions = await revokeSessionsOf(tx, staffId, now);
    await recordAudit(tx, actor, {
      action: "staff.remove",
      subjectType: "staff",
      subjectId: staffId,
      details: { email: staff.email, sessionsEnded: sessions },
    });
    return { ok: true };
  });
}

/** An owner signs a person out everywhere: every session of theirs ends at once; the account stays. */
export async function endSessionsOf(
  actor: Actor,
  staffId: string,
  now = new Date(),
): Promise<{ ok: true; ended: number } | Failure<"not_found">> {
  return prisma.$transaction(async (tx) => {
    const staff = await tx.staff.findUnique({ where: { id: staffId } });
    if (!staff || staff.disabledAt) return fail("not_found", "No such staff member");
    const ended = await revokeSessionsOf(tx, staffId, now);
    await recordAudit(tx, actor, {
      action: "staff.sessions.end",
      subjectType: "staff",
      subjectId: staffId,
      details: { email: staff.email, sessionsEnded: ended },
    });
    return { ok: true, ended };
  });
}
