import type { Metadata } from "next";
import { Suspense } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { RevenueChart } from "@/components/admin/revenue-chart";
import { salesOverview } from "@/lib/admin/dashboard";
import { requireAdminPage } from "@/lib/auth/session";
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
  const overview = await salesOverview(30);
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
    </>
  );
}
