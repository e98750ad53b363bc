// Usage limits of discount codes under concurrency (lib/pricing/discount-uses.ts): many checkouts racing for a
// code's last uses get exactly as many as are left; a canceled order gives its use back; a paid one keeps it.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { markDiscountPaid, takeDiscountUse } from "@/lib/pricing/discount-uses";
import { insertOrder } from "./support/orders";

const newCode = (fields: { usageLimit?: number; perEmailLimit?: number } = {}) =>
  prisma.discountCode.create({
    data: { code: `RACE${randomBytes(4).toString("hex").toUpperCase()}`, kind: "percentage", value: 1000, ...fields },
  });

/** One checkout's transaction taking the code for its order. */
const take = (codeId: string, orderId: string, email = `${orderId}@example.com`) =>
  prisma.$transaction((tx) => takeDiscountUse(tx, { codeId, orderId, email }), { maxWait: 20_000, timeout: 20_000 });

describe("discount code usage limits", () => {
  it("50 checkouts racing for a code with 10 uses left: exactly 10 get it", async () => {
    const code = await newCode({ usageLimit: 10 });
    const orders = await Promise.all(Array.from({ length: 50 }, () => insertOrder({ total: 2000 })));
    const results = await Promise.all(orders.map((order) => take(code.id, order.id)));
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === "used_up")).toBe(true);
    expect(await prisma.discountUse.count({ where: { codeId: code.id } })).toBe(10);
  });

  it("a canceled order's use goes back; a paid order's use stays spent; the same order never takes two", async () => {
    const code = await newCode({ usageLimit: 1 });
    const [first, second] = await Promise.all([insertOrder({ total: 2000 }), insertOrder({ total: 2000 })]);
    expect(await take(code.id, first.id)).toEqual({ ok: true });
    expect(await take(code.id, first.id)).toEqual({ ok: true }); // a double submit of the same checkout
    expect(await take(code.id, second.id)).toMatchObject({ ok: false, reason: "used_up" });

    await prisma.order.update({ where: { id: first.id }, data: { status: "canceled" } });
    expect(await take(code.id, second.id)).toEqual({ ok: true });
    await prisma.$transaction((tx) => markDiscountPaid(tx, second.id));
    await prisma.order.update({ where: { id: second.id }, data: { status: "refunded" } });
    const third = await insertOrder({ total: 2000 });
    expect(await take(code.id, third.id)).toMatchObject({ ok: false, reason: "used_up" });
  });

  it("a per-email limit counts one shopper's orders, whatever the letter case of their email", async () => {
    const code = await newCode({ perEmailLimit: 1 });
    const [a, b, c] = await Promise.all([insertOrder({ total: 2000 }), insertOrder({ total: 2000 }), insertOrder({ total: 2000 })]);
    expect(await take(code.id, a.id, "Shopper@Example.com")).toEqual({ ok: true });
    expect(await take(code.id, b.id, "shopper@example.com ")).toMatchObject({ ok: false, reason: "used_up_for_email" });
    expect(await take(code.id, c.id, "someone-else@example.com")).toEqual({ ok: true });
  });
});
