import Link from "next/link";
import type { ReactNode } from "react";
import { FindOrderForm } from "@/components/orders/find-order-form";
import { AmountRow, TotalsRows } from "@/components/orders/totals-rows";
import { formatMoney, multiply } from "@/lib/money";
import type { OrderView } from "@/lib/order-status-page";
import { formatOrderDate, fulfilmentWords, paymentWords, trackingHref } from "@/lib/order-view-rules";

// The shopper's order status page (app/orders/status/[token]): what a valid link shows, and what any other
// link shows. Server components only; the one interactive part is the fresh-link form.

export function OrderStatusView({ order }: { order: OrderView }) {
  const money = (amount: number) => formatMoney(amount, order.currency);
  const payment = paymentWords(order.status);
  const goods = fulfilmentWords(order.fulfilment, order.status);
  return (
    <div className="space-y-6">
      <Panel>
        <h1 className="text-2xl font-bold tracking-tight text-stone-900">
          Order <span data-testid="order-number">{order.number}</span>
        </h1>
        <p className="mt-1 text-sm text-stone-600">Placed on {formatOrderDate(order.placedAt)}</p>
        <dl className="mt-6 grid gap-4 sm:grid-cols-2">
          <StatusBlock title="Payment" words={payment} testId="payment-status" />
          {goods && <StatusBlock title="Delivery" words={goods} testId="fulfilment-status" />}
        </dl>
      </Panel>

      {order.shipments.length > 0 && (
        <Panel>
          <h2 className="text-lg font-semibold text-stone-900">Shipments</h2>
          <ol className="mt-4 space-y-4">
            {order.shipments.map((shipment, index) => {
              const href = trackingHref(shipment.trackingUrl);
              return (
                <li key={shipment.id} className="rounded-lg border border-stone-200 p-4">
                  <h3 className="font-semibold text-stone-900">
                    {order.shipments.length > 1 ? `Parcel ${index + 1}: ` : ""}
                    {shipment.deliveredAt
                      ? `Delivered on ${formatOrderDate(shipment.deliveredAt)}`
                      : `Shipped on ${formatOrderDate(shipment.shippedAt)}`}
                  </h3>
                  <p className="mt-1 text-sm">
                    {shipment.carrier}, tracking number <span className="font-mono">{shipment.trackingNumber}</span>
                    {href && (
                      <>
                        {" · "}
                        <a href={href} rel="noreferrer noopener" className="font-semibold text-brand-800 underline underline-offset-4">
                          Track this parcel<span className="sr-only"> with {shipment.carrier}</span>
                        </a>
                      </>
                    )}
                  </p>
                  <ul className="mt-2 list-inside list-disc text-sm text-stone-700" aria-label={`Items in parcel ${index + 1}`}>
                    {shipment.items.map((item, line) => (
                      <li key={line}>
                        {item.name}
                        {item.options ? ` (${item.options})` : ""} × {item.quantity}
                      </li>
                    ))}
                  </ul>
                </li>
              );
            })}
          </ol>
        </Panel>
      )}

      <Panel>
        <h2 className="text-lg font-semibold text-stone-900">Items</h2>
        <ul className="mt-4 divide-y divide-stone-200 rounded-lg border border-stone-200" aria-label="Items in your order">
          {order.items.map((item) => (
            <li key={item.id} className="flex justify-between gap-4 px-4 py-3">
              <span>
                <span className="font-medium text-stone-900">{item.name}</span>
                {item.options && <span className="block text-sm text-stone-600">{item.options}</span>}
                <span className="block text-sm text-stone-600">
                  {item.quantity} × {money(item.unitPrice)}
                </span>
              </span>
              <span className="tabular-nums">{money(multiply(item.unitPrice, item.quantity))}</span>
            </li>
          ))}
        </ul>
        <TotalsRows totals={order.totals} className="mt-4 space-y-1 text-sm">
          {order.amountRefunded > 0 && <AmountRow label="Refunded" value={`−${money(order.amountRefunded)}`} />}
        </TotalsRows>
      </Panel>

      <Panel>
        <h2 className="text-lg font-semibold text-stone-900">Shipping to</h2>
        <address className="mt-2 not-italic" data-testid="shipping-address">
          {order.address.map((line, index) => (
            <span key={index} className="block">
              {line}
            </span>
          ))}
        </address>
        <p className="mt-4 text-sm text-stone-600">
          Parts of the address are hidden because anyone with this link can see this page. Updates about this order go to {order.email}.
        </p>
      </Panel>

      <p>
        <Link href="/" className="font-semibold text-brand-800 underline underline-offset-4">
          Continue shopping
        </Link>
      </p>
    </div>
  );
}

/** Any link that opens nothing: unknown, malformed or expired. It never says whether the order exists. */
export function OrderLinkNotValid() {
  return (
    <Panel>
      <h1 className="text-2xl font-bold tracking-tight text-stone-900">This link has expired or is not valid</h1>
      <p className="mt-3">
        Links to an order work for a limited time. Enter your order number and the email you ordered with, and we&apos;ll send you a fresh
        link.
      </p>
      <div className="mt-6">
        <FindOrderForm idPrefix="fresh-link" />
      </div>
    </Panel>
  );
}

function Panel({ children }: { children: ReactNode }) {
  return <section className="rounded-xl border border-stone-200 bg-white p-6 text-stone-800 sm:p-8">{children}</section>;
}

function StatusBlock({ title, words, testId }: { title: string; words: { label: string; detail: string }; testId: string }) {
  return (
    <div className="rounded-lg bg-stone-50 p-4">
      <dt className="text-sm font-medium text-stone-600">{title}</dt>
      <dd className="mt-1">
        <span className="text-lg font-semibold text-brand-900" data-testid={testId}>
          {words.label}
        </span>
        <span className="mt-1 block text-sm text-stone-700">{words.detail}</span>
      </dd>
    </div>
  );
}
