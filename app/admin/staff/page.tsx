import type { Metadata } from "next";
import { Suspense } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { AuditList } from "@/components/admin/audit-list";
import { CancelInviteButton, EndSessionsButton, InviteForm, RemoveStaffButton, RoleForm } from "@/components/admin/staff-forms";
import { recentAudit } from "@/lib/audit";
import { requireAdminPage } from "@/lib/auth/session";
import { listStaff, openInvites, sessionCounts } from "@/lib/auth/staff";

export const metadata: Metadata = { title: "Staff" };

export default function StaffPage() {
  return (
    <Suspense fallback={<p>Loading staff…</p>}>
      <StaffBody />
    </Suspense>
  );
}

async function StaffBody() {
  const session = await requireAdminPage("/admin/staff", "staff.manage");
  const [staff, invites, sessions, audit] = await Promise.all([listStaff(), openInvites(), sessionCounts(), recentAudit(100)]);
  return (
    <>
      <AdminNav staff={session} />
      <h1 className="text-2xl font-bold text-stone-900">Staff</h1>
      <section className="rounded-xl border border-stone-200 bg-white p-5" aria-labelledby="invite-h">
        <h2 id="invite-h" className="font-semibold">
          Invite someone
        </h2>
        <div className="mt-3">
          <InviteForm />
        </div>
      </section>
      {invites.length > 0 && (
        <section className="rounded-xl border border-stone-200 bg-white p-5" aria-labelledby="invites-h">
          <h2 id="invites-h" className="font-semibold">
            Open invitations
          </h2>
          <ul className="mt-3 space-y-3 text-sm">
            {invites.map((invite) => (
              <li key={invite.id} className="space-y-1">
                <p>
                  {invite.email} as {invite.role}, invited by {invite.invitedBy.email} on{" "}
                  <time dateTime={invite.createdAt.toISOString()}>{invite.createdAt.toISOString()}</time>, valid until{" "}
                  <time dateTime={invite.expiresAt.toISOString()}>{invite.expiresAt.toISOString()}</time>
                </p>
                <CancelInviteButton inviteId={invite.id} email={invite.email} />
              </li>
            ))}
          </ul>
        </section>
      )}
      <table className="w-full rounded-xl border border-stone-200 bg-white text-sm">
        <thead>
          <tr className="text-left text-stone-600">
            <th className="px-3 py-2">Email</th>
            <th>Name</th>
            <th>Role</th>
            <th>Sessions</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {staff.map((member) => (
            <tr key={member.id} className="border-t border-stone-100 align-top">
              <td className="px-3 py-2">{member.email}</td>
              <td className="py-2">{member.name}</td>
              <td className="py-2">
                {member.disabledAt || member.id === session.id ? (
                  member.role
                ) : (
                  <RoleForm staffId={member.id} email={member.email} role={member.role} />
                )}
              </td>
              <td className="py-2">
                <SessionsCell
                  count={sessions.get(member.id) ?? 0}
                  manageable={!member.disabledAt && member.id !== session.id}
                  staffId={member.id}
                  email={member.email}
                />
              </td>
              <td className="py-2">
                {member.disabledAt ? (
                  `removed ${member.disabledAt.toISOString()}`
                ) : member.id === session.id ? (
                  "you"
                ) : (
                  <RemoveStaffButton staffId={member.id} email={member.email} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <section className="rounded-xl border border-stone-200 bg-white p-5" aria-labelledby="audit-h">
        <h2 id="audit-h" className="font-semibold">
          Recent changes by staff
        </h2>
        <AuditList entries={audit} label="Recent changes by staff" />
      </section>
    </>
  );
}

/** Sessions that still sign the person in; an owner can end them all for anyone but themselves. */
function SessionsCell({ count, manageable, staffId, email }: { count: number; manageable: boolean; staffId: string; email: string }) {
  const text = `${count} active`;
  if (!manageable || count === 0) return text;
  return (
    <div className="space-y-1">
      <p>{text}</p>
      <EndSessionsButton staffId={staffId} email={email} />
    </div>
  );
}
