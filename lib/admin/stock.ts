import "server-only";
import { z } from "zod";
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
export async function setStock(productId: string, stock: number): Promise<{ ok: true } | Failure<"not_found">> {
  const updated = await prisma.product.updateMany({ where: { id: productId }, data: { stock } });
  return updated.count === 1 ? { ok: true } : fail("not_found", "No such product");
}
