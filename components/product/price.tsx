import { formatMoney } from "@/lib/money";

export function Price({ amount, currency, className }: { amount: number; currency: string; className?: string }) {
  return <span className={`tabular-nums ${className ?? ""}`}>{formatMoney(amount, currency)}</span>;
}
