// The orders export's CSV (app/admin/orders/export): its header and one row per order, kept apart from the
// route so the columns can be checked without a database. Columns are only ever added, never reordered, so a
// spreadsheet built on an older export keeps reading the same columns by position up to `refunded`.
import { toDecimalString } from "@/lib/money";
import { csvRow } from "./csv";
import type { OrderListRow } from "./orders";

export const ORDER_CSV_COLUMNS = [
  "number",
  "status",
  "email",
  "created_at",
  "paid_at",
  "currency",
  "total",
  "refunded",
  // Issue 15: what a code took off (a positive amount, as a spreadsheet sums it), the code, and all tax.
  "discount",
  "discount_code",
  "tax",
  "payment_intent",
  "attention",
] as const;

export type ExportedOrder = Pick<
  OrderListRow,
  | "number"
  | "status"
  | "email"
  | "createdAt"
  | "paidAt"
  | "currency"
  | "total"
  | "amountRefunded"
  | "discount"
  | "discountCode"
  | "tax"
  | "paymentIntentId"
  | "attention"
>;

export const orderCsvHeader = (): string => csvRow([...ORDER_CSV_COLUMNS]);

/** Amounts in major units as exact decimals ("12.50"), the way the order's currency writes them. */
export function orderCsvRow(o: ExportedOrder): string {
  const amount = (minor: number) => toDecimalString(minor, o.currency);
  return csvRow([
    o.number,
    o.status,
    o.email,
    o.createdAt.toISOString(),
    o.paidAt?.toISOString(),
    o.currency,
    amount(o.total),
    amount(o.amountRefunded),
    amount(o.discount),
    o.discountCode,
    amount(o.tax),
    o.paymentIntentId,
    o.attention,
  ]);
}
