import "server-only";
import { prisma } from "@/lib/db";

// An order's disputes for its admin page, newest first (lib/disputes.ts records them from Stripe's events).

export async function orderDisputes(orderId: string) {
  return prisma.dispute.findMany({
    where: { orderId },
    orderBy: { createdAt: "desc" },
    select: { id: true, amount: true, currency: true, reason: true, status: true, evidenceDueBy: true, updatedAt: true },
  });
}
