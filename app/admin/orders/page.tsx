import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { StatusBadge } from "@/components/admin/status-badge";
import { listOrders, parseOrderFilter, type OrderFilter } from "@/lib/admin/orders";
import { FULFILMENT_STATUSES, fulfilmentLabel } from "@/lib/fulfilment-rules";
import { ORDER_STATUSES } from "@/lib/order-status";
import { requireAdminPage } from "@/lib/auth/session";
import { formatMoney } from "@/lib/money";
import { SHOP_CURRENCY } from "@/lib/shop-currency";

export const metadata: Metadata = { title: "Orders" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default function OrdersPage({ searchParams }: { searchParams: SearchParams }) {
  return (
    <Suspense fallback={<p>Loading orders…</p>}>
      <OrdersBody searchParams={searchParams} />
    </Suspense>
  );
}

function query(filter: OrderFilter, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({
    status: filter.status,
    dispute: filter.dispute,
    fulfilment: filter.fulfilment,
    from: filter.from,
    to: filter.to,
    q: filter.q,
    ...extra,
  })) {
    if (value) params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

async function OrdersBody({ searchParams }: { searchParams: SearchParams }) {
  const { filter, dateError } = parseOrderFilter(await searchParams);
  const session = await requireAdminPage(`/admin/orders${query(filter)}`);
  const { orders, nextCursor, totals } = await listOrders(filter);
  const input = "mt-1 rounded-lg border border-stone-300 px-3 py-1.5";
  return (
    <>
      <AdminNav staff={session} />
      <h1 className="text-2xl font-bold text-stone-900">Orders</h1>
      <form
        method="get"
        className="flex flex-wrap items-end gap-3 rounded-xl border border-stone-200 bg-white p-4"
        aria-label="Filter orders"
      >
        <div>
          <label htmlFor="f-q" className="block text-sm font-medium">
            Search
          </label>
          <input id="f-q" name="q" defaultValue={filter.q} placeholder="Order number, email or pi_…" className={`${input} w-64`} />
        </div>
        <div>
          <label htmlFor="f-status" className="block text-sm font-medium">
            Status
          </label>
          <select id="f-status" name="status" defaultValue={filter.status ?? ""} className={`${input} bg-white`}>
            <option value="">Any</option>
            {ORDER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.replace("_", " ")}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-dispute" className="block text-sm font-medium">
            Disputed
          </label>
          <select id="f-dispute" name="dispute" defaultValue={filter.dispute ?? ""} className={`${input} bg-white`}>
            <option value="">Any</option>
            <option value="open">Open dispute</option>
            <option value="any">Ever disputed</option>
          </select>
        </div>
        <div>
          <label htmlFor="f-fulfilment" className="block text-sm font-medium">
            Fulfilment
          </label>
          <select id="f-fulfilment" name="fulfilment" defaultValue={filter.fulfilment ?? ""} className={`${input} bg-white`}>
            <option value="">Any</option>
            <option value="to_ship">To ship (oldest paid first)</option>
            {FULFILMENT_STATUSES.map((f) => (
              <option key={f} value={f}>
                {fulfilmentLabel(f)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-from" className="block text-sm font-medium">
            From
          </label>
          <input id="f-from" name="from" type="date" defaultValue={filter.from} className={input} />
        </div>
        <div>
          <label htmlFor="f-to" className="block text-sm font-medium">
            To
          </label>
          <input id="f-to" name="to" type="date" defaultValue={filter.to} className={input} />
        </div>
        <button type="submit" className="rounded-lg bg-brand-800 px-4 py-2 font-semibold text-white">
          Apply
        </button>
        <a href={`/admin/orders/export${query(filter)}`} className="ml-auto font-medium text-brand-800 underline">
          Export CSV
        </a>
      </form>
      {dateError && (
        <p role="alert" className="font-medium text-red-700">
          {dateError}
        </p>
      )}
      <p className="text-sm text-stone-700" data-testid="order-totals">
        {totals.count} orders · total {formatMoney(totals.total, SHOP_CURRENCY)} · refunded {formatMoney(totals.refunded, SHOP_CURRENCY)}
      </p>
      <table className="w-full rounded-xl border border-stone-200 bg-white text-sm">
        <caption className="sr-only">
          {filter.fulfilment === "to_ship" ? "Orders to ship, oldest paid first" : "Orders, newest first"}
        </caption>
        <thead>
          <tr className="text-left text-stone-600">
            <th className="px-3 py-2">Order</th>
            <th>Status</th>
            <th>Fulfilment</th>
            <th>Email</th>
            <th>Created</th>
            <th className="pr-3 text-right">Total</th>
          </tr>
        </thead>
        <tbody>
          {orders.map((order) => (
            <tr key={order.id} className="border-t border-stone-100">
              <td className="px-3 py-2">
                <Link href={`/admin/orders/${order.number}`} className="font-medium text-brand-800 underline">
                  {order.number}
                </Link>
                {order.openDispute && (
                  <span className="ml-2 font-medium text-red-700" data-testid="disputed-flag">
                    ⚑ disputed
                  </span>
                )}
                {order.attention && (
                  <span className="ml-2 text-red-700" title={order.attention}>
                    ⚠ needs attention
                  </span>
                )}
              </td>
              <td>
                <StatusBadge status={order.status} />
              </td>
              <td data-testid="order-fulfilment">{fulfilmentLabel(order.fulfilment)}</td>
              <td>{order.email}</td>
              <td className="tabular-nums">{order.createdAt.toISOString().slice(0, 16).replace("T", " ")}</td>
              <td className="pr-3 text-right tabular-nums">{formatMoney(order.total, order.currency)}</td>
            </tr>
          ))}
          {orders.length === 0 && (
            <tr>
              <td colSpan={6} className="px-3 py-6 text-center text-stone-600">
                No orders match.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {nextCursor && (
        <Link href={`/admin/orders${query(filter, { cursor: nextCursor })}`} className="inline-block font-medium text-brand-800 underline">
          Older orders
        </Link>
      )}
    </>
  );
}
