import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import type { OrderStatus } from "@/lib/order-status";
import { insertOrder } from "../../test/support/orders";
import { salesOverview } from "./dashboard";

// The overview counts exactly the PAID_STATUSES, per UTC day of paidAt. It runs "in" 2031 so orders other
// tests create today stay out of its window.
async function order(status: OrderStatus, total: number, amountRefunded: number, paidAt: string) {
  await insertOrder({ status, total, amountRefunded, paidAt: new Date(paidAt) });
}

describe("salesOverview", () => {
  it("sums paid, partially refunded and refunded orders per UTC day, net of refunds, and nothing else", async () => {
    await order("paid", 1000, 0, "2031-03-09T00:00:00Z");
    await order("partially_refunded", 2000, 500, "2031-03-09T23:59:59Z");
    await order("refunded", 1500, 1500, "2031-03-10T12:00:00Z");
    await order("canceled", 9000, 0, "2031-03-10T12:00:00Z");
    await order("processing", 9000, 0, "2031-03-10T12:00:00Z");
    await order("paid", 7000, 0, "2031-03-03T23:59:59Z"); // the day before the window

    const overview = await salesOverview(7, new Date("2031-03-10T18:00:00Z"));
    expect(overview.days.map((d) => d.day)).toEqual([
      "2031-03-04",
      "2031-03-05",
      "2031-03-06",
      "2031-03-07",
      "2031-03-08",
      "2031-03-09",
      "2031-03-10",
    ]);
    expect(overview.days.at(-2)).toEqual({ day: "2031-03-09", orders: 2, revenue: 2500 });
    expect(overview.today).toEqual({ orders: 1, revenue: 0 });
    expect(overview.period).toEqual({ orders: 3, revenue: 2500, averageOrderValue: 833 });
  });

  it("takes a lost dispute off the day the order was paid, and nothing for a won or open one", async () => {
    const disputed = async (total: number, paidAt: string, status: string, amount = total) => {
      const row = await insertOrder({ status: "paid", total, paidAt: new Date(paidAt) });
      await prisma.dispute.create({
        data: {
          id: `du_${randomBytes(8).toString("hex")}`,
          orderId: row.id,
          chargeId: `ch_${randomBytes(8).toString("hex")}`,
          amount,
          currency: "usd",
          reason: "fraudulent",
          status,
          eventCreatedAt: new Date(),
        },
      });
    };
    await disputed(3000, "2031-04-02T10:00:00Z", "lost");
    await disputed(2000, "2031-04-02T11:00:00Z", "lost", 500);
    await disputed(4000, "2031-04-02T12:00:00Z", "won");
    await disputed(1000, "2031-04-03T12:00:00Z", "under_review");

    const overview = await salesOverview(2, new Date("2031-04-03T18:00:00Z"));
    expect(overview.days).toEqual([
      { day: "2031-04-02", orders: 3, revenue: 0 + 1500 + 4000 },
      { day: "2031-04-03", orders: 1, revenue: 1000 },
    ]);
  });
});
