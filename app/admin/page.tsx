import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { RevenueChart } from "@/components/admin/revenue-chart";
import { openDisputes, salesOverview, type OpenDisputes } from "@/lib/admin/dashboard";
import { requireAdminPage } from "@/lib/auth/session";
import { disputeStatusLabel } from "@/lib/dispute-rules";
import { formatMoney } from "@/lib/money";

export const metadata: Metadata = { title: "Overview" };

export default function AdminHome() {
  return (
    <Suspense fallback={<p>Loading…</p>}>
      <Overview />
    </Suspense>
  );
}

async function Overview() {
  const session = await requireAdminPage("/admin");
  const [overview, disputes] = await Promise.all([salesOverview(30), openDisputes()]);
  const money = (amount: number) => formatMoney(amount, overview.currency);
  const figures = [
    { label: "Revenue today", value: money(overview.today.revenue) },
    { label: "Orders today", value: String(overview.today.orders) },
    { label: "Revenue, last 30 days", value: money(overview.period.revenue) },
    { label: "Orders, last 30 days", value: String(overview.period.orders) },
    { label: "Average order value", value: money(overview.period.averageOrderValue) },
  ];
  return (
    <>
      <AdminNav staff={session} />
      <h1 className="text-2xl font-bold text-stone-900">Sales overview</h1>
      <dl className="grid gap-4 sm:grid-cols-3 lg:grid-cols-5">
        {figures.map((f) => (
          <div key={f.label} className="rounded-xl border border-stone-200 bg-white p-4">
            <dt className="text-sm text-stone-600">{f.label}</dt>
            <dd className="mt-1 text-xl font-semibold tabular-nums">{f.value}</dd>
          </div>
        ))}
      </dl>
      <RevenueChart days={overview.days} currency={overview.currency} />
      <DisputesPanel open={disputes} currency={overview.currency} />
    </>
  );
}

const day = (date: Date) => date.toISOString().slice(0, 10);

function DisputesPanel({ open, currency }: { open: OpenDisputes; currency: string }) {
  return (
    <section className="rounded-xl border border-stone-200 bg-white p-5" aria-labelledby="disputes-h">
      <h2 id="disputes-h" className="font-semibold">
        Open disputes
      </h2>
      {open.count === 0 ? (
        <p className="mt-2 text-sm text-stone-600">No open disputes.</p>
      ) : (
        <>
          <p className="mt-2 text-sm" data-testid="open-disputes">
            {open.count} open, {formatMoney(open.amount, currency)} in dispute
            {open.nearestDeadline && <>, nearest evidence deadline {day(open.nearestDeadline)}</>}.
          </p>
          <ul className="mt-2 space-y-1 text-sm" aria-label="Open disputes, nearest deadline first">
            {open.disputes.map((dispute) => (
              <li key={dispute.id} className="flex flex-wrap gap-3">
                {dispute.orderNumber ? (
                  <Link href={`/admin/orders/${dispute.orderNumber}`} className="font-medium text-brand-800 underline">
                    {dispute.orderNumber}
                  </Link>
                ) : (
                  <span className="font-medium">{dispute.id} (no order)</span>
                )}
                <span className="tabular-nums">{formatMoney(dispute.amount, dispute.currency)}</span>
                <span>{disputeStatusLabel(dispute.status)}</span>
                <span className="text-stone-600">
                  {dispute.evidenceDueBy ? `evidence due ${day(dispute.evidenceDueBy)}` : "no evidence deadline"}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
