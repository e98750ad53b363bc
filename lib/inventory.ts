import "server-only";
import type { Tx } from "@/lib/db";

export type StockLine = { productId: string; name: string; quantity: number };

export class OutOfStockError extends Error {
  name = "OutOfStockError";
  constructor(
    readonly productName: string,
    readonly available: number,
  ) {
    super(available > 0 ? `Only ${available} of ${productName} left in stock` : `${productName} is sold out`);
  }
}

/**
 * Moves an order's reservation from `held` to `wanted`, all or nothing: per product, only the difference
 * is taken off or put back on the shelf. Taking is conditional on enough stock in the same statement, so
 * concurrent checkouts can never take more than there is (the CHECK stock >= 0 backs it up). Products are
 * visited once each in id order, the same order every checkout uses, so two checkouts cannot deadlock.
 */
export async function adjustReservation(tx: Tx, held: Array<Omit<StockLine, "name">>, wanted: StockLine[]): Promise<void> {
  const change = new Map<string, { name: string; delta: number; held: number }>();
  for (const line of held) {
    const entry = change.get(line.productId) ?? { name: "", delta: 0, held: 0 };
    change.set(line.productId, { ...entry, delta: entry.delta - line.quantity, held: entry.held + line.quantity });
  }
  for (const line of wanted) {
    const entry = change.get(line.productId) ?? { name: line.name, delta: 0, held: 0 };
    change.set(line.productId, { ...entry, name: line.name, delta: entry.delta + line.quantity });
  }
  for (const [productId, { name, delta, held: alreadyHeld }] of [...change].sort(([a], [b]) => a.localeCompare(b))) {
    if (delta < 0) {
      await tx.$executeRaw`UPDATE "Product" SET stock = stock + ${-delta}, "updatedAt" = now() WHERE id = ${productId}`;
    } else if (delta > 0) {
      const taken = await tx.$executeRaw`
        UPDATE "Product" SET stock = stock - ${delta}, "updatedAt" = now()
         WHERE id = ${productId} AND active AND stock >= ${delta}`;
      if (taken !== 1) {
        const product = await tx.product.findUnique({ where: { id: productId }, select: { stock: true, active: true } });
        throw new OutOfStockError(name, product?.active ? product.stock + alreadyHeld : 0);
      }
    }
  }
}

/** Puts an order's units back on the shelf. */
export async function releaseStock(tx: Tx, lines: Array<Omit<StockLine, "name">>): Promise<void> {
  await adjustReservation(tx, lines, []);
}
