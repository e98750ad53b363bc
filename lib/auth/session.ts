import "server-only";
import { cookies } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { prisma } from "@/lib/db";
import { siteEnv } from "@/lib/env";
import { clientIp } from "@/lib/request-ip";
import { fail, type AdminErrorCode, type Failure } from "@/lib/result";
import { hashPassword, verifyPassword } from "./password";
import { admitSignIn, forgetSignInAttempts } from "./rate-limit";
import { can, type Permission } from "./roles";
import { checkSession, openSession, revokeSession, type SessionCheck, type SignedInStaff } from "./sessions";
import { changePassword, ensureEnvOwner, normaliseEmail, sessionIdleMs } from "./staff";

// Staff sign-in. Every admin page (requireAdminPage), server action (requireStaff) and route handler
// (currentStaff + can) checks the session and the role itself: the check lives next to the data it
// protects, not in a proxy in front of it. Sessions are rows (lib/auth/sessions.ts) looked up on every request.

const COOKIE = "admin_session";

export type { SignedInStaff } from "./sessions";

/** The request's session: who it signs in, or why it signs no one in. Looked up once per request. */
const sessionCheck = cache(async (): Promise<SessionCheck> => {
  return checkSession(prisma, (await cookies()).get(COOKIE)?.value, sessionIdleMs());
});

/** The signed-in staff member, or null. */
export async function currentStaff(): Promise<SignedInStaff | null> {
  const check = await sessionCheck();
  return check.ok ? check.staff : null;
}

/**
 * For pages: the staff member, or a redirect to the sign-in page that comes back here afterwards (saying the
 * session expired when it timed out). A signed-in person whose role lacks `permission` gets a 404, as if the
 * page did not exist.
 */
export async function requireAdminPage(returnTo: string, permission: Permission = "admin.read"): Promise<SignedInStaff> {
  const check = await sessionCheck();
  if (!check.ok) {
    const timedOut = check.reason === "idle" || check.reason === "expired";
    redirect(`/admin/sign-in?next=${encodeURIComponent(returnTo)}${timedOut ? "&expired=1" : ""}`);
  }
  if (!can(check.staff.role, permission)) notFound();
  return check.staff;
}

export class NotSignedInError extends Error {
  name = "NotSignedInError";
  constructor() {
    super("Your staff session has ended. Sign in again.");
  }
}

export class ForbiddenError extends Error {
  name = "ForbiddenError";
  constructor() {
    super("Your role does not allow this. Ask an owner.");
  }
}

/** For server actions: the staff member if their role grants `permission`; else NotSignedInError or ForbiddenError. */
export async function requireStaff(permission: Permission): Promise<SignedInStaff> {
  const staff = await currentStaff();
  if (!staff) throw new NotSignedInError();
  if (!can(staff.role, permission)) throw new ForbiddenError();
  return staff;
}

// The password of an unknown or password-less account is checked against this, so every refusal costs
// one hash: response times do not tell which emails are staff.
let decoyHash: Promise<string> | undefined;

// The one wording of each sign-in refusal. `secondsLeft` is known right after a refused attempt; the sign-in
// page, rebuilding a refusal from its URL, has only the code.
const SIGN_IN_REFUSALS = {
  invalid_input: () => "Enter your email and password.",
  invalid_credentials: () => "Wrong email or password.",
  rate_limited: (secondsLeft?: number) => `Too many sign-in attempts. Try again in ${waitText(secondsLeft)}.`,
} satisfies Partial<Record<AdminErrorCode, (secondsLeft?: number) => string>>;
type SignInRefusalCode = keyof typeof SIGN_IN_REFUSALS;

function waitText(seconds?: number): string {
  if (seconds === undefined) return "a few minutes";
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

export function isSignInRefusalCode(code: string): code is SignInRefusalCode {
  return Object.hasOwn(SIGN_IN_REFUSALS, code);
}

/** A refused sign-in, with its fixed sentence. */
export function signInRefusal<Code extends SignInRefusalCode>(code: Code, secondsLeft?: number): Failure<Code> {
  return fail(code, SIGN_IN_REFUSALS[code](secondsLeft));
}

function secondsUntil(at: Date): number {
  return Math.max(1, Math.ceil((at.getTime() - Date.now()) / 1000));
}

export type SignInResult = { ok: true } | Failure<"invalid_credentials" | "rate_limited">;

export async function signIn(emailInput: string, password: string): Promise<SignInResult> {
  await ensureEnvOwner();
  const email = normaliseEmail(emailInput).slice(0, 254);
  const client = await clientIp();
  // Counted before the password is checked: parallel attempts cannot get more checks than the limits allow.
  const admission = await admitSignIn(email, client);
  if (!admission.ok) return signInRefusal("rate_limited", secondsUntil(admission.retryAt));
  const staff = await prisma.staff.findUnique({ where: { email } });
  const usable = staff && !staff.disabledAt && staff.passwordHash ? staff : null;
  decoyHash ??= hashPassword("not a password anyone has");
  const passwordOk = await verifyPassword(password, usable?.passwordHash ?? (await decoyHash));
  if (!usable || !passwordOk) return signInRefusal("invalid_credentials");
  await forgetSignInAttempts(email, client, admission.attemptIds);
  await setSessionCookie(await openSession(prisma, usable.id));
  return { ok: true };
}

export type OwnPasswordResult =
  { ok: true; otherSessionsEnded: number } | Failure<"invalid_credentials" | "rate_limited" | "not_signed_in">;

/**
 * The signed-in person changes their password. Each attempt counts against the sign-in limits of their
 * account from this address before the current password is checked, so a borrowed session cannot guess the
 * password faster than the sign-in form could. On success the browser gets a fresh session cookie.
 */
export async function changeOwnPassword(
  staff: SignedInStaff,
  input: { currentPassword: string; newPassword: string },
): Promise<OwnPasswordResult> {
  const client = await clientIp();
  const admission = await admitSignIn(staff.email, client);
  if (!admission.ok) return signInRefusal("rate_limited", secondsUntil(admission.retryAt));
  const result = await changePassword({ id: staff.id, email: staff.email }, staff.sessionId, input);
  if (!result.ok) return result;
  await forgetSignInAttempts(staff.email, client, admission.attemptIds);
  await setSessionCookie(result.session);
  return { ok: true, otherSessionsEnded: result.otherSessionsEnded };
}

/** Puts a session's token in the browser: HttpOnly, SameSite=Lax, Secure in production, until the session expires. */
export async function setSessionCookie(session: { token: string; expiresAt: Date }): Promise<void> {
  (await cookies()).set(COOKIE, session.token, {
    httpOnly: true,
    sameSite: "lax",
    secure: siteEnv().NODE_ENV === "production",
    expires: session.expiresAt,
    path: "/",
  });
}

/** Ends the session on the server (every instance refuses the cookie from now on) and in the browser. */
export async function signOut(): Promise<void> {
  const staff = await currentStaff();
  if (staff) await revokeSession(prisma, staff.sessionId);
  (await cookies()).delete(COOKIE);
}
