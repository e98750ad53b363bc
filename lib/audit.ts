import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { prisma, type Tx } from "@/lib/db";

// The audit trail: who changed what and when. Written in the same transaction as the change when the change
// is one (stock, staff, catalog edits), so a change is never without its entry nor an entry without its
// change; for Stripe calls (refunds, cancellations) right after Stripe answered.

/** Who made a change: a signed-in staff member, or the system (id null) for the environment or a command. */
export type Actor = { id: string | null; email: string };

export type AuditEntry = {
  /** Dotted verb, e.g. "order.refund", "stock.set", "product.update", "staff.role". */
  action: string;
  subjectType: "order" | "product" | "variant" | "category" | "staff" | "invite" | "email" | "pricing";
  subjectId: string;
  details?: Prisma.InputJsonObject;
};

/** Records one change; pass the transaction that makes the change. */
export async function recordAudit(tx: Tx, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({
    data: {
      staffId: actor.id,
      staffEmail: actor.email,
      action: entry.action,
      subjectType: entry.subjectType,
      subjectId: entry.subjectId,
      details: entry.details ?? {},
    },
  });
}

/** The entries about one subject, newest first. */
export async function auditFor(subjectType: AuditEntry["subjectType"], subjectId: string, take = 100) {
  return prisma.auditEvent.findMany({ where: { subjectType, subjectId }, orderBy: { at: "desc" }, take });
}

/** The latest entries of every kind, newest first. */
export async function recentAudit(take = 100) {
  return prisma.auditEvent.findMany({ orderBy: { at: "desc" }, take });
}
