import "server-only";
import { timingSafeEqual } from "node:crypto";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { adminEnv } from "@/lib/env";
import { clientIp } from "@/lib/request-ip";
import { fail, type AdminErrorCode, type Failure } from "@/lib/result";
import { hashPassword, verifyPassword } from "./password";
import { clearFailedSignIns, recordFailedSignIn, signInBlockedFor } from "./rate-limit";
import { createSessionToken, verifySessionToken } from "./session-token";

// Staff sign-in. Every admin page (requireAdminPage), server action (requireAdmin) and route handler
// (currentAdmin) checks the session itself: the check lives next to the data it protects, not in a proxy
// in front of it.

const COOKIE = "admin_session";
const SESSION_SECONDS = 8 * 60 * 60;

export type AdminSession = { email: string };

export async function currentAdmin(): Promise<AdminSession | null> {
  const env = adminEnv();
  const payload = verifySessionToken((await cookies()).get(COOKIE)?.value, env.ADMIN_SESSION_SECRET);
  return payload && payload.email === env.ADMIN_EMAIL ? { email: payload.email } : null;
}

/** For pages: the session, or a redirect to the sign-in page that comes back here afterwards. */
export async function requireAdminPage(returnTo: string): Promise<AdminSession> {
  const session = await currentAdmin();
  if (!session) redirect(`/admin/sign-in?next=${encodeURIComponent(returnTo)}`);
  return session;
}

export class NotSignedInError extends Error {
  name = "NotSignedInError";
  constructor() {
    super("Your staff session has ended. Sign in again.");
  }
}

/** For server actions: the session, or NotSignedInError. */
export async function requireAdmin(): Promise<AdminSession> {
  const session = await currentAdmin();
  if (!session) throw new NotSignedInError();
  return session;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase());
  const y = Buffer.from(b.toLowerCase());
  return x.length === y.length && timingSafeEqual(x, y);
}

let plainPasswordHash: Promise<string> | undefined;
async function storedHash(): Promise<string> {
  const env = adminEnv();
  if (env.ADMIN_PASSWORD_HASH) return env.ADMIN_PASSWORD_HASH;
  plainPasswordHash ??= hashPassword(env.ADMIN_PASSWORD!);
  return plainPasswordHash;
}

// The one wording of each sign-in refusal. `minutesLeft` is known right after a blocked attempt; the
// sign-in page, rebuilding a refusal from its URL, has only the code.
const SIGN_IN_REFUSALS = {
  invalid_input: () => "Enter your email and password.",
  invalid_credentials: () => "Wrong email or password.",
  rate_limited: (minutesLeft?: number) =>
    `Too many failed sign-ins. Try again in ${minutesLeft === undefined ? "a few minutes" : `${minutesLeft} minute${minutesLeft === 1 ? "" : "s"}`}.`,
} satisfies Partial<Record<AdminErrorCode, (minutesLeft?: number) => string>>;
type SignInRefusalCode = keyof typeof SIGN_IN_REFUSALS;

export function isSignInRefusalCode(code: string): code is SignInRefusalCode {
  return Object.hasOwn(SIGN_IN_REFUSALS, code);
}

/** A refused sign-in, with its fixed sentence. */
export function signInRefusal<Code extends SignInRefusalCode>(code: Code, minutesLeft?: number): Failure<Code> {
  return fail(code, SIGN_IN_REFUSALS[code](minutesLeft));
}

export type SignInResult = { ok: true } | Failure<"invalid_credentials" | "rate_limited">;

export async function signIn(email: string, password: string): Promise<SignInResult> {
  const env = adminEnv();
  const ip = await clientIp();
  const blockedMinutes = await signInBlockedFor(email, ip);
  if (blockedMinutes > 0) return signInRefusal("rate_limited", blockedMinutes);
  // The password is checked even for an unknown email, so both cost the same time.
  const passwordOk = await verifyPassword(password, await storedHash());
  if (!passwordOk || !sameText(email, env.ADMIN_EMAIL)) {
    await recordFailedSignIn(email, ip);
    return signInRefusal("invalid_credentials");
  }
  await clearFailedSignIns(email);
  (await cookies()).set(COOKIE, createSessionToken(env.ADMIN_EMAIL, env.ADMIN_SESSION_SECRET, SESSION_SECONDS), {
    httpOnly: true,
    sameSite: "lax",
    secure: env.NODE_ENV === "production",
    maxAge: SESSION_SECONDS,
    path: "/",
  });
  return { ok: true };
}

export async function signOut(): Promise<void> {
  (await cookies()).delete(COOKIE);
}
