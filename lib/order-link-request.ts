import "server-only";
import { prisma } from "@/lib/db";
import { queueOrderEmail } from "@/lib/email/outbox";
import {
  invalidOrderLinkFields,
  ORDER_LINK_ANSWER,
  orderLinkFieldErrors,
  orderLinkInput,
  orderLinkLimits,
  sameEmail,
  tooManyOrderLinkRequests,
  type OrderLinkResult,
} from "@/lib/order-link-rules";
import { countRequest } from "@/lib/rate-limit";

// "Find your order": a shopper who lost the email asks for a fresh link to the status page with the order
// number and the order's email. The link only ever goes to the order's own email, never to the page.
//
// Failure modes:
// - A mismatch (unknown number, wrong email) answers exactly what a match answers, so the form tells nobody
//   whether an order exists or who placed it. Both do the same rate-limit write and the same lookup by number;
//   only a match then writes the email (one short transaction, no network: the outbox's job sends it).
// - Guessing: the limits (lib/order-link-rules.ts) are counted before the lookup, for a mismatch as for a
//   match; a refusal says when to try again.
// - A double submit queues two messages (each request is its own cause) within the per-order limit.

export async function requestOrderLink(
  input: unknown,
  { clientIp, now = new Date() }: { clientIp: string | null; now?: Date },
): Promise<OrderLinkResult> {
  const parsed = orderLinkInput.safeParse(input);
  if (!parsed.success) return invalidOrderLinkFields(orderLinkFieldErrors(parsed.error));
  const { number, email } = parsed.data;

  const verdict = await countRequest(orderLinkLimits(clientIp, number), now);
  if (!verdict.ok) return tooManyOrderLinkRequests(verdict.retryAt, now);

  const order = await prisma.order.findUnique({ where: { number }, select: { id: true, email: true } });
  if (order && sameEmail(order.email, email)) {
    await prisma.$transaction((tx) => queueOrderEmail(tx, order.id, "order_link", `order_link:${order.id}:${now.getTime()}`));
  }
  return { ok: true, message: ORDER_LINK_ANSWER };
}
