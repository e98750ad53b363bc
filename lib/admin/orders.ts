import "server-only";
import { z } from "zod";
import { parseDay, parseDayRange } from "@/lib/dates";
import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { OPEN_DISPUTE_STATUSES } from "@/lib/dispute-rules";
import { FULFILMENT_STATUSES } from "@/lib/fulfilment-rules";
import { ORDER_STATUSES } from "@/lib/order-status";

// Staff queries over orders: filtered lists with keyset pagination, totals and CSV, and one order's detail.

const PAGE_SIZE = 25;

// Values that do not parse are dropped rather than refused: a hand-edited URL still lists orders.
const orderFilterSchema = z.object({
  status: z.enum(ORDER_STATUSES).optional().catch(undefined),
  from: z.string().optional().catch(undefined),
  to: z.string().optional().catch(undefined),
  q: z
    .string()
    .trim()
    .max(100)
    .optional()
    .catch(undefined)
    .transform((v) => v || undefined),
  cursor: z.string().max(200).optional().catch(undefined),
  /** "to_ship": paid orders with units still to ship, oldest paid first; or one fulfilment state. */
  fulfilment: z
    .enum(["to_ship", ...FULFILMENT_STATUSES])
    .optional()
    .catch(undefined),
  /** "open": orders with a dispute still open; "any": orders ever disputed. */
  dispute: z.enum(["open", "any"]).optional().catch(undefined),
});
export type OrderFilter = z.infer<typeof orderFilterSchema>;

/**
 * The list's filter from the query string. `from` and `to` are kept only when each is a real day
 * (lib/dates); `dateError` says why one was dropped or why the range is empty (start after end).
 */
export function parseOrderFilter(params: Record<string, string | string[] | undefined>): { filter: OrderFilter; dateError: string | null } {
  const single = Object.fromEntries(
    Object.entries(params)
      .map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])
      .filter(([, v]) => v),
  );
  const parsed = orderFilterSchema.parse(single);
  const range = parseDayRange(parsed.from, parsed.to);
  const filter = { ...parsed, from: parseDay(parsed.from) ? parsed.from : undefined, to: parseDay(parsed.to) ? parsed.to : undefined };
  return { filter, dateError: range.ok ? null : range.error };
}

function where(filter: OrderFilter): Prisma.OrderWhereInput {
  const range = parseDayRange(filter.from, filter.to);
  // A start after the end: no order was created in that range.
  if (!range.ok) return { id: { in: [] } };
  const q = filter.q;
  return {
    ...(filter.status && { status: filter.status }),
    ...(filter.fulfilment === "to_ship"
      ? { AND: [{ status: { in: ["paid", "partially_refunded"] } }, { fulfilment: { in: ["unfulfilled", "partially_shipped"] } }] }
      : filter.fulfilment && { fulfilment: filter.fulfilment }),
    ...(filter.dispute && { disputes: { some: filter.dispute === "open" ? { status: { in: [...OPEN_DISPUTE_STATUSES] } } : {} } }),
    ...((range.from || range.to) && { createdAt: { ...(range.from && { gte: range.from }), ...(range.to && { lt: range.to }) } }),
    ...(q && {
      OR: [{ number: { equals: q, mode: "insensitive" } }, { email: { contains: q, mode: "insensitive" } }, { paymentIntentId: q }],
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
  // For the export's columns (lib/admin/order-export.ts).
  discount: true,
  discountCode: true,
  tax: true,
  currency: true,
  paymentIntentId: true,
  attention: true,
  createdAt: true,
  paidAt: true,
  fulfilment: true,
} as const;
export type OrderListRow = Prisma.OrderGetPayload<{ select: typeof listSelect }>;

export async function listOrders(filter: OrderFilter) {
  const base = where(filter);
  const cursor = decodeCursor(filter.cursor);
  // Keyset pagination on (createdAt, id), newest first: stable while new orders arrive. "To ship" pages on
  // (paidAt, id), oldest paid first, the order parcels should leave in (the cursor's time is then paidAt).
  const toShip = filter.fulfilment === "to_ship";
  const at = cursor && new Date(cursor.createdAt);
  const page: Prisma.OrderWhereInput = !at
    ? base
    : toShip
      ? { AND: [base, { OR: [{ paidAt: { gt: at } }, { paidAt: at, id: { gt: cursor.id } }] }] }
      : { AND: [base, { OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: cursor.id } }] }] };
  const [rows, totals] = await Promise.all([
    prisma.order.findMany({
      where: page,
      orderBy: toShip ? [{ paidAt: "asc" }, { id: "asc" }] : [{ createdAt: "desc" }, { id: "desc" }],
      take: PAGE_SIZE + 1,
      // The list flags orders with an open dispute.
      select: { ...listSelect, disputes: { where: { status: { in: [...OPEN_DISPUTE_STATUSES] } }, select: { id: true }, take: 1 } },
    }),
    prisma.order.aggregate({ where: base, _count: { _all: true }, _sum: { total: true, amountRefunded: true } }),
  ]);
  const hasMore = rows.length > PAGE_SIZE;
  const orders = rows.slice(0, PAGE_SIZE).map(({ disputes, ...order }) => ({ ...order, openDispute: disputes.length > 0 }));
  const last = orders.at(-1);
  return {
    orders,
    nextCursor:
      hasMore && last ? encodeCursor({ createdAt: ((toShip && last.paidAt) || last.createdAt).toISOString(), id: last.id }) : null,
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

/** One line of the order's Stripe event timeline; `outcome` says what it did, or that it is still pending. */
export type TimelineEvent = { id: string; type: string; createdAt: Date; outcome: string };

/**
 * What an event did to the order, or "pending" while the webhook inbox has not applied it yet (with the
 * last error once applying it has failed: the drain keeps retrying it).
 */
function timelineOutcome(event: { outcome: string | null; processedAt: Date | null; failedAttempts: number; lastError: string | null }) {
  if (event.processedAt) return event.outcome ?? "applied";
  if (event.failedAttempts === 0) return "pending";
  const times = event.failedAttempts === 1 ? "once" : `${event.failedAttempts} times`;
  return `pending: applying it failed ${times}, retrying (${event.lastError ?? "no error recorded"})`;
}

export async function orderDetail(number: string) {
  const order = await prisma.order.findUnique({ where: { number }, include: { items: true } });
  if (!order) return null;
  const rows = order.paymentIntentId
    ? await prisma.stripeEvent.findMany({
        where: { OR: [{ paymentIntentId: order.paymentIntentId }, { orderId: order.id }] },
        orderBy: [{ createdAt: "asc" }, { receivedAt: "asc" }],
        select: { id: true, type: true, createdAt: true, outcome: true, processedAt: true, failedAttempts: true, lastError: true },
      })
    : [];
  const events: TimelineEvent[] = rows.map((row) => ({
    id: row.id,
    type: row.type,
    createdAt: row.createdAt,
    outcome: timelineOutcome(row),
  }));
  return { order, events };
}
