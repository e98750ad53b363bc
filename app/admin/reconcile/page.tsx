import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { RepairOrderButton } from "@/components/admin/order-actions";
import { can } from "@/lib/auth/roles";
import { requireAdminPage } from "@/lib/auth/session";
import { dayOffset, parseDayRange } from "@/lib/dates";
import { reconcile, type ReconciliationReport } from "@/lib/reconcile";

export const metadata: Metadata = { title: "Reconciliation" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default function ReconcilePage({ searchParams }: { searchParams: SearchParams }) {
  return (
    <Suspense fallback={<p>Comparing with Stripe…</p>}>
      <ReconcileBody searchParams={searchParams} />
    </Suspense>
  );
}

async function ReconcileBody({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const session = await requireAdminPage("/admin/reconcile");
  // The last seven UTC days unless the form says otherwise.
  const now = new Date();
  const from = first(params.from) || dayOffset(now, 6);
  const to = first(params.to) || dayOffset(now, 0);
  const range = parseDayRange(from, to);
  let report: ReconciliationReport | null = null;
  let error: string | null = null;
  if (!range.ok) error = range.error;
  else {
    try {
      report = await reconcile(range.from!, range.to!);
    } catch (e) {
      error = `Could not read payments from Stripe: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  return (
    <>
      <AdminNav staff={session} />
      <h1 className="text-2xl font-bold text-stone-900">Reconciliation with Stripe</h1>
      <form method="get" className="flex flex-wrap items-end gap-3 rounded-xl border border-stone-200 bg-white p-4">
        <div>
          <label htmlFor="r-from" className="block text-sm font-medium">
            From
          </label>
          <input id="r-from" name="from" type="date" defaultValue={from} className="mt-1 rounded-lg border border-stone-300 px-3 py-1.5" />
        </div>
        <div>
          <label htmlFor="r-to" className="block text-sm font-medium">
            To
          </label>
          <input id="r-to" name="to" type="date" defaultValue={to} className="mt-1 rounded-lg border border-stone-300 px-3 py-1.5" />
        </div>
        <button type="submit" className="rounded-lg bg-brand-800 px-4 py-2 font-semibold text-white">
          Compare
        </button>
      </form>
      {error && (
        <p role="alert" className="font-medium text-red-700">
          {error}
        </p>
      )}
      {report && (
        <>
          <p className="text-sm text-stone-700" data-testid="reconcile-summary">
            {report.intents} payment intents at Stripe and {report.orders} orders compared: {report.discrepancies.length} discrepancies.
          </p>
          {report.discrepancies.length > 0 && (
            <table className="w-full rounded-xl border border-stone-200 bg-white text-sm">
              <caption className="sr-only">Discrepancies</caption>
              <thead>
                <tr className="text-left text-stone-600">
                  <th className="px-3 py-2">Problem</th>
                  <th>Order</th>
                  <th>PaymentIntent</th>
                  <th>Detail</th>
                  <th>Action</th>
                </tr>
              </thead>
              <tbody>
                {report.discrepancies.map((d) => (
                  <tr key={`${d.kind}-${d.paymentIntentId}`} className="border-t border-stone-100 align-top">
                    <td className="px-3 py-2 font-medium">{d.kind.replaceAll("_", " ")}</td>
                    <td>
                      {d.orderNumber ? (
                        <Link href={`/admin/orders/${d.orderNumber}`} className="text-brand-800 underline">
                          {d.orderNumber}
                        </Link>
                      ) : (
                        "—"
                      )}
                    </td>
                    <td className="break-all">{d.paymentIntentId}</td>
                    <td>{d.detail}</td>
                    <td>
                      {d.repairable && d.orderId && can(session.role, "orders.write") ? (
                        <RepairOrderButton orderId={d.orderId} />
                      ) : d.repairable ? (
                        "Repairable by staff"
                      ) : (
                        "Check by hand"
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </>
  );
}
