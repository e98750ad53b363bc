import "server-only";
import { variantName } from "@/lib/variant-name";
import type { Tx } from "@/lib/db";

/** Units of one variant: what is held or wanted. `name` and `options` name it in a refusal. */
export type StockLine = { variantId: string; name: string; options: string; quantity: number };
/** Units an order holds; a null variant (history whose variant was deleted) holds nothing. */
export type HeldLine = { variantId: string | null; quantity: number };

export class OutOfStockError extends Error {
  name = "OutOfStockError";
  constructor(
    /** The product's name with the variant's options, as the shopper chose them. */
    readonly productName: string,
    readonly available: number,
  ) {
    super(available > 0 ? `Only ${available} of ${productName} left in stock` : `${productName} is sold out`);
  }
}

/**
 * Moves an order's reservation from `held` to `wanted`, all or nothing: per variant, only the difference
 * is taken off or put back on the shelf. Taking is conditional on enough stock, an active variant and an
 * active product in the same statement, so concurrent checkouts can never take more than there is (the
 * CHECK stock >= 0 backs it up). Variants are visited once each in id order, the same order every checkout
 * uses, so two checkouts cannot deadlock.
 */
export async function adjustReservation(tx: Tx, held: HeldLine[], wanted: StockLine[]): Promise<void> {
  const change = new Map<string, { label: string; delta: number; held: number }>();
  for (const line of held) {
    if (line.variantId === null) continue;
    const entry = change.get(line.variantId) ?? { label: "", delta: 0, held: 0 };
    change.set(line.variantId, { ...entry, delta: entry.delta - line.quantity, held: entry.held + line.quantity });
  }
  for (const line of wanted) {
    const entry = change.get(line.variantId) ?? { label: "", delta: 0, held: 0 };
    change.set(line.variantId, { ...entry, label: variantName(line.name, line.options), delta: entry.delta + line.quantity });
  }
  for (const [variantId, { label, delta, held: alreadyHeld }] of [...change].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (delta < 0) {
      await tx.$executeRaw`UPDATE "ProductVariant" SET stock = stock + ${-delta}, "updatedAt" = now() WHERE id = ${variantId}`;
    } else if (delta > 0) {
      const taken = await tx.$executeRaw`
        UPDATE "ProductVariant" v SET stock = v.stock - ${delta}, "updatedAt" = now()
         WHERE v.id = ${variantId} AND v.active AND v.stock >= ${delta}
           AND EXISTS (SELECT 1 FROM "Product" p WHERE p.id = v."productId" AND p.active)`;
      if (taken !== 1) {
        const variant = await tx.productVariant.findUnique({
          where: { id: variantId },
          select: { stock: true, active: true, product: { select: { active: true } } },
        });
        const sellable = variant?.active && variant.product.active;
        throw new OutOfStockError(label, sellable ? variant.stock + alreadyHeld : 0);
      }
    }
  }
}

/** Puts an order's units back on the shelf (nothing for items whose variant no longer exists). */
export async function releaseStock(tx: Tx, lines: HeldLine[]): Promise<void> {
  await adjustReservation(tx, lines, []);
}
