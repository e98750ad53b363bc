// The low-stock job against the real PostgreSQL: one staff email when a variant falls to its threshold, none
// while it stays low, and a new one after it was restocked above the threshold and fell again.
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { sendLowStockAlerts } from "@/lib/jobs/low-stock-alerts";
import { testProduct } from "./support/catalog";

/** Each run "at" its own minute, as the every-minute schedule runs it. */
let minute = Date.UTC(2026, 11, 1, 9, 0);
const run = () => sendLowStockAlerts(new Date((minute += 60_000)));

const setStock = (variantId: string, stock: number) => prisma.productVariant.update({ where: { id: variantId }, data: { stock } });

/** The low-stock emails that list this SKU. */
const alertsFor = (sku: string) =>
  prisma.emailMessage.findMany({ where: { kind: "staff_low_stock", text: { contains: sku } }, orderBy: { createdAt: "asc" } });

describe("low-stock alerts", () => {
  it("email staff once per fall to the threshold, and again after a restock above it", async () => {
    const item = await testProduct(5);
    await prisma.productVariant.update({ where: { id: item.variantId }, data: { lowStockThreshold: 3 } });

    await run();
    expect(await alertsFor(item.slug)).toHaveLength(0);

    await setStock(item.variantId, 2);
    await run();
    const [first, ...others] = await alertsFor(item.slug);
    expect(others).toHaveLength(0);
    expect(first).toMatchObject({ to: process.env.STAFF_EMAIL, orderId: null, status: "pending" });
    expect(first!.subject).toMatch(/Low stock/);
    expect(first!.text).toContain(item.name);
    expect((await prisma.productVariant.findUniqueOrThrow({ where: { id: item.variantId } })).lowStockAlertedAt).not.toBeNull();

    // Still low, lower still: no second email.
    await setStock(item.variantId, 1);
    await run();
    await run();
    expect(await alertsFor(item.slug)).toHaveLength(1);

    // Restocked above the threshold: the mark is cleared, and the next fall alerts again.
    await setStock(item.variantId, 10);
    await run();
    expect((await prisma.productVariant.findUniqueOrThrow({ where: { id: item.variantId } })).lowStockAlertedAt).toBeNull();
    expect(await alertsFor(item.slug)).toHaveLength(1);
    await setStock(item.variantId, 2);
    await run();
    expect(await alertsFor(item.slug)).toHaveLength(2);
  });

  it("never alerts for a variant without a threshold or one that is not on sale", async () => {
    const plain = await testProduct(0);
    const retired = await testProduct(0);
    await prisma.productVariant.update({ where: { id: retired.variantId }, data: { lowStockThreshold: 3, active: false } });
    await run();
    expect(await alertsFor(plain.slug)).toHaveLength(0);
    expect(await alertsFor(retired.slug)).toHaveLength(0);
  });
});
