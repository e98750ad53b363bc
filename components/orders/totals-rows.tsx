import type { ReactNode } from "react";
import { formatMoney } from "@/lib/money";
import { totalsRows, type OrderTotals, type TotalsRow } from "@/lib/pricing/receipt";

// An order's totals block on a page (the shopper's status page, the admin's order page): the rows come from
// lib/pricing/receipt.ts only, so a page can never add up differently from the emails. No "use client": it is
// plain markup, rendered on the server.

type Props = {
  totals: OrderTotals;
  /** The total's data-testid, for pages whose e2e tests read it. */
  totalTestId?: string;
  /** Rows after the block, e.g. what has been refunded (see AmountRow). */
  children?: ReactNode;
  className?: string;
};

export function TotalsRows({ totals, totalTestId, children, className = "space-y-1 text-sm" }: Props) {
  return (
    <dl className={className}>
      {totalsRows(totals).map((row, index) => (
        <AmountRow
          key={`${row.kind}-${index}`}
          label={rowLabel(row)}
          value={formatMoney(row.amount, totals.currency)}
          strong={row.kind === "total"}
          muted={row.kind === "tax" && row.included}
          testId={row.kind === "total" ? totalTestId : undefined}
        />
      ))}
      {children}
    </dl>
  );
}

/** The code in a discount's label is set apart, as the shopper typed it in checkout. */
function rowLabel(row: TotalsRow): ReactNode {
  if (row.kind !== "discount" || !row.code) return row.label;
  return (
    <>
      Discount <span className="font-mono">{row.code}</span>
    </>
  );
}

type AmountRowProps = { label: ReactNode; value: string; strong?: boolean; muted?: boolean; testId?: string };

/** One label and amount of a totals block; `muted` for information that is not part of the sum. */
export function AmountRow({ label, value, strong = false, muted = false, testId }: AmountRowProps) {
  const style = strong ? "border-t border-stone-200 pt-2 text-base font-semibold text-stone-900" : muted ? "text-stone-600" : "";
  return (
    <div className={`flex justify-between gap-4 ${style}`}>
      <dt>{label}</dt>
      <dd className="tabular-nums" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}
