// The rows every document shows under an order's lines (checkout, the order status page, emails, the admin):
// subtotal, discount, shipping, taxes, total. One function, so a receipt, an email and the admin never add up
// differently. Pure and free of "server-only": the checkout's summary panel renders it in the browser too.
//
// Its input is the priced order's totals (lib/pricing/engine.ts) or the same columns stored on an Order.
import { multiply, sum } from "@/lib/money";
import type { TaxLine } from "./types";

export type OrderTotals = {
  currency: string;
  pricesIncludeTax: boolean;
  subtotal: number;
  discount: number;
  discountCode: string | null;
  /** The shipping rate's name and price as entered (gross or net, like the prices). */
  shippingName: string;
  shippingCost: number;
  tax: number;
  taxLines: TaxLine[];
  total: number;
};

/**
 * One row of the totals block. `kind` lets a renderer style or label it; `amount` is signed (a discount is
 * negative); an `included` tax row is information only and is not part of the sum.
 */
export type TotalsRow =
  | { kind: "subtotal" | "shipping" | "total"; label: string; amount: number }
  | { kind: "discount"; label: string; amount: number; code: string | null }
  | { kind: "tax"; label: string; amount: number; included: boolean };

/** A rate in basis points as people read it: 725 → "7.25%", 1900 → "19%". */
export function formatRate(basisPoints: number): string {
  const whole = Math.trunc(basisPoints / 100);
  const fraction = String(basisPoints % 100)
    .padStart(2, "0")
    .replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}%` : `${whole}%`;
}

/** Reads an Order's `taxLines` column (JSON) back; anything malformed is left out rather than shown wrong. */
export function taxLinesOf(value: unknown): TaxLine[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((line): TaxLine[] =>
    line && typeof line === "object" && typeof line.name === "string" && Number.isInteger(line.rate) && Number.isInteger(line.amount)
      ? [{ name: line.name, rate: line.rate, amount: line.amount }]
      : [],
  );
}

/**
 * The totals rows in the order they are shown. With prices excluding tax each tax is a row of the sum; with
 * prices including it, the taxes are "included" rows after the total. Orders from before taxes existed (no
 * tax lines, tax 0) show no tax row at all.
 */
export function totalsRows(totals: OrderTotals): TotalsRow[] {
  const rows: TotalsRow[] = [{ kind: "subtotal", label: "Subtotal", amount: totals.subtotal }];
  if (totals.discount > 0 || totals.discountCode) {
    rows.push({
      kind: "discount",
      label: totals.discountCode ? `Discount (${totals.discountCode})` : "Discount",
      amount: -totals.discount,
      code: totals.discountCode,
    });
  }
  rows.push({
    kind: "shipping",
    label: totals.shippingName ? `Shipping: ${totals.shippingName}` : "Shipping",
    amount: totals.shippingCost,
  });
  const taxRows: TotalsRow[] = totals.taxLines.length
    ? totals.taxLines.map((line) => ({
        kind: "tax" as const,
        label: `${totals.pricesIncludeTax ? "Includes " : ""}${line.name} (${formatRate(line.rate)})`,
        amount: line.amount,
        included: totals.pricesIncludeTax,
      }))
    : totals.tax > 0
      ? [
          {
            kind: "tax" as const,
            label: totals.pricesIncludeTax ? "Includes tax" : "Tax",
            amount: totals.tax,
            included: totals.pricesIncludeTax,
          },
        ]
      : [];
  if (!totals.pricesIncludeTax) rows.push(...taxRows);
  rows.push({ kind: "total", label: "Total", amount: totals.total });
  if (totals.pricesIncludeTax) rows.push(...taxRows);
  return rows;
}

/** An Order's stored columns as the totals block reads them. */
export function storedTotals(order: {
  currency: string;
  pricesIncludeTax: boolean;
  subtotal: number;
  discount: number;
  discountCode: string | null;
  shippingMethod: string;
  shippingCost: number;
  tax: number;
  taxLines: unknown;
  total: number;
}): OrderTotals {
  return {
    currency: order.currency,
    pricesIncludeTax: order.pricesIncludeTax,
    subtotal: order.subtotal,
    discount: order.discount,
    discountCode: order.discountCode,
    shippingName: order.shippingMethod,
    shippingCost: order.shippingCost,
    tax: order.tax,
    taxLines: taxLinesOf(order.taxLines),
    total: order.total,
  };
}

/**
 * What the shopper paid for one line: its subtotal after its share of the discount, plus its tax when prices
 * exclude it. A return refunds `paid × returned / quantity` of it (lib/fulfilment-rules.ts).
 */
export function linePaid(item: { unitPrice: number; quantity: number; discount: number; tax: number }, pricesIncludeTax: boolean): number {
  const net = multiply(item.unitPrice, item.quantity) - item.discount;
  return pricesIncludeTax ? net : sum(net, item.tax);
}
