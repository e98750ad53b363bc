import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { AuditList } from "@/components/admin/audit-list";
import { FulfilmentSections } from "@/components/admin/fulfilment-section";
import { CancelOrderButton, RefundForm } from "@/components/admin/order-actions";
import { OrderDisputes } from "@/components/admin/order-disputes";
import { OrderEmails } from "@/components/admin/order-emails";
import { StatusBadge } from "@/components/admin/status-badge";
import { AmountRow, TotalsRows } from "@/components/orders/totals-rows";
import { orderDetail } from "@/lib/admin/orders";
import { auditFor } from "@/lib/audit";
import { can } from "@/lib/auth/roles";
import { requireAdminPage } from "@/lib/auth/session";
import { formatMoney, multiply, toDecimalString } from "@/lib/money";
import { isOpen, isPaid } from "@/lib/order-status";
import { retrieveIntent, type IntentSummary } from "@/lib/payments/intents";
import { storedTotals } from "@/lib/pricing/receipt";
import { ShippingAddress } from "@/components/admin/shipping-address";

export const metadata: Metadata = { title: "Order" };

type Params = Promise<{ number: string }>;

export default function OrderPage({ params }: { params: Params }) {
  return (
    <Suspense fallback={<p>Loading order…</p>}>
      <OrderBody params={params} />
    </Suspense>
  );
}

async function liveIntent(id: string | null): Promise<IntentSummary | string | null> {
  if (!id) return null;
  try {
    return await retrieveIntent(id);
  } catch (error) {
    return `Could not read the intent from Stripe: ${error instanceof Error ? error.message : String(error)}`;
  }
}

async function OrderBody({ params }: { params: Params }) {
  const { number } = await params;
  const session = await requireAdminPage(`/admin/orders/${encodeURIComponent(number)}`);
  const detail = await orderDetail(number);
  if (!detail) notFound();
  const { order, events } = detail;
  const [intent, audit] = await Promise.all([liveIntent(order.paymentIntentId), auditFor("order", order.id)]);
  // Viewers see no controls; the actions refuse them anyway (components/admin/actions.ts).
  const canEdit = can(session.role, "orders.write");
  const money = (amount: number) => formatMoney(amount, order.currency);
  const refundable = order.total - order.amountRefunded;

  return (
    <>
      <AdminNav staff={session} />
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold text-stone-900">Order {order.number}</h1>
        <StatusBadge status={order.status} />
        <Link href="/admin/orders" className="ml-auto text-sm text-brand-800 underline">
          All orders
        </Link>
      </div>
      {order.attention && (
        <p role="alert" className="rounded-lg border border-red-300 bg-red-50 p-3 font-medium text-red-800">
          Needs attention: {order.attention}
        </p>
      )}
      <div className="grid gap-6 lg:grid-cols-2">
        <section className="rounded-xl border border-stone-200 bg-white p-5" aria-labelledby="items-h">
          <h2 id="items-h" className="font-semibold">
            Items
          </h2>
          <table className="mt-3 w-full text-sm">
            <thead>
              <tr className="text-left text-stone-600">
                <th className="py-1">Item</th>
                <th>Qty</th>
                <th className="text-right">Price</th>
                <th className="text-right">Total</th>
              </tr>
            </thead>
            <tbody>
              {order.items.map((item) => (
                <tr key={item.id} className="border-t border-stone-100">
                  <td className="py-1">{item.name}</td>
                  <td>{item.quantity}</td>
                  <td className="text-right tabular-nums">{money(item.unitPrice)}</td>
                  <td className="text-right tabular-nums">{money(multiply(item.unitPrice, item.quantity))}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <TotalsRows totals={storedTotals(order)} totalTestId="admin-order-total" className="mt-3 space-y-1 text-sm">
            <AmountRow label="Refunded" value={money(order.amountRefunded)} testId="admin-order-refunded" />
          </TotalsRows>
        </section>
        <section className="rounded-xl border border-stone-200 bg-white p-5 text-sm" aria-labelledby="customer-h">
          <h2 id="customer-h" className="font-semibold">
            Customer and shipping
          </h2>
          <p className="mt-2">{order.email}</p>
          <ShippingAddress order={order} className="mt-2 not-italic" />
          <h2 className="mt-4 font-semibold">Payment</h2>
          <p className="mt-1">
            Created {order.createdAt.toISOString()}
            {order.paidAt && <>, paid {order.paidAt.toISOString()}</>}
          </p>
          <p className="mt-1">
            Failed attempts: {order.failedAttempts}
            {order.lastPaymentError && ` (last: ${order.lastPaymentError})`}
          </p>
          <p className="mt-1 break-all">PaymentIntent: {order.paymentIntentId ?? "none yet"}</p>
          {typeof intent === "string" ? (
            <p role="alert" className="mt-1 text-red-700">
              {intent}
            </p>
          ) : intent ? (
            <p className="mt-1" data-testid="live-intent-status">
              Live at Stripe: <strong>{intent.status}</strong>, received {formatMoney(intent.amountReceived, intent.currency)} of{" "}
              {formatMoney(intent.amount, intent.currency)}
            </p>
          ) : null}
        </section>
      </div>
      {canEdit && (
        <section className="rounded-xl border border-stone-200 bg-white p-5" aria-labelledby="actions-h">
          <h2 id="actions-h" className="font-semibold">
            Actions
          </h2>
          <div className="mt-3 flex flex-wrap gap-8">
            {isPaid(order.status) && refundable > 0 && (
              <RefundForm
                orderId={order.id}
                refundable={toDecimalString(refundable, order.currency)}
                currency={order.currency.toUpperCase()}
              />
            )}
            {isOpen(order.status) && <CancelOrderButton orderId={order.id} />}
            {!(isPaid(order.status) && refundable > 0) && !isOpen(order.status) && (
              <p className="text-sm text-stone-600">No actions for a {order.status.replace("_", " ")} order.</p>
            )}
          </div>
        </section>
      )}
      <FulfilmentSections orderId={order.id} orderNumber={order.number} canEdit={canEdit} />
      <OrderDisputes orderId={order.id} />
      <OrderEmails orderId={order.id} canEdit={canEdit} />
      <section className="rounded-xl border border-stone-200 bg-white p-5" aria-labelledby="timeline-h">
        <h2 id="timeline-h" className="font-semibold">
          Stripe events
        </h2>
        {events.length === 0 ? (
          <p className="mt-2 text-sm text-stone-600">No events received yet.</p>
        ) : (
          <ol className="mt-3 space-y-1 text-sm" aria-label="Stripe events">
            {events.map((event) => (
              <li key={event.id} className="flex flex-wrap gap-3">
                <time className="tabular-nums text-stone-600" dateTime={event.createdAt.toISOString()}>
                  {event.createdAt.toISOString()}
                </time>
                <span className="font-medium">{event.type}</span>
                <span className="text-stone-600">{event.outcome}</span>
                <span className="text-stone-600">{event.id}</span>
              </li>
            ))}
          </ol>
        )}
      </section>
      <section className="rounded-xl border border-stone-200 bg-white p-5" aria-labelledby="audit-h">
        <h2 id="audit-h" className="font-semibold">
          Staff changes
        </h2>
        <AuditList entries={audit} label="Staff changes to this order" />
      </section>
    </>
  );
}
