import "server-only";
import { recordAudit, type Actor } from "@/lib/audit";
import { prisma } from "@/lib/db";
import { retryEmail } from "@/lib/email/outbox";
import { retryRefusal } from "@/lib/email/message-rules";
import { fail, type AdminErrorCode, type Failure } from "@/lib/result";

// The order's emails for the admin: what the outbox wrote for it and how delivery went, and the retry of one.

export async function orderEmails(orderId: string) {
  return prisma.emailMessage.findMany({
    where: { orderId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      kind: true,
      to: true,
      subject: true,
      status: true,
      attempts: true,
      lastError: true,
      sentAt: true,
      createdAt: true,
      updatedAt: true,
    },
  });
}

/**
 * Puts a failed (or stuck pending) message back in the delivery queue, with its audit entry (on the order
 * when it has one). A message sent or delivered meanwhile is refused; the outbox's lease still keeps a
 * delivery that starts in the same instant from sending twice.
 */
export async function retryOrderEmail(
  actor: Actor,
  emailId: string,
  now = new Date(),
): Promise<{ ok: true; message: string } | Failure<AdminErrorCode>> {
  const email = await prisma.emailMessage.findUnique({
    where: { id: emailId },
    select: { status: true, updatedAt: true, orderId: true, kind: true, to: true, subject: true },
  });
  if (!email) return fail("not_found", "No such email");
  const refusal = retryRefusal(email, now);
  if (refusal) return refusal;
  if (!(await retryEmail(emailId))) return fail("not_retryable", "This email was sent meanwhile.");
  await recordAudit(prisma, actor, {
    action: "email.retry",
    subjectType: email.orderId ? "order" : "email",
    subjectId: email.orderId ?? emailId,
    details: { emailId, kind: email.kind, to: email.to, was: email.status },
  });
  return { ok: true, message: `Queued again: ${email.subject}` };
}
