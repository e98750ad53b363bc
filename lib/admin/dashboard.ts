import "server-only";
import { dayOffset, formatDay, parseDay } from "@/lib/dates";
import { prisma } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { sum } from "@/lib/money";
import { PAID_STATUSES } from "@/lib/order-status";

// Sales overview: revenue (net of refunds) and paid orders per UTC day, from the orders' paidAt. An order
// counts when its status is one of PAID_STATUSES, refunded ones included (their revenue nets to zero).

export type DayFigures = { day: string; orders: number; revenue: number };
export type SalesOverview = {
  currency: string;
  days: DayFigures[];
  today: { orders: number; revenue: number };
  period: { orders: number; revenue: number; averageOrderValue: number };
};

/** The last `days` UTC days up to and including today's. */
export async function salesOverview(days = 30, now = new Date()): Promise<SalesOverview> {
  const from = parseDay(dayOffset(now, days - 1))!;
  const paid = Prisma.join(PAID_STATUSES);
  const rows = await prisma.$queryRaw<Array<{ day: Date; orders: bigint; revenue: bigint | null }>>`
    SELECT date_trunc('day', "paidAt") AS day, count(*) AS orders, sum(total - "amountRefunded") AS revenue
      FROM "Order"
     WHERE "paidAt" >= ${from} AND status IN (${paid})
     GROUP BY 1`;
  const byDay = new Map(rows.map((r) => [formatDay(r.day), { orders: Number(r.orders), revenue: Number(r.revenue ?? 0) }]));
  const series: DayFigures[] = [];
  for (let i = days - 1; i >= 0; i -= 1) {
    const day = dayOffset(now, i);
    series.push({ day, ...(byDay.get(day) ?? { orders: 0, revenue: 0 }) });
  }
  const today = series.at(-1) ?? { orders: 0, revenue: 0 };
  const orders = series.reduce((n, d) => n + d.orders, 0);
  const revenue = sum(...series.map((d) => d.revenue));
  return {
    currency: "usd",
    days: series,
    today: { orders: today.orders, revenue: today.revenue },
    period: { orders, revenue, averageOrderValue: orders ? Math.round(revenue / orders) : 0 },
  };
}
