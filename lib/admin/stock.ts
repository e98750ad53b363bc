import "server-only";
import { z } from "zod";
import { recordAudit, type Actor } from "@/lib/audit";
import { prisma } from "@/lib/db";
import { fail, type Failure } from "@/lib/result";

export const stockInput = z.object({
  productId: z.string().min(1).max(64),
  stock: z.coerce
    .number({ error: "Stock must be a whole number" })
    .int("Stock must be a whole number")
    .min(0, "Stock cannot be negative")
    .max(1_000_000, "Stock is capped at 1,000,000"),
});

export async function listStock() {
  return prisma.product.findMany({
    orderBy: [{ category: { position: "asc" } }, { name: "asc" }],
    select: { id: true, name: true, slug: true, stock: true, active: true, category: { select: { name: true } } },
  });
}

/** Sets a product's stock to the number on the shelf (reserved units are already subtracted). */
export async function setStock(actor: Actor, productId: string, stock: number): Promise<{ ok: true } | Failure<"not_found">> {
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<Array<{ stock: number }>>`SELECT stock FROM "Product" WHERE id = ${productId} FOR UPDATE`;
    const before = rows[0];
    if (!before) return fail("not_found", "No such product");
    await tx.product.update({ where: { id: productId }, data: { stock } });
    await recordAudit(tx, actor, {
      action: "stock.set",
      subjectType: "product",
      subjectId: productId,
      details: { from: before.stock, to: stock },
    });
    return { ok: true };
  });
}
