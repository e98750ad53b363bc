import type { CartView } from "@/lib/cart/rules";
import type { Quote } from "@/components/checkout/details-form";
import { variantName } from "@/lib/variant-name";
import type { OrderSummary } from "@/lib/checkout/rules";
import { formatMoney } from "@/lib/money";
import { TotalsRows } from "@/components/orders/totals-rows";

/**
 * The server's figures: the placed order's once it exists, else the latest quote for the details being typed
 * (shipping, discount and taxes for that destination), else the cart's subtotal (a country we do not ship to).
 */
export function OrderSummaryPanel({ cart, quote, summary }: { cart: CartView; quote: Quote | null; summary: OrderSummary | null }) {
  const priced = summary ?? quote;
  const currency = summary?.currency ?? cart.currency;
  const lines = priced
    ? priced.lines.map((l) => ({ key: l.variantId, name: variantName(l.name, l.options), quantity: l.quantity, total: l.lineTotal }))
    : cart.lines.map((l) => ({ key: l.variantId, name: variantName(l.name, l.options), quantity: l.quantity, total: l.lineTotal }));
  return (
    <aside aria-labelledby="order-summary-heading" className="h-fit rounded-xl border border-stone-200 bg-white p-6">
      <h2 id="order-summary-heading" className="text-lg font-semibold text-stone-900">
        Order summary
      </h2>
      {summary && <p className="mt-1 text-sm text-stone-600">Order {summary.orderNumber}</p>}
      <ul className="mt-4 space-y-2 text-sm">
        {lines.map((line) => (
          <li key={line.key} className="flex justify-between gap-3">
            <span className="text-stone-700">
              {line.name} × {line.quantity}
            </span>
            <span className="tabular-nums text-stone-900">{formatMoney(line.total, currency)}</span>
          </li>
        ))}
      </ul>
      <div className="mt-4 border-t border-stone-200 pt-4" aria-live="polite">
        {priced ? (
          <TotalsRows totals={priced.totals} totalTestId="order-total" />
        ) : (
          <dl className="space-y-1 text-sm">
            <div className="flex justify-between">
              <dt className="text-stone-700">Subtotal</dt>
              <dd className="tabular-nums" data-testid="order-total">
                {formatMoney(cart.subtotal, currency)}
              </dd>
            </div>
          </dl>
        )}
      </div>
    </aside>
  );
}
