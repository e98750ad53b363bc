import { describe, expect, it } from "vitest";
import { orderCsvHeader, orderCsvRow, type ExportedOrder } from "./order-export";

const order = (fields: Partial<ExportedOrder> = {}): ExportedOrder => ({
  number: "SF-7K3Q9D",
  status: "paid",
  email: "jane@example.com",
  createdAt: new Date("2026-03-01T10:00:00Z"),
  paidAt: new Date("2026-03-01T10:01:00Z"),
  currency: "usd",
  total: 6499,
  amountRefunded: 1000,
  discount: 620,
  discountCode: "WELCOME10",
  tax: 419,
  paymentIntentId: "pi_123",
  attention: null,
  ...fields,
});

describe("the orders export", () => {
  it("keeps the earlier columns in their order and adds discount, code and tax after the money columns", () => {
    expect(orderCsvHeader()).toBe(
      "number,status,email,created_at,paid_at,currency,total,refunded,discount,discount_code,tax,payment_intent,attention\r\n",
    );
  });

  it.each<[string, Partial<ExportedOrder>, string]>([
    [
      "a discounted, taxed order",
      {},
      "SF-7K3Q9D,paid,jane@example.com,2026-03-01T10:00:00.000Z,2026-03-01T10:01:00.000Z,usd,64.99,10.00,6.20,WELCOME10,4.19,pi_123,\r\n",
    ],
    [
      "an old order: no code, zero discount and tax, unpaid",
      { discount: 0, discountCode: null, tax: 0, paidAt: null, amountRefunded: 0, status: "pending" },
      "SF-7K3Q9D,pending,jane@example.com,2026-03-01T10:00:00.000Z,,usd,64.99,0.00,0.00,,0.00,pi_123,\r\n",
    ],
    [
      "amounts in the currency's own decimals",
      { currency: "jpy", total: 9050, amountRefunded: 0, discount: 750, tax: 750 },
      "SF-7K3Q9D,paid,jane@example.com,2026-03-01T10:00:00.000Z,2026-03-01T10:01:00.000Z,jpy,9050,0,750,WELCOME10,750,pi_123,\r\n",
    ],
    [
      "a code a spreadsheet would run as a formula, neutralised",
      { discountCode: "=HYPERLINK(1)" },
      "SF-7K3Q9D,paid,jane@example.com,2026-03-01T10:00:00.000Z,2026-03-01T10:01:00.000Z,usd,64.99,10.00,6.20,'=HYPERLINK(1),4.19,pi_123,\r\n",
    ],
  ])("writes %s", (_name, fields, row) => {
    expect(orderCsvRow(order(fields))).toBe(row);
  });
});
