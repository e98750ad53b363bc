"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { setStock, stockInput } from "@/lib/admin/stock";
import { NotSignedInError, requireAdmin, signIn, signOut } from "@/lib/auth/session";
import { revalidateCatalog } from "@/lib/catalog";
import { prisma } from "@/lib/db";
import { parseMajorUnits, formatMoney } from "@/lib/money";
import { isPaid } from "@/lib/order-status";
import { cancelOrder } from "@/lib/orders";
import { isStripeError, stripeRequestId } from "@/lib/payments/client";
import { refundIntent } from "@/lib/payments/intents";
import { repairOrder } from "@/lib/reconcile";

// Staff actions. Each one checks the session itself before reading its input, parses the input with zod,
// and answers { ok, message } or { ok: false, error } with Stripe's own message when Stripe refuses.

export type AdminActionResult = { ok: true; message: string } | { ok: false; error: string };

function guarded<S extends z.ZodType>(schema: S, run: (input: z.infer<S>) => Promise<AdminActionResult>) {
  return async (raw: unknown): Promise<AdminActionResult> => {
    try {
      await requireAdmin();
      const parsed = schema.safeParse(raw);
      if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.message ?? "Invalid input" };
      return await run(parsed.data);
    } catch (error) {
      if (error instanceof NotSignedInError) return { ok: false, error: error.message };
      if (isStripeError(error)) {
        console.error(`admin: Stripe refused (request ${stripeRequestId(error) ?? "unknown"}): ${error.message}`);
        return { ok: false, error: `Stripe: ${error.message}` };
      }
      throw error;
    }
  };
}

const refundSchema = z.object({
  orderId: z.string().min(1).max(64),
  amount: z.string().max(32),
  // One key per confirmation dialog: a double submit of the same confirmation refunds once.
  requestKey: z.string().uuid("Reload the page and try again"),
});

export const refundOrderAction = guarded(refundSchema, async ({ orderId, amount, requestKey }) => {
  const order = await prisma.order.findUnique({ where: { id: orderId } });
  if (!order?.paymentIntentId) return { ok: false, error: "No such order" };
  if (!isPaid(order.status)) return { ok: false, error: `Only paid orders can be refunded; this one is ${order.status}` };
  const minor = parseMajorUnits(amount, order.currency);
  const refundable = order.total - order.amountRefunded;
  if (minor === null || minor <= 0) return { ok: false, error: "Enter a refund amount greater than zero" };
  if (minor > refundable) return { ok: false, error: `At most ${formatMoney(refundable, order.currency)} can still be refunded` };
  const refund = await refundIntent(order.paymentIntentId, minor, requestKey);
  return {
    ok: true,
    message: `Refund of ${formatMoney(minor, order.currency)} sent to Stripe (${refund.refundId}, ${refund.status ?? "pending"}). The order updates when Stripe confirms it.`,
  };
});

export const cancelOrderAction = guarded(z.object({ orderId: z.string().min(1).max(64) }), async ({ orderId }) => {
  const result = await cancelOrder(orderId, "requested_by_customer");
  if (!result.ok) return result;
  if (result.stockChanged) revalidateCatalog();
  return { ok: true, message: "Order canceled; its payment was canceled and reserved stock released." };
});

export const setStockAction = guarded(stockInput, async ({ productId, stock }) => {
  const result = await setStock(productId, stock);
  if (!result.ok) return result;
  revalidateCatalog();
  return { ok: true, message: `Stock set to ${stock}` };
});

export const repairOrderAction = guarded(z.object({ orderId: z.string().min(1).max(64) }), async ({ orderId }) => {
  const result = await repairOrder(orderId);
  if (result.stockChanged) revalidateCatalog();
  return { ok: true, message: `Order is now ${result.status ?? "unchanged"} (${result.outcome})` };
});

export type SignInState = { error: string | null };

export async function signInAction(_previous: SignInState, form: FormData): Promise<SignInState> {
  const parsed = z
    .object({ email: z.string().trim().max(254), password: z.string().max(1024), next: z.string().max(500).optional() })
    .safeParse({ email: form.get("email"), password: form.get("password"), next: form.get("next") ?? undefined });
  if (!parsed.success || !parsed.data.email || !parsed.data.password) return { error: "Enter your email and password." };
  const result = await signIn(parsed.data.email, parsed.data.password);
  if (!result.ok) return { error: result.error };
  // Only paths inside the admin area are followed, never another origin.
  const next = parsed.data.next?.startsWith("/admin") && !parsed.data.next.startsWith("//") ? parsed.data.next : "/admin";
  redirect(next);
}

export async function signOutAction(): Promise<void> {
  await signOut();
  redirect("/admin/sign-in");
}
