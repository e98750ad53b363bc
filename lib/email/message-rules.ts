// The outbox's messages as staff see them on an order: each kind in words, and when the retry button may
// put a message back in the queue. Pure; the outbox itself is lib/email/outbox.ts.
import type { EmailKind, EmailStatus } from "@/lib/generated/prisma/enums";
import { fail, type AdminErrorCode, type Failure } from "@/lib/result";

const KIND_WORDS: Record<EmailKind, string> = {
  order_confirmed: "Order confirmation",
  payment_processing: "Payment processing",
  payment_failed: "Payment failed",
  order_shipped: "Shipped",
  order_refunded: "Refund",
  order_canceled: "Order canceled",
  order_link: "Order status link",
  staff_new_order: "Staff: new order",
  staff_dispute_opened: "Staff: dispute opened",
  staff_low_stock: "Staff: low stock",
  staff_delivery_failed: "Staff: email delivery failed",
};

export function emailKindLabel(kind: EmailKind): string {
  return KIND_WORDS[kind];
}

/**
 * How long a message may stay pending, untouched, before staff may queue it again: longer than the delivery
 * job's retries (about 4 minutes in all) plus its lease, so a retry never races a delivery under way.
 */
export const STUCK_PENDING_MS = 15 * 60_000;

/** Why the message cannot be queued again now, or null when it can: failed, or pending and stuck. */
export function retryRefusal(email: { status: EmailStatus; updatedAt: Date }, now: Date): Failure<AdminErrorCode> | null {
  if (email.status === "failed") return null;
  if (email.status === "sent") return fail("not_retryable", "This email was sent already.");
  return now.getTime() - email.updatedAt.getTime() >= STUCK_PENDING_MS
    ? null
    : fail("not_retryable", "This email is still being delivered; it can be retried if it is still pending in 15 minutes.");
}

export function canRetry(email: { status: EmailStatus; updatedAt: Date }, now: Date): boolean {
  return retryRefusal(email, now) === null;
}
