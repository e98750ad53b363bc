import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";

type Tx = Prisma.TransactionClient;
export type StockLine = { productId: string; name: string; quantity: number };

export class OutOfStockError extends Error {
  name = "OutOfStockError";
  constructor(readonly productName: string, readonly available: number) {
    super(available > 0 ? `Only ${available} of ${productName} left in stock` : `${productName} is sold out`);
  }
}

/**
 * Takes the units off the shelf for an order, all or nothing. Each decrement is conditional on enough
 * stock in the same statement, so concurrent checkouts can never take more than there is (and the
 * CHECK constraint stock >= 0 backs it up).
 */
export async function reserveStock(tx: Tx, lines: StockLine[]): Promise<void> {
  // A fixed order of row locks keeps two checkouts with the same products from deadlocking.
  for (const line of [...lines].sort((a, b) => a.productId.localeCompare(b.productId))) {
    const taken = await tx.$executeRaw`
      UPDATE "Product" SET stock = stock - ${line.quantity}, "updatedAt" = now()
       WHERE id = ${line.productId} AND active AND stock >= ${line.quantity}`;
    if (taken !== 1) {
      const product = await tx.product.findUnique({ where: { id: line.productId }, select: { stock: true, active: true } });
      throw new OutOfStockError(line.name, product?.active ? product.stock : 0);
    }
  }
}

/** Puts an order's units back on the shelf. */
export async function releaseStock(tx: Tx, lines: Array<Omit<StockLine, "name">>): Promise<void> {
  for (const line of [...lines].sort((a, b) => a.productId.localeCompare(b.productId))) {
    await tx.$executeRaw`UPDATE "Product" SET stock = stock + ${line.quantity}, "updatedAt" = now() WHERE id = ${line.productId}`;
  }
}
