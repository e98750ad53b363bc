// Disputes (chargebacks), as pure rules: which of Stripe's statuses are open or final, whether a dispute
// snapshot from a webhook event may replace the stored one, and what a dispute does to revenue. Storage is
// lib/disputes.ts.
import { sum } from "@/lib/money";

/** Stripe's dispute statuses that still wait for evidence or for the bank's decision. */
export const OPEN_DISPUTE_STATUSES = ["warning_needs_response", "warning_under_review", "needs_response", "under_review"] as const;

/** Stripe's final dispute statuses: a dispute that reached one never opens again. */
export const CLOSED_DISPUTE_STATUSES = ["won", "lost", "warning_closed", "prevented"] as const;

/**
 * The outcomes that take money back from the shop: only a lost dispute. A won one returns the withdrawn
 * funds and a closed inquiry (warning_closed) never moved any.
 */
export const REVENUE_LOSING_DISPUTE_STATUSES = ["lost"] as const;

/** A dispute as a Stripe event reports it; dates are ISO strings because the webhook inbox stores it as JSON. */
export type DisputeSignal = {
  kind: "dispute";
  disputeId: string;
  chargeId: string;
  paymentIntentId: string | null;
  amount: number;
  currency: string;
  reason: string;
  status: string;
  /** evidence_details.due_by; null when Stripe asks for none (e.g. some inquiries). */
  evidenceDueBy: string | null;
  /** When Stripe created the event: the snapshot's age. */
  eventCreated: string;
};

const OPEN: ReadonlySet<string> = new Set(OPEN_DISPUTE_STATUSES);
const CLOSED: ReadonlySet<string> = new Set(CLOSED_DISPUTE_STATUSES);
const LOSING: ReadonlySet<string> = new Set(REVENUE_LOSING_DISPUTE_STATUSES);

export function isOpenDispute(status: string): boolean {
  return OPEN.has(status);
}

export function isClosedDispute(status: string): boolean {
  return CLOSED.has(status);
}

/** The status as words for people ("needs response"). */
export function disputeStatusLabel(status: string): string {
  return status.replaceAll("_", " ");
}

/** How far along a dispute is: waiting for evidence, then under review, then decided. */
function stage(status: string): number {
  if (isClosedDispute(status)) return 2;
  return status.endsWith("under_review") ? 1 : 0;
}

export type DisputeUpdate = { apply: true } | { apply: false; reason: "older" | "closed" | "same" };

/**
 * Whether an event's snapshot replaces the stored dispute. Stripe delivers events late, twice and out of
 * order, so: an older event never overwrites a newer one; a closed dispute never moves back to open (its
 * decision is final at Stripe); events of the same second (Stripe's created is in seconds) keep the later
 * stage, so an `updated` and a `closed` arriving swapped still end closed; the same snapshot again writes nothing.
 */
export function disputeUpdate(
  stored: { status: string; eventCreatedAt: Date },
  incoming: { status: string; eventCreatedAt: Date },
): DisputeUpdate {
  if (isClosedDispute(stored.status) && !isClosedDispute(incoming.status)) return { apply: false, reason: "closed" };
  const age = incoming.eventCreatedAt.getTime() - stored.eventCreatedAt.getTime();
  if (age < 0) return { apply: false, reason: "older" };
  // The same event again (a replay): nothing to write.
  if (age === 0 && incoming.status === stored.status) return { apply: false, reason: "same" };
  if (age === 0 && stage(incoming.status) < stage(stored.status)) return { apply: false, reason: "older" };
  return { apply: true };
}

/** What the dispute takes from the order's revenue: its amount once lost, nothing otherwise. */
export function disputeRevenueLoss(dispute: { status: string; amount: number }): number {
  return LOSING.has(dispute.status) ? dispute.amount : 0;
}

/**
 * An order's revenue: its total net of refunds and of lost disputes, never below zero (a dispute on an
 * order that was partly refunded cannot take back more than was kept). lib/admin/dashboard.ts sums the same
 * in SQL.
 */
export function orderRevenue(
  order: { total: number; amountRefunded: number },
  disputes: Array<{ status: string; amount: number }>,
): number {
  const lost = sum(...disputes.map(disputeRevenueLoss));
  return Math.max(0, order.total - order.amountRefunded - lost);
}
