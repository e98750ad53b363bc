import type { Metadata } from "next";
import { AcceptInviteForm } from "@/components/admin/accept-invite-form";
import { MIN_PASSWORD_LENGTH, pendingInvite } from "@/lib/auth/staff";

export const metadata: Metadata = { title: "Join the staff", referrer: "no-referrer" };

// Rendered whole per request, like the sign-in page (see there). The token in the URL is the credential:
// only its hash is stored, and the action claims it once (lib/auth/staff.ts).
export const instant = false;

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invite = await pendingInvite(token);
  return (
    <div className="mx-auto max-w-sm rounded-xl border border-stone-200 bg-white p-8">
      <h1 className="text-2xl font-bold text-stone-900">Join the staff</h1>
      {invite ? (
        <>
          <p className="mt-2 text-sm text-stone-700">
            You were invited as <strong>{invite.role}</strong> with {invite.email}. The link works until {invite.expiresAt.toISOString()}.
          </p>
          <AcceptInviteForm token={token} email={invite.email} minLength={MIN_PASSWORD_LENGTH} />
        </>
      ) : (
        <p role="alert" className="mt-4 text-sm font-medium text-red-700">
          This invitation link has expired or was already used. Ask an owner for a new one.
        </p>
      )}
    </div>
  );
}
