import "server-only";
import type { prisma, Tx } from "@/lib/db";
import { fail, type Failure } from "@/lib/result";

// Usage limits of discount codes, held under concurrency. An order takes a use of its code inside checkout's
// transaction (takeDiscountUse): the code's row is locked first, so checkouts racing for its last uses queue
// behind each other and each counts the uses committed before it. A use counts while its order is paid or still
// open (pending or processing: it may yet be paid); a canceled order's use no longer counts (its reservation
// expired or staff canceled it), so its place goes back to the next shopper, as the issue asks ("an expired
// reservation frees it"). markDiscountPaid records the use as spent when the order is paid.
//
// Failure modes:
// - Two checkouts of one order (a double submit): the order id is unique on DiscountUse, so the second finds
//   its own use and takes nothing more.
// - The code disappears or is deactivated between pricing and taking: refused as unknown, nothing written.

export type DiscountUseRefusal = Failure<"code_not_applicable"> & { reason: "used_up" | "used_up_for_email" | "unknown_code" };

type Reader = Tx | typeof prisma;

const refuse = (reason: DiscountUseRefusal["reason"], error: string): DiscountUseRefusal => ({
  ...fail("code_not_applicable", error),
  reason,
});

type CodeLimits = { code: string; usageLimit: number | null; perEmailLimit: number | null };
type UseCounts = { total: number; byEmail: number };

/** Whether the counted uses leave one for this shopper (pure; the counts exclude the shopper's own order). */
function limitRefusal(code: CodeLimits, counts: UseCounts): DiscountUseRefusal | null {
  if (code.usageLimit !== null && counts.total >= code.usageLimit)
    return refuse("used_up", `The code ${code.code} has been used as many times as it can be.`);
  if (code.perEmailLimit !== null && counts.byEmail >= code.perEmailLimit)
    return refuse("used_up_for_email", `You have already used the code ${code.code}.`);
  return null;
}

/** Takes (or keeps) a use of `codeId` for the order, or refuses when the code's limits are used up. */
export async function takeDiscountUse(
  tx: Tx,
  use: { codeId: string; orderId: string; email: string },
): Promise<{ ok: true } | DiscountUseRefusal> {
  const email = use.email.trim().toLowerCase();
  const [code] = await tx.$queryRaw<CodeLimits[]>`
    SELECT code, "usageLimit", "perEmailLimit" FROM "DiscountCode" WHERE id = ${use.codeId} AND active FOR UPDATE`;
  if (!code) return refuse("unknown_code", "That code is not valid.");
  // Counted under the code's lock: uses of paid orders and of orders that may still be paid, other than this one.
  const [counts] = await tx.$queryRaw<Array<UseCounts & { mine: number }>>`
    SELECT count(*) FILTER (WHERE u."orderId" <> ${use.orderId})::int AS total,
           count(*) FILTER (WHERE u."orderId" <> ${use.orderId} AND u.email = ${email})::int AS "byEmail",
           count(*) FILTER (WHERE u."orderId" = ${use.orderId})::int AS mine
      FROM "DiscountUse" u JOIN "Order" o ON o.id = u."orderId"
     WHERE u."codeId" = ${use.codeId} AND (u.paid OR o.status IN ('pending', 'processing'))`;
  if (counts!.mine > 0) return { ok: true };
  const refusal = limitRefusal(code, counts!);
  if (refusal) return refusal;
  // The order's earlier use (of another code, or a canceled attempt) gives way to this one.
  await tx.discountUse.upsert({
    where: { orderId: use.orderId },
    create: { codeId: use.codeId, orderId: use.orderId, email },
    update: { codeId: use.codeId, email, paid: false },
  });
  return { ok: true };
}

/**
 * Whether the code has a use left for the cart's shopper, read without locks: a quote's early answer, so a used-up
 * code is refused when it is applied rather than when the order is placed. takeDiscountUse has the final word.
 * The cart's own open order does not count against it (the shopper editing details keeps their code).
 */
export async function discountUseLeft(
  db: Reader,
  use: { code: CodeLimits & { id: string }; cartId: string; email: string | null },
): Promise<{ ok: true } | DiscountUseRefusal> {
  const email = use.email?.trim().toLowerCase() ?? "";
  const [counts] = await db.$queryRaw<UseCounts[]>`
    SELECT count(*)::int AS total, count(*) FILTER (WHERE u.email = ${email})::int AS "byEmail"
      FROM "DiscountUse" u JOIN "Order" o ON o.id = u."orderId"
     WHERE u."codeId" = ${use.code.id} AND o."cartId" <> ${use.cartId} AND (u.paid OR o.status IN ('pending', 'processing'))`;
  return limitRefusal(use.code, counts!) ?? { ok: true };
}

/** The order no longer uses a code (the shopper removed it): its use goes. */
export async function dropDiscountUse(tx: Tx, orderId: string): Promise<void> {
  await tx.discountUse.deleteMany({ where: { orderId, paid: false } });
}

/** The order was paid: its use is spent for good (counted even if the order is later refunded). */
export async function markDiscountPaid(tx: Tx, orderId: string): Promise<void> {
  await tx.discountUse.updateMany({ where: { orderId }, data: { paid: true } });
}
