import "server-only";
import { dayOffset, formatDay, parseDay } from "@/lib/dates";
import { prisma } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { sum } from "@/lib/money";
import { SHOP_CURRENCY } from "@/lib/shop-currency";
import { PAID_STATUSES } from "@/lib/order-status";
import { OPEN_DISPUTE_STATUSES, REVENUE_LOSING_DISPUTE_STATUSES } from "@/lib/dispute-rules";

// Sales overview: revenue (net of refunds and lost disputes) and paid orders per UTC day, from the orders'
// paidAt. An order counts when its status is one of PAID_STATUSES, refunded ones included (their revenue nets
// to zero). A lost dispute takes its amount off the day the order was paid, not the day it was lost: the
// chart then shows what each day's sales finally brought in, and a past day's figure moves when a dispute on
// it is lost (weeks later, as disputes are decided). A won dispute changes nothing (the funds come back).
// Per order this is orderRevenue (lib/dispute-rules.ts), summed here in SQL.

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
  const losing = Prisma.join(REVENUE_LOSING_DISPUTE_STATUSES);
  const rows = await prisma.$queryRaw<Array<{ day: Date; orders: bigint; revenue: bigint | null }>>`
    SELECT date_trunc('day', o."paidAt") AS day, count(*) AS orders,
           sum(greatest(o.total - o."amountRefunded" - coalesce(lost.amount, 0), 0)) AS revenue
      FROM "Order" o
      LEFT JOIN LATERAL (SELECT sum(d.amount) AS amount FROM "Dispute" d WHERE d."orderId" = o.id AND d.status IN (${losing})) lost ON true
     WHERE o."paidAt" >= ${from} AND o.status IN (${paid})
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
    currency: SHOP_CURRENCY,
    days: series,
    today: { orders: today.orders, revenue: today.revenue },
    period: { orders, revenue, averageOrderValue: orders ? Math.round(revenue / orders) : 0 },
  };
}

export type OpenDispute = {
  id: string;
  orderNumber: string | null;
  amount: number;
  currency: string;
  status: string;
  evidenceDueBy: Date | null;
};
export type OpenDisputes = { count: number; amount: number; nearestDeadline: Date | null; disputes: OpenDispute[] };

/** Disputes still waiting for evidence or a decision, the nearest evidence deadline first (`limit` listed). */
export async function openDisputes(limit = 10): Promise<OpenDisputes> {
  const where = { status: { in: [...OPEN_DISPUTE_STATUSES] } };
  const [listed, totals] = await Promise.all([
    prisma.dispute.findMany({
      where,
      orderBy: [{ evidenceDueBy: { sort: "asc", nulls: "last" } }, { createdAt: "asc" }],
      take: limit,
      select: { id: true, amount: true, currency: true, status: true, evidenceDueBy: true, order: { select: { number: true } } },
    }),
    prisma.dispute.aggregate({ where, _count: { _all: true }, _sum: { amount: true }, _min: { evidenceDueBy: true } }),
  ]);
  return {
    count: totals._count._all,
    amount: totals._sum.amount ?? 0,
    nearestDeadline: totals._min.evidenceDueBy,
    disputes: listed.map(({ order, ...d }) => ({ ...d, orderNumber: order?.number ?? null })),
  };
}
