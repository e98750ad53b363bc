import type { Metadata } from "next";
import { Suspense } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { PasswordForm } from "@/components/admin/password-form";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { requireAdminPage } from "@/lib/auth/session";
import { isEnvOwner, MIN_PASSWORD_LENGTH } from "@/lib/auth/staff";

export const metadata: Metadata = { title: "Your account" };

export default function AccountPage() {
  return (
    <Suspense fallback={<p>Loading your account…</p>}>
      <AccountBody />
    </Suspense>
  );
}

async function AccountBody() {
  const session = await requireAdminPage("/admin/account", "account.self");
  return (
    <>
      <AdminNav staff={session} />
      <h1 className="text-2xl font-bold text-stone-900">Your account</h1>
      <dl className="grid max-w-xl grid-cols-[auto_1fr] gap-x-6 gap-y-2 rounded-xl border border-stone-200 bg-white p-5 text-sm">
        <dt className="font-medium text-stone-600">Email</dt>
        <dd>{session.email}</dd>
        <dt className="font-medium text-stone-600">Name</dt>
        <dd>{session.name || "—"}</dd>
        <dt className="font-medium text-stone-600">Role</dt>
        <dd>{ROLE_LABELS[session.role]}</dd>
      </dl>
      <section className="space-y-3 rounded-xl border border-stone-200 bg-white p-5" aria-labelledby="password-h">
        <h2 id="password-h" className="font-semibold">
          Change your password
        </h2>
        <p className="text-sm text-stone-700">Your other sessions are signed out; this browser stays signed in.</p>
        {isEnvOwner(session.email) && (
          <p className="text-sm text-amber-900">
            This account&apos;s password comes from ADMIN_PASSWORD_HASH (or ADMIN_PASSWORD): the shop sets it back when it restarts. Change
            it there to keep a new one.
          </p>
        )}
        <PasswordForm email={session.email} minLength={MIN_PASSWORD_LENGTH} />
      </section>
    </>
  );
}
