"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import {
  cancelInviteAction,
  changeStaffRoleAction,
  endStaffSessionsAction,
  inviteStaffAction,
  removeStaffAction,
  type AdminActionResult,
  type InviteResult,
} from "@/components/admin/actions";
import { ActionOutcome, ConfirmActionButton, requestFailed } from "@/components/admin/action-button";
import { ROLE_LABELS, STAFF_ROLES, type StaffRole } from "@/lib/auth/roles";

function RoleOptions() {
  return STAFF_ROLES.map((role) => (
    <option key={role} value={role}>
      {ROLE_LABELS[role]}
    </option>
  ));
}

/** An owner invites someone by email and role; the one-time link is shown once, to be passed on. */
export function InviteForm() {
  const router = useRouter();
  const [result, setResult] = useState<InviteResult | null>(null);
  const inFlight = useRef(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (inFlight.current) return;
    inFlight.current = true;
    const form = new FormData(event.currentTarget);
    try {
      const answer = await inviteStaffAction({ email: form.get("email"), role: form.get("role") });
      setResult(answer);
      if (answer.ok) router.refresh();
    } catch {
      setResult(requestFailed());
    } finally {
      inFlight.current = false;
    }
  }
  return (
    <form onSubmit={submit} className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="invite-email" className="block text-sm font-medium text-stone-800">
            Email
          </label>
          <input
            id="invite-email"
            name="email"
            type="email"
            required
            className="mt-1 w-72 rounded-lg border border-stone-300 px-3 py-1.5"
          />
        </div>
        <div>
          <label htmlFor="invite-role" className="block text-sm font-medium text-stone-800">
            Role
          </label>
          <select id="invite-role" name="role" defaultValue="staff" className="mt-1 rounded-lg border border-stone-300 px-3 py-1.5">
            <RoleOptions />
          </select>
        </div>
        <button type="submit" className="rounded-lg bg-brand-800 px-4 py-1.5 font-semibold text-white hover:bg-brand-900">
          Invite
        </button>
      </div>
      <ActionOutcome result={result} />
      {result?.ok && (
        <p className="text-sm">
          <label htmlFor="invite-link" className="block font-medium text-stone-800">
            One-time link (give it to them; it is not shown again)
          </label>
          <input
            id="invite-link"
            readOnly
            value={result.link}
            className="mt-1 w-full rounded-lg border border-stone-300 px-3 py-1.5 font-mono"
          />
        </p>
      )}
    </form>
  );
}

export function RoleForm({ staffId, email, role }: { staffId: string; email: string; role: StaffRole }) {
  const router = useRouter();
  const [result, setResult] = useState<AdminActionResult | null>(null);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    try {
      const answer = await changeStaffRoleAction({ staffId, role: new FormData(event.currentTarget).get("role") });
      setResult(answer);
      if (answer.ok) router.refresh();
    } catch {
      setResult(requestFailed());
    }
  }
  return (
    <form onSubmit={submit} className="flex flex-wrap items-center gap-2">
      <label htmlFor={`role-${staffId}`} className="sr-only">
        Role of {email}
      </label>
      <select id={`role-${staffId}`} name="role" defaultValue={role} className="rounded-lg border border-stone-300 px-2 py-1">
        <RoleOptions />
      </select>
      <button type="submit" className="rounded-lg border border-stone-300 px-3 py-1 text-sm font-medium hover:bg-stone-100">
        Save role
      </button>
      <ActionOutcome result={result} />
    </form>
  );
}

export function RemoveStaffButton({ staffId, email }: { staffId: string; email: string }) {
  const router = useRouter();
  return (
    <ConfirmActionButton
      label={`Remove ${email}`}
      confirmText={`Remove ${email}? Their sessions end at once.`}
      run={() => removeStaffAction({ staffId })}
      onDone={() => router.refresh()}
    />
  );
}

export function CancelInviteButton({ inviteId, email }: { inviteId: string; email: string }) {
  const router = useRouter();
  return (
    <ConfirmActionButton
      label={`Cancel invitation for ${email}`}
      confirmText={`Cancel the invitation for ${email}? Its link stops working at once.`}
      run={() => cancelInviteAction({ inviteId })}
      onDone={() => router.refresh()}
    />
  );
}

export function EndSessionsButton({ staffId, email }: { staffId: string; email: string }) {
  const router = useRouter();
  return (
    <ConfirmActionButton
      label={`Sign out ${email} everywhere`}
      confirmText={`End every session of ${email}? They stay staff and can sign in again.`}
      run={() => endStaffSessionsAction({ staffId })}
      onDone={() => router.refresh()}
    />
  );
}
