import { RetryEmailButton } from "@/components/admin/retry-email-button";
import { orderEmails } from "@/lib/admin/order-emails";
import { canRetry, emailKindLabel } from "@/lib/email/message-rules";

const when = (date: Date) => date.toISOString().slice(0, 16).replace("T", " ");

/** What the outbox wrote for the order, oldest first, with a retry button for failed or stuck messages. */
export async function OrderEmails({ orderId, canEdit }: { orderId: string; canEdit: boolean }) {
  const emails = await orderEmails(orderId);
  const now = new Date();
  return (
    <section className="rounded-xl border border-stone-200 bg-white p-5" aria-labelledby="emails-h">
      <h2 id="emails-h" className="font-semibold">
        Emails
      </h2>
      {emails.length === 0 ? (
        <p className="mt-2 text-sm text-stone-600">No emails for this order yet.</p>
      ) : (
        <table className="mt-3 w-full text-sm">
          <caption className="sr-only">Emails about this order, oldest first</caption>
          <thead>
            <tr className="text-left text-stone-600">
              <th className="py-1">Email</th>
              <th>To</th>
              <th>Subject</th>
              <th>Status</th>
              <th>Attempts</th>
              <th>Sent</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {emails.map((email) => (
              <tr key={email.id} className="border-t border-stone-100 align-top">
                <td className="py-1">{emailKindLabel(email.kind)}</td>
                <td className="break-all">{email.to}</td>
                <td>{email.subject}</td>
                <td>
                  <span className={email.status === "failed" ? "font-semibold text-red-700" : undefined}>{email.status}</span>
                  {email.lastError && <p className="break-all text-xs text-stone-600">Last error: {email.lastError}</p>}
                </td>
                <td className="tabular-nums">{email.attempts}</td>
                <td className="tabular-nums">{email.sentAt ? when(email.sentAt) : "—"}</td>
                <td>{canEdit && canRetry(email, now) && <RetryEmailButton emailId={email.id} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
