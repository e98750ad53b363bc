// The reservation cap (lib/checkout/limits.ts) through the real checkout, PostgreSQL and Stripe sandbox: time
// passing is written into the order's reservedAt, as the clock would have left it.
import { describe, expect, it } from "vitest";
import { RESERVATION_CAP_MINUTES } from "@/lib/checkout/limits";
import { recheckBeforePayment, startCheckout } from "@/lib/checkout/start";
import { prisma } from "@/lib/db";
import { stripeEnv } from "@/lib/env";
import { sweepExpiredReservations } from "@/lib/jobs/release-expired-reservations";
import { cartWith, checkoutDetails, stockOf, testProduct } from "./support/catalog";

const MINUTE = 60_000;
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * MINUTE);

async function started(cartId: string) {
  const result = await startCheckout(cartId, checkoutDetails);
  if (!result.ok) throw new Error(`checkout refused: ${result.code}`);
  return prisma.order.findUniqueOrThrow({ where: { id: result.summary.orderId } });
}

describe("the reservation cap", () => {
  it("a new checkout reserves from now for the TTL", async () => {
    const item = await testProduct(5);
    const before = Date.now();
    const order = await started(await cartWith([{ variantId: item.variantId, quantity: 1 }]));
    expect(order.reservedAt!.getTime()).toBeGreaterThanOrEqual(before - 5);
    expect(order.reservedUntil!.getTime() - order.reservedAt!.getTime()).toBe(stripeEnv().CHECKOUT_RESERVATION_MINUTES * MINUTE);
  });

  it("restarting a checkout again and again never holds its stock past the cap", async () => {
    const item = await testProduct(5);
    const cartId = await cartWith([{ variantId: item.variantId, quantity: 1 }]);
    const first = await started(cartId);
    // Fifty minutes later: each restart keeps when the stock was taken and ends the hold at the cap.
    const takenAt = minutesAgo(50);
    await prisma.order.update({ where: { id: first.id }, data: { reservedAt: takenAt } });
    const capEnd = takenAt.getTime() + RESERVATION_CAP_MINUTES * MINUTE;
    for (let restart = 1; restart <= 3; restart += 1) {
      const order = await started(cartId);
      expect(order.id).toBe(first.id);
      expect(order.reservedAt).toEqual(takenAt);
      expect(order.reservedUntil!.getTime()).toBe(capEnd);
    }
    expect(await stockOf(item.variantId)).toBe(4);
  });

  it("past the cap a checkout is refused until the sweep releases the stock, then starts a new reservation", async () => {
    const item = await testProduct(5);
    const cartId = await cartWith([{ variantId: item.variantId, quantity: 1 }]);
    const first = await started(cartId);
    // 61 minutes after the stock was taken, the last renewal's end (the cap) has just passed.
    const takenAt = minutesAgo(RESERVATION_CAP_MINUTES + 1);
    const capEnd = new Date(takenAt.getTime() + RESERVATION_CAP_MINUTES * MINUTE);
    await prisma.order.update({ where: { id: first.id }, data: { reservedAt: takenAt, reservedUntil: capEnd } });

    expect(await startCheckout(cartId, checkoutDetails)).toMatchObject({ ok: false, code: "reservation_expired" });
    expect(await recheckBeforePayment(cartId, first.id, first.total)).toMatchObject({ ok: false, code: "reservation_expired" });
    const untouched = await prisma.order.findUniqueOrThrow({ where: { id: first.id } });
    expect(untouched).toMatchObject({ status: "pending", stockReserved: true, reservedUntil: capEnd });
    expect(await stockOf(item.variantId)).toBe(4);

    // The sweep cancels the order (its intent first) and puts the unit back on sale for everybody.
    await sweepExpiredReservations();
    expect(await prisma.order.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ status: "canceled", stockReserved: false });
    expect(await stockOf(item.variantId)).toBe(5);

    // Only now does the shopper's next start reserve again, as a new order with a hold of its own.
    const renewed = await started(cartId);
    expect(renewed.id).not.toBe(first.id);
    expect(renewed.reservedAt!.getTime()).toBeGreaterThan(Date.now() - MINUTE);
    expect(await stockOf(item.variantId)).toBe(4);
  });
});
