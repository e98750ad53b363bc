import "server-only";
import { z } from "zod";
import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { ORDER_STATUSES, type OrderStatus } from "@/lib/order-status";

// Staff queries over orders: filtered lists with keyset pagination, totals and CSV, and one order's detail.

const PAGE_SIZE = 25;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Dates are YYYY-MM-DD")
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), "Not a real date");

export const orderFilterSchema = z.object({
  status: z.enum(ORDER_STATUSES).optional().catch(undefined),
  from: day.optional().catch(undefined),
  to: day.optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined).transform((v) => v || undefined),
  cursor: z.string().max(200).optional().catch(undefined),
});
export type OrderFilter = z.infer<typeof orderFilterSchema>;

export function parseOrderFilter(params: Record<string, string | string[] | undefined>): OrderFilter {
  const single = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]).filter(([, v]) => v));
  return orderFilterSchema.parse(single);
}

function where(filter: OrderFilter): Prisma.OrderWhereInput {
  const createdAt: Prisma.DateTimeFilter = {};
  if (filter.from) createdAt.gte = new Date(`${filter.from}T00:00:00Z`);
  if (filter.to) createdAt.lt = new Date(new Date(`${filter.to}T00:00:00Z`).getTime() + 86_400_000);
  const q = filter.q;
  return {
    ...(filter.status && { status: filter.status }),
    ...((filter.from || filter.to) && { createdAt }),
    ...(q && {
      OR: [
        { number: { equals: q, mode: "insensitive" } },
        { email: { contains: q, mode: "insensitive" } },
        { paymentIntentId: q },
      ],
    }),
  };
}

type Cursor = { createdAt: string; id: string };
const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString("base64url");
function decodeCursor(raw: string | undefined): Cursor | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Cursor;
    return typeof value.id === "string" && !Number.isNaN(Date.parse(value.createdAt)) ? value : null;
  } catch {
    return null;
  }
}

const listSelect = {
  id: true,
  number: true,
  status: true,
  email: true,
  total: true,
  amountRefunded: true,
  currency: true,
  paymentIntentId: true,
  attention: true,
  createdAt: true,
  paidAt: true,
} as const;
export type OrderListRow = Prisma.OrderGetPayload<{ select: typeof listSelect }>;

export async function listOrders(filter: OrderFilter) {
  const base = where(filter);
  const cursor = decodeCursor(filter.cursor);
  // Keyset pagination on (createdAt, id), newest first: stable while new orders arrive.
  const page: Prisma.OrderWhereInput = cursor
    ? {
        AND: [
          base,
          {
            OR: [
              { createdAt: { lt: new Date(cursor.createdAt) } },
              { createdAt: new Date(cursor.createdAt), id: { lt: cursor.id } },
            ],
          },
        ],
      }
    : base;
  const [rows, totals] = await Promise.all([
    prisma.order.findMany({ where: page, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: PAGE_SIZE + 1, select: listSelect }),
    prisma.order.aggregate({ where: base, _count: { _all: true }, _sum: { total: true, amountRefunded: true } }),
  ]);
  const hasMore = rows.length > PAGE_SIZE;
  const orders = rows.slice(0, PAGE_SIZE);
  const last = orders.at(-1);
  return {
    orders,
    nextCursor: hasMore && last ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id }) : null,
    totals: { count: totals._count._all, total: totals._sum.total ?? 0, refunded: totals._sum.amountRefunded ?? 0 },
  };
}

/** Every order matching the filter, oldest first, in batches (for CSV export). */
export async function* allOrders(filter: OrderFilter): AsyncGenerator<OrderListRow> {
  const base = where(filter);
  let after: { createdAt: Date; id: string } | null = null;
  for (;;) {
    const batch: OrderListRow[] = await prisma.order.findMany({
      where: after
        ? { AND: [base, { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] }] }
        : base,
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: 500,
      select: listSelect,
    });
    yield* batch;
    if (batch.length < 500) return;
    const last = batch.at(-1)!;
    after = { createdAt: last.createdAt, id: last.id };
  }
}

export async function orderDetail(number: string) {
  const order = await prisma.order.findUnique({ where: { number }, include: { items: true } });
  if (!order) return null;
  const events = order.paymentIntentId
    ? await prisma.stripeEvent.findMany({
        where: { OR: [{ paymentIntentId: order.paymentIntentId }, { orderId: order.id }] },
        orderBy: [{ createdAt: "asc" }, { receivedAt: "asc" }],
      })
    : [];
  return { order, events };
}
