import { stockState, type StockLevel } from "@/lib/stock-state";

const styles = {
  in_stock: "bg-emerald-50 text-emerald-800 ring-emerald-700/30",
  low: "bg-amber-50 text-amber-900 ring-amber-700/30",
  sold_out: "bg-stone-100 text-stone-700 ring-stone-500/30",
  unavailable: "bg-stone-100 text-stone-700 ring-stone-500/30",
} as const;

export function StockBadge({ product }: { product: StockLevel }) {
  const state = stockState(product);
  return (
    <span className={`inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset ${styles[state.kind]}`}>
      {state.label}
    </span>
  );
}
