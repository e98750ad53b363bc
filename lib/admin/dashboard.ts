import "server-only";
import { prisma } from "@/lib/db";
import { sum } from "@/lib/money";

// Sales overview: revenue (net of refunds) and paid orders per UTC day, from the orders' paidAt.

export type DayFigures = { day: string; orders: number; revenue: number };
export type SalesOverview = {
  currency: string;
  days: DayFigures[];
  today: { orders: number; revenue: number };
  period: { orders: number; revenue: number; averageOrderValue: number };
};

const DAY_MS = 86_400_000;

export async function salesOverview(days = 30, now = new Date()): Promise<SalesOverview> {
  const todayStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const from = new Date(todayStart - (days - 1) * DAY_MS);
  const rows = await prisma.$queryRaw<Array<{ day: Date; orders: bigint; revenue: bigint | null }>>`
    SELECT date_trunc('day', "paidAt") AS day, count(*) AS orders, sum(total - "amountRefunded") AS revenue
      FROM "Order"
     WHERE "paidAt" >= ${from} AND status IN ('paid', 'partially_refunded', 'refunded')
     GROUP BY 1`;
  const byDay = new Map(rows.map((r) => [r.day.toISOString().slice(0, 10), { orders: Number(r.orders), revenue: Number(r.revenue ?? 0) }]));
  const series: DayFigures[] = [];
  for (let i = 0; i < days; i += 1) {
    const day = new Date(from.getTime() + i * DAY_MS).toISOString().slice(0, 10);
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
