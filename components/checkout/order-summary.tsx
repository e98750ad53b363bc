import type { CartView } from "@/lib/cart/rules";
import { variantName } from "@/lib/variant-name";
import type { OrderSummary } from "@/lib/checkout/rules";
import { formatMoney } from "@/lib/money";

/** The server's figures: the cart's before the order exists, the order's (with shipping) after. */
export function OrderSummaryPanel({ cart, summary }: { cart: CartView; summary: OrderSummary | null }) {
  const currency = summary?.currency ?? cart.currency;
  const lines = summary
    ? summary.lines.map((l) => ({ key: l.variantId, name: variantName(l.name, l.options), quantity: l.quantity, total: l.lineTotal }))
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
      <dl className="mt-4 space-y-1 border-t border-stone-200 pt-4 text-sm" aria-live="polite">
        <div className="flex justify-between">
          <dt className="text-stone-700">Subtotal</dt>
          <dd className="tabular-nums">{formatMoney(summary?.subtotal ?? cart.subtotal, currency)}</dd>
        </div>
        <div className="flex justify-between">
          <dt className="text-stone-700">Shipping</dt>
          <dd className="tabular-nums">{summary ? formatMoney(summary.shippingCost, currency) : "Next step"}</dd>
        </div>
        {summary && summary.tax > 0 && (
          <div className="flex justify-between">
            <dt className="text-stone-700">Tax</dt>
            <dd className="tabular-nums">{formatMoney(summary.tax, currency)}</dd>
          </div>
        )}
        <div className="flex justify-between pt-2 text-base font-semibold">
          <dt>Total</dt>
          <dd className="tabular-nums" data-testid="order-total">
            {formatMoney(summary?.total ?? cart.subtotal, currency)}
          </dd>
        </div>
      </dl>
    </aside>
  );
}
