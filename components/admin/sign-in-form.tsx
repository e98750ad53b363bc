"use client";

import { useActionState } from "react";
import { signInAction, type SignInState } from "@/components/admin/actions";

// Works with and without JavaScript: the email field takes the email from the action's state (or, after a
// post without JavaScript, from the page's URL through `initial`), so a refused attempt keeps what was
// typed and only the password has to be entered again.
export function SignInForm({ next, initial }: { next: string; initial: SignInState }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(signInAction, initial);
  const failed = state.failure !== null;
  return (
    <form action={action} className="mt-6 space-y-4">
      <input type="hidden" name="next" value={next} />
      <div>
        <label htmlFor="admin-email" className="block text-sm font-medium text-stone-800">
          Email
        </label>
        <input
          id="admin-email"
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={state.email}
          aria-invalid={failed || undefined}
          aria-describedby={failed ? "sign-in-error" : undefined}
          className="mt-1 w-full rounded-lg border border-stone-300 px-3 py-2"
        />
      </div>
      <div>
        <label htmlFor="admin-password" className="block text-sm font-medium text-stone-800">
          Password
        </label>
        <input
          id="admin-password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={failed || undefined}
          aria-describedby={failed ? "sign-in-error" : undefined}
          className="mt-1 w-full rounded-lg border border-stone-300 px-3 py-2"
        />
      </div>
      <p id="sign-in-error" role="alert" data-outcome={state.failure?.code} className="min-h-6 text-sm font-medium text-red-700">
        {state.failure?.error}
      </p>
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-lg bg-brand-800 px-4 py-2 font-semibold text-white hover:bg-brand-900 disabled:opacity-60"
      >
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
