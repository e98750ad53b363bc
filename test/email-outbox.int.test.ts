// The email outbox against a real SMTP server (the mail catcher started by global-setup): a paid order writes
// its messages in the payment's own transaction, once however often the payment is applied; delivery sends
// each message once with its fixed Message-ID, survives an SMTP outage, and gives up loudly.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { MailCatcherClient } from "../scripts/mail/client";
import type { CaughtMessage } from "../scripts/mail/message";
import { insertOrder } from "./support/orders";

const { applyPaymentEvent, FINALIZE_TRANSACTION } = await import("@/lib/orders");
const { deliverEmail, retryEmail } = await import("@/lib/email/outbox");
const { startJobQueue } = await import("@/lib/jobs/boss");
const { sendEmailJob } = await import("@/lib/jobs/send-email");

const mail = new MailCatcherClient(process.env.MAIL_CATCHER_URL!);

/** A pending order with one item, as checkout leaves it. */
async function pendingOrder(total = 4200) {
  const product = await prisma.product.findFirstOrThrow({ where: { active: true }, select: { id: true, name: true } });
  const order = await insertOrder({
    total,
    paymentIntentId: `pi_test_${randomBytes(8).toString("hex")}`,
    email: `shopper-${randomBytes(4).toString("hex")}@example.com`,
  });
  await prisma.orderItem.create({ data: { orderId: order.id, productId: product.id, name: product.name, unitPrice: total, quantity: 1 } });
  return order;
}

/** Applies Stripe's "succeeded" to the order, as the webhook inbox does. */
function pay(order: { id: string; paymentIntentId: string | null; total: number }) {
  return prisma.$transaction(
    (tx) =>
      applyPaymentEvent(tx, {
        orderId: order.id,
        paymentIntentId: order.paymentIntentId,
        signal: { kind: "intent", status: "succeeded", amountReceived: order.total, currency: "usd" },
      }),
    FINALIZE_TRANSACTION,
  );
}

// Messages written in one transaction can share a createdAt to the millisecond: the kind breaks the tie, so the
// shopper's message ("order_…", "payment_…") comes before the staff notice ("staff_…") in every run.
const messagesOf = (orderId: string) =>
  prisma.emailMessage.findMany({ where: { orderId }, orderBy: [{ createdAt: "asc" }, { kind: "asc" }] });
const arrived = async (messageId: string): Promise<CaughtMessage[]> => (await mail.all()).filter((m) => m.messageId === messageId);

afterAll(async () => {
  await fetch(`${mail.url}/api/outage`, { method: "DELETE" });
});

describe("writing messages", () => {
  it("a paid order writes the shopper's confirmation and the staff notice in the payment's transaction, once", async () => {
    const order = await pendingOrder();
    await pay(order);
    await pay(order); // the same news again (a redelivered webhook, the shopper's return)
    const messages = await messagesOf(order.id);
    expect(messages.map((m) => [m.kind, m.to])).toEqual([
      ["order_confirmed", order.email],
      ["staff_new_order", "staff@example.com"],
    ]);
    const [confirmation] = messages;
    expect(confirmation!.subject).toContain(order.number);
    expect(confirmation!.text).toContain("$42.00");
    expect(confirmation!.html).toMatch(/\/orders\/status\/[A-Za-z0-9_-]{43}/);
    expect(confirmation!.messageId).toMatch(/^<[0-9a-f]{32}@[^>]+>$/);
  });

  it("a payment that is only processing writes the processing message, and no confirmation yet", async () => {
    const order = await pendingOrder();
    await prisma.$transaction((tx) =>
      applyPaymentEvent(tx, {
        orderId: order.id,
        paymentIntentId: order.paymentIntentId,
        signal: { kind: "intent", status: "processing", amountReceived: 0, currency: "usd" },
      }),
    );
    expect((await messagesOf(order.id)).map((m) => m.kind)).toEqual(["payment_processing"]);
    // The debit then fails: the shopper hears of it, with a way to try again.
    await prisma.$transaction((tx) =>
      applyPaymentEvent(tx, {
        orderId: order.id,
        paymentIntentId: order.paymentIntentId,
        signal: {
          kind: "intent",
          status: "requires_payment_method",
          amountReceived: 0,
          currency: "usd",
          failure: { message: "The account is closed." },
        },
      }),
    );
    const failed = (await messagesOf(order.id)).find((m) => m.kind === "payment_failed");
    expect(failed?.text).toContain("The account is closed.");
  });
});

describe("delivering messages", () => {
  it("sends a message once, with its Message-ID, and marks it sent", async () => {
    const order = await pendingOrder();
    await pay(order);
    const [confirmation] = await messagesOf(order.id);
    const results = await Promise.all([
      deliverEmail(confirmation!.id, { lastAttempt: false }),
      deliverEmail(confirmation!.id, { lastAttempt: false }),
    ]);
    expect(results.sort()).toEqual(["not_due", "sent"]);
    expect(await deliverEmail(confirmation!.id, { lastAttempt: false })).toBe("not_due");
    const copies = await arrived(confirmation!.messageId);
    expect(copies).toHaveLength(1);
    expect(copies[0]!.subject).toBe(confirmation!.subject);
    expect(copies[0]!.to).toEqual([order.email]);
    expect(await prisma.emailMessage.findUniqueOrThrow({ where: { id: confirmation!.id } })).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("an SMTP outage keeps the message pending with the error; the last attempt fails it and tells staff; retry sends it", async () => {
    const order = await pendingOrder();
    await pay(order);
    const [confirmation] = await messagesOf(order.id);
    await fetch(`${mail.url}/api/outage`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ms: 60_000 }),
    });
    await expect(deliverEmail(confirmation!.id, { lastAttempt: false })).rejects.toThrow();
    expect(await prisma.emailMessage.findUniqueOrThrow({ where: { id: confirmation!.id } })).toMatchObject({
      status: "pending",
      attempts: 1,
    });
    expect(await deliverEmail(confirmation!.id, { lastAttempt: true })).toBe("failed");
    const row = await prisma.emailMessage.findUniqueOrThrow({ where: { id: confirmation!.id } });
    expect(row.status).toBe("failed");
    expect(row.lastError).toBeTruthy();
    const notice = await prisma.emailMessage.findFirst({
      where: { kind: "staff_delivery_failed", text: { contains: confirmation!.subject } },
    });
    expect(notice?.to).toBe("staff@example.com");

    await fetch(`${mail.url}/api/outage`, { method: "DELETE" });
    expect(await retryEmail(confirmation!.id)).toBe(true);
    expect(await deliverEmail(confirmation!.id, { lastAttempt: false })).toBe("sent");
    expect(await arrived(confirmation!.messageId)).toHaveLength(1);
  });
});

describe("the job queue delivers", () => {
  let queue: Awaited<ReturnType<typeof startJobQueue>>;
  beforeAll(async () => {
    queue = await startJobQueue({
      connectionString: process.env.DATABASE_URL!,
      jobs: [sendEmailJob],
      schedule: false,
      pollingIntervalSeconds: 1,
    });
  });
  afterAll(() => queue.stop());

  it("a committed message goes out by itself within seconds", async () => {
    const order = await pendingOrder();
    await pay(order);
    const [confirmation] = await messagesOf(order.id);
    const deadline = Date.now() + 15_000;
    while ((await arrived(confirmation!.messageId)).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(await arrived(confirmation!.messageId)).toHaveLength(1);
    expect((await prisma.emailMessage.findUniqueOrThrow({ where: { id: confirmation!.id } })).status).toBe("sent");
  });
});
