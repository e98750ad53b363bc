// The retry button of the order page's "Emails" section: a failed message goes back to the queue with an
// audit entry on its order; a sent one, or one whose delivery may still be under way, is refused.
import { randomBytes } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { openSession } from "@/lib/auth/sessions";
import { prisma } from "@/lib/db";
import type { EmailStatus } from "@/lib/generated/prisma/enums";
import { SOCKET_ADDRESS_HEADER } from "@/lib/socket-address";
import { insertOrder } from "./support/orders";
import { jar, requestHeaders } from "./support/next-request";

vi.mock("next/headers", () => import("./support/next-request"));
requestHeaders.set(SOCKET_ADDRESS_HEADER, "203.0.113.10");

const { retryEmailAction } = await import("@/components/admin/actions");

async function email(orderId: string, status: EmailStatus, updatedAt = new Date()) {
  const row = await prisma.emailMessage.create({
    data: {
      dedupeKey: `retry-test:${randomBytes(6).toString("hex")}`,
      kind: "order_confirmed",
      orderId,
      to: "order@example.com",
      subject: "Order confirmed",
      html: "<p>Confirmed</p>",
      text: "Confirmed",
      messageId: `<${randomBytes(8).toString("hex")}@shop.test>`,
      status,
      attempts: 8,
      lastError: status === "failed" ? "421 Service not available" : null,
    },
  });
  // updatedAt is Prisma's @updatedAt: set it apart to age the message.
  await prisma.$executeRaw`UPDATE "EmailMessage" SET "updatedAt" = ${updatedAt} WHERE id = ${row.id}`;
  return row;
}

describe("retrying an order's email", () => {
  it("queues a failed or stuck message again with an audit entry, and refuses a sent or recent one", async () => {
    const staff = await prisma.staff.create({
      data: { email: `retry-${randomBytes(4).toString("hex")}@example.com`, role: "staff", passwordHash: "scrypt$16384$8$1$AAAA$AAAA" },
    });
    jar.set("admin_session", (await openSession(prisma, staff.id)).token);
    const order = await insertOrder({ total: 1000, status: "paid" });

    const failed = await email(order.id, "failed");
    expect(await retryEmailAction({ emailId: failed.id })).toMatchObject({ ok: true });
    expect(await prisma.emailMessage.findUniqueOrThrow({ where: { id: failed.id } })).toMatchObject({
      status: "pending",
      claimedUntil: null,
    });
    expect(
      await prisma.auditEvent.findFirst({ where: { subjectType: "order", subjectId: order.id, action: "email.retry" } }),
    ).toMatchObject({
      staffEmail: staff.email,
      details: { emailId: failed.id, was: "failed" },
    });
    // Queued again just now: its delivery is under way, so a second click is refused.
    expect(await retryEmailAction({ emailId: failed.id })).toMatchObject({ ok: false, code: "not_retryable" });

    const stuck = await email(order.id, "pending", new Date(Date.now() - 60 * 60_000));
    expect(await retryEmailAction({ emailId: stuck.id })).toMatchObject({ ok: true });
    const sent = await email(order.id, "sent");
    expect(await retryEmailAction({ emailId: sent.id })).toMatchObject({ ok: false, code: "not_retryable" });
    expect((await prisma.emailMessage.findUniqueOrThrow({ where: { id: sent.id } })).status).toBe("sent");
  });
});
