import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, type Prisma } from "@/lib/generated/prisma/client";
import type { CartStatus } from "@/lib/generated/prisma/enums";
import { databaseEnv } from "@/lib/env";

// One client per process; kept on globalThis so Next's dev reloads do not open a pool per edit.
const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

function createClient(): PrismaClient {
  const adapter = new PrismaPg({ connectionString: databaseEnv().DATABASE_URL });
  return new PrismaClient({ adapter });
}

export const prisma: PrismaClient = globalForPrisma.prisma ?? createClient();
if (process.env.NODE_ENV !== "production") globalForPrisma.prisma = prisma;

/** The client a `prisma.$transaction(async (tx) => …)` callback receives. */
export type Tx = Prisma.TransactionClient;

/**
 * Locks a cart row for the rest of the transaction and says its status (null: no such cart). Every path
 * that changes a cart, its checkout or its order takes this lock first, in the same order (cart, then
 * order, then products by id), so concurrent requests on one cart queue instead of deadlocking.
 */
export async function lockCart(tx: Tx, cartId: string): Promise<CartStatus | null> {
  const rows = await tx.$queryRaw<Array<{ status: CartStatus }>>`
    SELECT status FROM "Cart" WHERE id = ${cartId} FOR UPDATE`;
  return rows[0]?.status ?? null;
}

/** Locks an order row for the rest of the transaction; take the order's cart lock (lockCart) first. */
export async function lockOrderRow(tx: Tx, orderId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Order" WHERE id = ${orderId} FOR UPDATE`;
}
