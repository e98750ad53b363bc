"use client";

import { useRef, useState, type FormEvent } from "react";
import { changePasswordAction, type AdminActionResult } from "@/components/admin/actions";
import { ActionOutcome, requestFailed } from "@/components/admin/action-button";

const FIELD = "mt-1 w-full rounded-lg border border-stone-300 px-3 py-2";

/** Changes the signed-in person's password; the fields are cleared whatever the answer, so no password lingers. */
export function PasswordForm({ email, minLength }: { email: string; minLength: number }) {
  const [result, setResult] = useState<AdminActionResult | null>(null);
  const [busy, setBusy] = useState(false);
  const inFlight = useRef(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    const element = event.currentTarget;
    const form = new FormData(element);
    try {
      setResult(
        await changePasswordAction({
          currentPassword: form.get("currentPassword"),
          newPassword: form.get("newPassword"),
          confirmPassword: form.get("confirmPassword"),
        }),
      );
    } catch {
      setResult(requestFailed());
    } finally {
      element.reset();
      inFlight.current = false;
      setBusy(false);
    }
  }
  const failed = result !== null && !result.ok;
  return (
    <form onSubmit={submit} className="max-w-sm space-y-4">
      {/* For password managers: which account the new password belongs to. */}
      <input type="hidden" name="username" autoComplete="username" value={email} />
      <div>
        <label htmlFor="current-password" className="block text-sm font-medium text-stone-800">
          Current password
        </label>
        <input
          id="current-password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={failed || undefined}
          aria-describedby={failed ? "password-outcome" : undefined}
          className={FIELD}
        />
      </div>
      <div>
        <label htmlFor="new-password" className="block text-sm font-medium text-stone-800">
          New password (at least {minLength} characters)
        </label>
        <input
          id="new-password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          minLength={minLength}
          aria-invalid={failed || undefined}
          aria-describedby={failed ? "password-outcome" : undefined}
          className={FIELD}
        />
      </div>
      <div>
        <label htmlFor="confirm-password" className="block text-sm font-medium text-stone-800">
          New password again
        </label>
        <input
          id="confirm-password"
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          required
          minLength={minLength}
          aria-invalid={failed || undefined}
          aria-describedby={failed ? "password-outcome" : undefined}
          className={FIELD}
        />
      </div>
      <div id="password-outcome">
        <ActionOutcome result={result} />
      </div>
      <button
        type="submit"
        disabled={busy}
        className="rounded-lg bg-brand-800 px-4 py-2 font-semibold text-white hover:bg-brand-900 disabled:opacity-60"
      >
        {busy ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}
