import { orderDisputes } from "@/lib/admin/disputes";
import { disputeStatusLabel, isOpenDispute } from "@/lib/dispute-rules";
import { formatMoney } from "@/lib/money";

/** The order's disputes (chargebacks), if any: Stripe's latest word on each, as the webhooks reported it. */
export async function OrderDisputes({ orderId }: { orderId: string }) {
  const disputes = await orderDisputes(orderId);
  if (disputes.length === 0) return null;
  return (
    <section className="rounded-xl border border-red-200 bg-white p-5 text-sm" aria-labelledby="dispute-h">
      <h2 id="dispute-h" className="font-semibold">
        Dispute
      </h2>
      {disputes.map((dispute) => (
        <dl key={dispute.id} className="mt-3 grid grid-cols-[auto_1fr] gap-x-6 gap-y-1" aria-label={`Dispute ${dispute.id}`}>
          <dt>Status</dt>
          <dd className={isOpenDispute(dispute.status) ? "font-semibold text-red-700" : "font-semibold"} data-testid="dispute-status">
            {disputeStatusLabel(dispute.status)}
          </dd>
          <dt>Reason</dt>
          <dd>{dispute.reason.replaceAll("_", " ")}</dd>
          <dt>Amount</dt>
          <dd className="tabular-nums">{formatMoney(dispute.amount, dispute.currency)}</dd>
          <dt>Evidence due</dt>
          <dd className="tabular-nums">
            {dispute.evidenceDueBy ? `${dispute.evidenceDueBy.toISOString().slice(0, 16).replace("T", " ")} UTC` : "no deadline given"}
          </dd>
          <dt>Stripe id</dt>
          <dd className="break-all text-stone-600">{dispute.id}</dd>
        </dl>
      ))}
      <p className="mt-3 text-stone-600">
        Evidence is submitted in Stripe&apos;s Dashboard (Payments → Disputes); this page follows Stripe&apos;s decision as its events
        arrive.
      </p>
    </section>
  );
}
