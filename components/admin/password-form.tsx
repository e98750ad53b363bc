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
      <PasswordField
        id="current-password"
        name="currentPassword"
        label="Current password"
        autoComplete="current-password"
        failed={failed}
      />
      <PasswordField
        id="new-password"
        name="newPassword"
        label={`New password (at least ${minLength} characters)`}
        autoComplete="new-password"
        minLength={minLength}
        failed={failed}
      />
      <PasswordField
        id="confirm-password"
        name="confirmPassword"
        label="New password again"
        autoComplete="new-password"
        minLength={minLength}
        failed={failed}
      />
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

type PasswordFieldProps = {
  id: string;
  name: string;
  label: string;
  autoComplete: "current-password" | "new-password";
  minLength?: number;
  /** The last answer was a refusal: the field points at it. */
  failed: boolean;
};

function PasswordField({ id, name, label, autoComplete, minLength, failed }: PasswordFieldProps) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-stone-800">
        {label}
      </label>
      <input
        id={id}
        name={name}
        type="password"
        autoComplete={autoComplete}
        required
        minLength={minLength}
        aria-invalid={failed || undefined}
        aria-describedby={failed ? "password-outcome" : undefined}
        className={FIELD}
      />
    </div>
  );
}
