import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { PrintButton } from "@/components/admin/print-button";
import { orderFulfilment } from "@/lib/admin/fulfilment";
import { orderDetail } from "@/lib/admin/orders";
import { requireAdminPage } from "@/lib/auth/session";
import { leftToShip } from "@/lib/fulfilment-rules";
import { SITE_NAME } from "@/lib/site";
import { variantName } from "@/lib/variant-name";
import { ShippingAddress } from "@/components/admin/shipping-address";

// A packing slip to print and put in the parcel: the shop, the order number, the address, and the items with
// their quantities. No prices: the slip travels with the goods, and gifts are common.

export const metadata: Metadata = { title: "Packing slip" };

type Params = Promise<{ number: string }>;

// Printing shows the slip alone: the shop's header and footer and the print button stay on screen.
const PRINT_CSS =
  "@media print { header, footer, .no-print { display: none !important; } #main { padding: 0 !important; max-width: none !important; } }";

export default function PackingSlipPage({ params }: { params: Params }) {
  return (
    <Suspense fallback={<p>Loading packing slip…</p>}>
      <PackingSlip params={params} />
    </Suspense>
  );
}

async function PackingSlip({ params }: { params: Params }) {
  const { number } = await params;
  await requireAdminPage(`/admin/orders/${encodeURIComponent(number)}/packing-slip`);
  const detail = await orderDetail(number);
  if (!detail) notFound();
  const { order } = detail;
  const view = await orderFulfilment(order.id);
  const lines = view?.lines ?? [];
  return (
    <article className="mx-auto max-w-2xl space-y-6 bg-white p-8 text-stone-900" aria-label="Packing slip">
      <style>{PRINT_CSS}</style>
      <div className="flex items-start justify-between gap-4">
        <div>
          <p className="text-xl font-bold">{SITE_NAME}</p>
          <h1 className="mt-1 text-lg">
            Packing slip · Order <span data-testid="slip-order-number">{order.number}</span>
          </h1>
          <p className="text-sm text-stone-600">Ordered {order.createdAt.toISOString().slice(0, 10)}</p>
        </div>
        <PrintButton />
      </div>
      <section aria-labelledby="slip-ship-to">
        <h2 id="slip-ship-to" className="text-sm font-semibold tracking-wide text-stone-600 uppercase">
          Ship to
        </h2>
        <ShippingAddress order={order} className="mt-1 not-italic" />
      </section>
      <table className="w-full text-sm">
        <caption className="sr-only">Items in this order</caption>
        <thead>
          <tr className="border-b border-stone-300 text-left">
            <th className="py-1">Item</th>
            <th className="text-right">Ordered</th>
            <th className="text-right">To pack</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => (
            <tr key={line.orderItemId} className="border-b border-stone-100">
              <td className="py-1">{variantName(line.name, line.options)}</td>
              <td className="text-right tabular-nums">{line.quantity}</td>
              <td className="text-right tabular-nums">{leftToShip(line)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="text-sm text-stone-600">Thank you for shopping with {SITE_NAME}.</p>
    </article>
  );
}
