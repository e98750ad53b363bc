import "server-only";
import { randomBytes } from "node:crypto";
import { prisma, type Tx } from "@/lib/db";
import { adminEnv, mailEnv } from "@/lib/env";
import type { EmailKind } from "@/lib/generated/prisma/enums";
import { enqueueJob } from "@/lib/jobs/enqueue";
import { issueOrderLink } from "@/lib/order-links";
import { storedTotals } from "@/lib/pricing/receipt";
import { shippingAddressOf } from "@/lib/shipping-address";
import { absoluteUrl } from "@/lib/site";
import { renderEmail, type EmailInput, type OrderForEmail } from "./templates";
import { sendMail } from "./transport";

// The email outbox. A message is rendered and written here inside the transaction of the change that causes
// it (an order paid, shipped, refunded…), together with its delivery job, so a change is never committed
// without its email and an email never goes out for a change that rolled back. The job queue delivers it
// (lib/jobs/send-email.ts): deliverEmail leases the row, talks to SMTP with no transaction open, then marks
// it sent.
//
// Failure modes:
// - SMTP down or refusing: the attempt's error is kept on the row and the job is retried with backoff; after
//   the last retry the message is `failed`, staff are told (one staff_delivery_failed message), and the
//   admin's retry button queues it again.
// - Two deliveries of one message at once (a retried job and the sweep): the lease (claimedUntil) lets only
//   one of them send.
// - The process dies after SMTP accepted the message but before it was marked sent: the lease runs out and
//   the message is sent again, with the same Message-ID, so mail clients show it once. This is the only way a
//   message is sent twice.
// - A cause seen twice (a webhook delivered again, a double submit): the dedupe key writes nothing the
//   second time.

export const SEND_EMAIL_QUEUE = "send-email";
/** How long a delivery may hold a message before another may try: longer than a job may run (30 s). */
const LEASE_SECONDS = 60;
const MAX_ERROR_LENGTH = 500;

export type QueuedEmail = {
  /** One message per cause, e.g. `order_confirmed:<orderId>`. */
  dedupeKey: string;
  to: string;
  orderId?: string | null;
  input: EmailInput;
};

/** Where staff notifications go: STAFF_EMAIL, else ADMIN_EMAIL, else the first owner. */
export async function staffAddress(tx: Tx): Promise<string | null> {
  const { STAFF_EMAIL } = mailEnv();
  if (STAFF_EMAIL) return STAFF_EMAIL;
  const { ADMIN_EMAIL } = adminEnv();
  if (ADMIN_EMAIL) return ADMIN_EMAIL;
  const owner = await tx.staff.findFirst({
    where: { role: "owner", disabledAt: null },
    orderBy: { createdAt: "asc" },
    select: { email: true },
  });
  return owner?.email ?? null;
}

function messageIdFor(): string {
  const host = new URL(absoluteUrl("/")).hostname || "shop.invalid";
  return `<${randomBytes(16).toString("hex")}@${host}>`;
}

/**
 * Writes the message and its delivery job in the caller's transaction. Returns the message's id, or null
 * when a message with that dedupe key exists already (nothing is written then).
 */
export async function queueEmail(tx: Tx, email: QueuedEmail): Promise<string | null> {
  const content = renderEmail(email.input);
  const [row] = await tx.$queryRaw<Array<{ id: string }>>`
    INSERT INTO "EmailMessage" (id, "dedupeKey", kind, "orderId", "to", subject, html, text, "messageId", "updatedAt")
    VALUES (${randomBytes(12).toString("hex")}, ${email.dedupeKey}, ${email.input.kind}::"EmailKind", ${email.orderId ?? null},
            ${email.to}, ${content.subject}, ${content.html}, ${content.text}, ${messageIdFor()}, now())
    ON CONFLICT ("dedupeKey") DO NOTHING
    RETURNING id`;
  if (!row) return null;
  await scheduleDelivery(tx, row.id);
  return row.id;
}

/** The delivery job for a message; retried with backoff (2 s, 4 s, 8 s … about 4 minutes in all). */
export async function scheduleDelivery(tx: Tx, emailId: string): Promise<void> {
  await enqueueJob(tx, SEND_EMAIL_QUEUE, { emailId }, { retryLimit: 7, retryDelay: 2, retryBackoff: true, expireInSeconds: 30 });
}

/** What an order's emails show, with a fresh status link (stored in the caller's transaction). */
export async function orderForEmail(tx: Tx, orderId: string): Promise<OrderForEmail> {
  const order = await tx.order.findUniqueOrThrow({
    where: { id: orderId },
    include: { items: { select: { name: true, options: true, quantity: true, unitPrice: true }, orderBy: { id: "asc" } } },
  });
  return {
    number: order.number,
    email: order.email,
    currency: order.currency,
    items: order.items,
    totals: storedTotals(order),
    amountRefunded: order.amountRefunded,
    shipping: shippingAddressOf(order),
    statusUrl: await issueOrderLink(tx, orderId),
  };
}

/** The admin page of an order, for staff emails. */
export const adminOrderUrl = (orderNumber: string) => absoluteUrl(`/admin/orders/${encodeURIComponent(orderNumber)}`);

type Kind = EmailKind;
type ShopperKind = Extract<Kind, "order_confirmed" | "payment_processing" | "order_canceled" | "order_link">;

/** A shopper email about the order, in the caller's transaction (see queueEmail). */
export async function queueOrderEmail(
  tx: Tx,
  orderId: string,
  kind: ShopperKind,
  dedupeKey = `${kind}:${orderId}`,
): Promise<string | null> {
  // Cheap check first: a repeated cause should not mint a status link it will never send.
  if (await tx.emailMessage.findUnique({ where: { dedupeKey }, select: { id: true } })) return null;
  const order = await orderForEmail(tx, orderId);
  return queueEmail(tx, { dedupeKey, to: order.email, orderId, input: { kind, order } });
}

export type DeliveryOutcome = "sent" | "not_due" | "failed";

/**
 * Sends one message if it is pending and no other delivery holds it. `lastAttempt`: the job queue will not
 * try again, so a failure marks the message failed and tells staff. Throws the SMTP error otherwise, so the
 * job is retried.
 */
export async function deliverEmail(emailId: string, { lastAttempt }: { lastAttempt: boolean }): Promise<DeliveryOutcome> {
  const [mail] = await prisma.$queryRaw<Array<{ to: string; subject: string; html: string; text: string; messageId: string; kind: Kind }>>`
    UPDATE "EmailMessage"
       SET "claimedUntil" = now() + make_interval(secs => ${LEASE_SECONDS}), attempts = attempts + 1, "updatedAt" = now()
     WHERE id = ${emailId} AND status = 'pending' AND ("claimedUntil" IS NULL OR "claimedUntil" < now())
    RETURNING "to", subject, html, text, "messageId", kind`;
  if (!mail) return "not_due";
  try {
    await sendMail(mail);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR_LENGTH);
    await prisma.$transaction(async (tx) => {
      await tx.emailMessage.update({
        where: { id: emailId },
        data: { lastError: reason, claimedUntil: null, ...(lastAttempt ? { status: "failed" } : {}) },
      });
      // Staff hear of a message that could not be delivered; not of their own such notices (no loop).
      if (lastAttempt && mail.kind !== "staff_delivery_failed") await queueDeliveryFailure(tx, emailId);
    });
    if (lastAttempt) return "failed";
    throw error;
  }
  await prisma.emailMessage.update({
    where: { id: emailId },
    data: { status: "sent", sentAt: new Date(), claimedUntil: null, lastError: null },
  });
  return "sent";
}

async function queueDeliveryFailure(tx: Tx, emailId: string): Promise<void> {
  const to = await staffAddress(tx);
  if (!to) return;
  const failed = await tx.emailMessage.findUniqueOrThrow({
    where: { id: emailId },
    select: { to: true, subject: true, lastError: true, order: { select: { number: true } } },
  });
  await queueEmail(tx, {
    dedupeKey: `staff_delivery_failed:${emailId}:${Date.now()}`,
    to,
    input: {
      kind: "staff_delivery_failed",
      failed: {
        to: failed.to,
        subject: failed.subject,
        lastError: failed.lastError ?? "unknown error",
        orderNumber: failed.order?.number ?? null,
      },
      adminUrl: failed.order ? adminOrderUrl(failed.order.number) : absoluteUrl("/admin/orders"),
    },
  });
}

/** The admin's retry button: a failed (or stuck pending) message goes back to the queue. */
export async function retryEmail(emailId: string): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const updated = await tx.emailMessage.updateMany({
      where: { id: emailId, status: { in: ["failed", "pending"] } },
      data: { status: "pending", claimedUntil: null },
    });
    if (updated.count === 0) return false;
    await scheduleDelivery(tx, emailId);
    return true;
  });
}

/**
 * The safety net (run every minute): pending messages older than a minute that no delivery holds are sent
 * now. Catches messages whose job could not be written (the queue did not exist yet) or was lost.
 */
export async function deliverStragglers(limit = 50): Promise<number> {
  const due = await prisma.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM "EmailMessage"
     WHERE status = 'pending' AND "createdAt" < now() - interval '1 minute'
       AND ("claimedUntil" IS NULL OR "claimedUntil" < now())
     ORDER BY "createdAt" LIMIT ${limit}`;
  let sent = 0;
  for (const { id } of due) {
    // One at a time; a failure leaves the message to its own job's retries and this sweep's next run.
    const outcome = await deliverEmail(id, { lastAttempt: false }).catch(() => "not_due" as const);
    if (outcome === "sent") sent += 1;
  }
  return sent;
}
