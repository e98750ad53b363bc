"use client";

import { useActionState } from "react";
import { acceptInviteAction, type AcceptInviteState } from "@/components/admin/actions";

/** The invited person chooses a name and a password; success signs them in and opens /admin. */
export function AcceptInviteForm({ token, email, minLength }: { token: string; email: string; minLength: number }) {
  const [state, action, pending] = useActionState<AcceptInviteState, FormData>(acceptInviteAction, { failure: null });
  const failed = state.failure !== null;
  return (
    <form action={action} className="mt-6 space-y-4">
      <input type="hidden" name="token" value={token} />
      <input type="hidden" name="email" autoComplete="username" value={email} />
      <div>
        <label htmlFor="invite-name" className="block text-sm font-medium text-stone-800">
          Your name
        </label>
        <input id="invite-name" name="name" required maxLength={100} className="mt-1 w-full rounded-lg border border-stone-300 px-3 py-2" />
      </div>
      <div>
        <label htmlFor="invite-password" className="block text-sm font-medium text-stone-800">
          Password (at least {minLength} characters)
        </label>
        <input
          id="invite-password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={minLength}
          aria-invalid={failed || undefined}
          aria-describedby={failed ? "invite-error" : undefined}
          className="mt-1 w-full rounded-lg border border-stone-300 px-3 py-2"
        />
      </div>
      <p id="invite-error" role="alert" data-outcome={state.failure?.code} className="min-h-6 text-sm font-medium text-red-700">
        {state.failure?.error}
      </p>
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-lg bg-brand-800 px-4 py-2 font-semibold text-white hover:bg-brand-900 disabled:opacity-60"
      >
        {pending ? "Setting up…" : "Set password and sign in"}
      </button>
    </form>
  );
}
