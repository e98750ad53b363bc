import "server-only";
import { z } from "zod";
import { recordAudit, type Actor } from "@/lib/audit";
import { variantName } from "@/lib/variant-name";
import { prisma } from "@/lib/db";
import { fail, type Failure } from "@/lib/result";
import { variantOptionsText, variantValuesSelect } from "@/lib/variants";

export const stockInput = z.object({
  variantId: z.string().min(1).max(64),
  stock: z.coerce
    .number({ error: "Stock must be a whole number" })
    .int("Stock must be a whole number")
    .min(0, "Stock cannot be negative")
    .max(1_000_000, "Stock is capped at 1,000,000"),
});

/** One row per variant: stock lives on the variant, and staff see which one by its product and options. */
export type StockRow = {
  variantId: string;
  sku: string;
  label: string;
  category: string;
  active: boolean;
  stock: number;
  /** Staff are emailed when stock falls to this or below (lib/jobs/low-stock-alerts.ts); null: never. */
  lowStockThreshold: number | null;
};

export async function listStock(): Promise<StockRow[]> {
  const variants = await prisma.productVariant.findMany({
    orderBy: [{ product: { category: { position: "asc" } } }, { product: { name: "asc" } }, { position: "asc" }, { sku: "asc" }],
    select: {
      id: true,
      sku: true,
      stock: true,
      lowStockThreshold: true,
      active: true,
      values: variantValuesSelect,
      product: { select: { name: true, active: true, category: { select: { name: true } } } },
    },
  });
  return variants.map((variant) => ({
    variantId: variant.id,
    sku: variant.sku,
    label: variantName(variant.product.name, variantOptionsText(variant.values)),
    category: variant.product.category.name,
    active: variant.active && variant.product.active,
    stock: variant.stock,
    lowStockThreshold: variant.lowStockThreshold,
  }));
}

/** Sets a variant's stock to the number on the shelf (reserved units are already subtracted), with its audit entry. */
export async function setStock(actor: Actor, variantId: string, stock: number): Promise<{ ok: true } | Failure<"not_found">> {
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<Array<{ stock: number; productId: string }>>`
      SELECT stock, "productId" FROM "ProductVariant" WHERE id = ${variantId} FOR UPDATE`;
    const before = rows[0];
    if (!before) return fail("not_found", "No such product variant");
    await tx.productVariant.update({ where: { id: variantId }, data: { stock } });
    await recordAudit(tx, actor, {
      action: "stock.set",
      subjectType: "product",
      subjectId: before.productId,
      details: { variantId, from: before.stock, to: stock },
    });
    return { ok: true };
  });
}

/** Sets (or, with null, removes) a variant's low-stock threshold, with its audit entry. */
export async function setLowStockThreshold(
  actor: Actor,
  variantId: string,
  threshold: number | null,
): Promise<{ ok: true } | Failure<"not_found">> {
  return prisma.$transaction(async (tx) => {
    const [before] = await tx.$queryRaw<Array<{ lowStockThreshold: number | null; productId: string }>>`
      SELECT "lowStockThreshold", "productId" FROM "ProductVariant" WHERE id = ${variantId} FOR UPDATE`;
    if (!before) return fail("not_found", "No such product variant");
    // The alert mark stays: the job unmarks the variant once its stock is above the new threshold.
    await tx.productVariant.update({ where: { id: variantId }, data: { lowStockThreshold: threshold } });
    await recordAudit(tx, actor, {
      action: "stock.threshold",
      subjectType: "product",
      subjectId: before.productId,
      details: { variantId, from: before.lowStockThreshold, to: threshold },
    });
    return { ok: true };
  });
}
