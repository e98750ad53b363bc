import "server-only";
import type { Tx } from "@/lib/db";
import { disputeUpdate, isOpenDispute, type DisputeSignal } from "@/lib/dispute-rules";
import { adminOrderUrl, queueEmail, staffAddress } from "@/lib/email/outbox";
import type { ApplyResult } from "@/lib/orders";
import { absoluteUrl } from "@/lib/site";

// Where a dispute (chargeback) is recorded: Stripe's charge.dispute.* events, applied by the webhook inbox's
// drain through applyPaymentEvent (lib/orders.ts), in the drain's transaction. The Dispute row mirrors
// Stripe's latest word on it; the order's own payment state is left alone (Stripe does not refund a
// disputed charge; a lost dispute shows in the revenue, lib/admin/dashboard.ts).
//
// Failure modes:
// - The same event applied twice (a redelivery the inbox let through, a replay): the row already holds that
//   snapshot and the staff email's dedupe key writes nothing the second time.
// - Events late or out of order: an older snapshot never overwrites a newer one and a closed dispute never
//   opens again (lib/dispute-rules.ts).
// - The first event seen is not charge.dispute.created (that one lost or late): the row is created from it;
//   staff are emailed only if the dispute is still open.
// - Two drains apply events of one dispute at once: the INSERT … ON CONFLICT DO NOTHING lets one create the
//   row, the other then waits for its row lock and compares against what was committed.
// - No staff address configured: the dispute is recorded without an email; the dashboard still lists it.

/** Records the event's snapshot of the dispute, linked to the order paid by its intent. */
export async function applyDispute(tx: Tx, signal: DisputeSignal): Promise<ApplyResult> {
  const order = signal.paymentIntentId
    ? await tx.order.findUnique({ where: { paymentIntentId: signal.paymentIntentId }, select: { id: true, number: true } })
    : null;
  const snapshot = {
    orderId: order?.id ?? null,
    paymentIntentId: signal.paymentIntentId,
    chargeId: signal.chargeId,
    amount: signal.amount,
    currency: signal.currency.toLowerCase(),
    reason: signal.reason,
    status: signal.status,
    evidenceDueBy: signal.evidenceDueBy ? new Date(signal.evidenceDueBy) : null,
    eventCreatedAt: new Date(signal.eventCreated),
  };
  const done = (outcome: string): ApplyResult => ({ outcome, orderId: order?.id ?? null, stockChanged: false });

  const created = await tx.dispute.createMany({ data: [{ id: signal.disputeId, ...snapshot }], skipDuplicates: true });
  if (created.count === 1) {
    if (!isOpenDispute(signal.status)) return done(`dispute recorded (${signal.status})`);
    await queueDisputeOpened(tx, signal, order);
    return done(`dispute opened (${signal.status})`);
  }

  const [stored] = await tx.$queryRaw<Array<{ status: string; eventCreatedAt: Date }>>`
    SELECT status, "eventCreatedAt" FROM "Dispute" WHERE id = ${signal.disputeId} FOR UPDATE`;
  if (!stored) throw new Error(`dispute ${signal.disputeId} vanished while it was being updated`);
  const update = disputeUpdate(stored, snapshot);
  if (!update.apply) {
    const outcomes = {
      closed: `dispute already ${stored.status}; kept`,
      older: "older dispute snapshot ignored",
      same: "dispute unchanged",
    };
    return done(outcomes[update.reason]);
  }
  // A link made earlier stays even if this event's intent no longer finds the order.
  await tx.dispute.update({ where: { id: signal.disputeId }, data: { ...snapshot, orderId: snapshot.orderId ?? undefined } });
  return done(stored.status === signal.status ? `dispute still ${signal.status}` : `dispute ${signal.status}`);
}

async function queueDisputeOpened(tx: Tx, signal: DisputeSignal, order: { id: string; number: string } | null): Promise<void> {
  const to = await staffAddress(tx);
  if (!to) return;
  await queueEmail(tx, {
    dedupeKey: `staff_dispute_opened:${signal.disputeId}`,
    to,
    // Listed with the order's emails in the admin.
    orderId: order?.id ?? null,
    input: {
      kind: "staff_dispute_opened",
      orderNumber: order?.number ?? null,
      dispute: {
        id: signal.disputeId,
        amount: signal.amount,
        currency: signal.currency.toLowerCase(),
        reason: signal.reason,
        evidenceDueBy: signal.evidenceDueBy ? new Date(signal.evidenceDueBy) : null,
      },
      adminUrl: order ? adminOrderUrl(order.number) : absoluteUrl("/admin"),
    },
  });
}
