import Link from "next/link";
import { MarkDeliveredButton, ReturnForm, ShipForm, type FormLine } from "@/components/admin/fulfilment-forms";
import { orderFulfilment } from "@/lib/admin/fulfilment";
import { fulfilmentLabel, leftToReturn, leftToShip, shipRefusal } from "@/lib/fulfilment-rules";
import { formatMoney } from "@/lib/money";
import { isPaid } from "@/lib/order-status";
import { variantName } from "@/lib/variant-name";

// The order page's "Fulfilment" and "Returns" sections: what shipped and came back, and (for staff who may
// change orders) the forms to ship, mark delivered and record a return.

const RETURN_STATUS: Record<string, string> = {
  refund_pending: "refund being made",
  refunded: "refunded",
  refund_failed: "refund failed",
};

const time = (at: Date) => at.toISOString().slice(0, 16).replace("T", " ");

export async function FulfilmentSections({ orderId, orderNumber, canEdit }: { orderId: string; orderNumber: string; canEdit: boolean }) {
  const view = await orderFulfilment(orderId);
  if (!view) return null;
  const { lines, shipments, returns, fulfilment } = view;
  const order = {
    status: view.status,
    currency: view.currency,
    pricesIncludeTax: view.pricesIncludeTax,
    total: view.total,
    refundedOrPending: view.refundedOrPending,
    lines,
  };
  const label = (line: { name: string; options: string }) => variantName(line.name, line.options);
  const toShip: FormLine[] = lines
    .filter((l) => leftToShip(l) > 0)
    .map((l) => ({ orderItemId: l.orderItemId, label: label(l), max: leftToShip(l) }));
  const toReturn: FormLine[] = lines
    .filter((l) => leftToReturn(l) > 0)
    .map((l) => ({ orderItemId: l.orderItemId, label: label(l), max: leftToReturn(l) }));
  // The form is offered only where the rule would let something ship (paid, not refunded in full, units left).
  const shippable = shipRefusal({ status: view.status, lines }) === null;

  return (
    <>
      <section className="rounded-xl border border-stone-200 bg-white p-5" aria-labelledby="fulfilment-h">
        <div className="flex flex-wrap items-center gap-3">
          <h2 id="fulfilment-h" className="font-semibold">
            Fulfilment
          </h2>
          <span className="rounded-full bg-stone-100 px-2.5 py-0.5 text-sm font-medium text-stone-800" data-testid="fulfilment-status">
            {fulfilmentLabel(fulfilment)}
          </span>
          <Link href={`/admin/orders/${encodeURIComponent(orderNumber)}/packing-slip`} className="ml-auto text-sm text-brand-800 underline">
            Packing slip
          </Link>
        </div>
        {shipments.length === 0 ? (
          <p className="mt-2 text-sm text-stone-600">Nothing shipped yet.</p>
        ) : (
          <ul className="mt-3 space-y-3 text-sm" aria-label="Shipments">
            {shipments.map((shipment) => (
              <li key={shipment.id} className="rounded-lg border border-stone-100 p-3">
                <p>
                  <strong>{shipment.carrier}</strong>{" "}
                  {shipment.trackingUrl ? (
                    <a href={shipment.trackingUrl} target="_blank" rel="noopener noreferrer" className="text-brand-800 underline">
                      {shipment.trackingNumber}
                    </a>
                  ) : (
                    shipment.trackingNumber
                  )}{" "}
                  · shipped {time(shipment.shippedAt)} by {shipment.staffEmail}
                </p>
                <ul className="mt-1 list-inside list-disc">
                  {shipment.items.map((item) => (
                    <li key={item.orderItemId}>
                      {item.quantity} × {label(item.orderItem)}
                    </li>
                  ))}
                </ul>
                <div className="mt-2">
                  {shipment.deliveredAt ? (
                    <p className="text-green-800">Delivered {time(shipment.deliveredAt)}</p>
                  ) : canEdit ? (
                    <MarkDeliveredButton shipmentId={shipment.id} />
                  ) : (
                    <p className="text-stone-600">On its way</p>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
        {canEdit && shippable && (
          <div className="mt-4 border-t border-stone-100 pt-4">
            <ShipForm orderId={orderId} lines={toShip} />
          </div>
        )}
      </section>
      <section className="rounded-xl border border-stone-200 bg-white p-5" aria-labelledby="returns-h">
        <h2 id="returns-h" className="font-semibold">
          Returns
        </h2>
        {returns.length === 0 ? (
          <p className="mt-2 text-sm text-stone-600">No returns.</p>
        ) : (
          <ul className="mt-3 space-y-3 text-sm" aria-label="Returns">
            {returns.map((entry) => (
              <li key={entry.id} className="rounded-lg border border-stone-100 p-3">
                <p>
                  {time(entry.createdAt)} by {entry.staffEmail} · {entry.restock ? "restocked" : "not restocked"} · refund{" "}
                  {formatMoney(entry.amount, view.currency)}:{" "}
                  <strong className={entry.status === "refund_failed" ? "text-red-700" : undefined}>{RETURN_STATUS[entry.status]}</strong>
                  {entry.refundId && <span className="text-stone-600"> ({entry.refundId})</span>}
                </p>
                {entry.status === "refund_failed" && entry.lastError && (
                  <p role="alert" className="text-red-700">
                    {entry.lastError}
                  </p>
                )}
                <ul className="mt-1 list-inside list-disc">
                  {entry.items.map((item) => (
                    <li key={item.orderItemId}>
                      {item.quantity} × {label(item.orderItem)}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
        {canEdit && isPaid(view.status) && toReturn.length > 0 && (
          <div className="mt-4 border-t border-stone-100 pt-4">
            <ReturnForm orderId={orderId} order={order} lines={toReturn} />
          </div>
        )}
      </section>
    </>
  );
}
