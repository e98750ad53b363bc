"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { setStock, stockInput } from "@/lib/admin/stock";
import { NotSignedInError, requireAdmin, signIn, signInRefusal, signOut } from "@/lib/auth/session";
import { cancelOrder, refundOrder, repairOrder } from "@/lib/orders";
import { fail, type AdminErrorCode, type Failure } from "@/lib/result";

// Staff actions. Each one checks the session itself before reading its input, parses the input with zod,
// and answers { ok: true, message } or { ok: false, code, error } (lib/result.ts): callers branch on
// `code`, people read `error`.

export type AdminActionResult = { ok: true; message: string } | Failure<AdminErrorCode>;

function guarded<S extends z.ZodType>(schema: S, run: (input: z.infer<S>) => Promise<AdminActionResult>) {
  return async (raw: unknown): Promise<AdminActionResult> => {
    try {
      await requireAdmin();
    } catch (error) {
      if (error instanceof NotSignedInError) return fail("not_signed_in", error.message);
      throw error;
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) return fail("invalid_input", parsed.error.issues[0]?.message ?? "Invalid input");
    // Refusals from Stripe come back as codes from lib/orders; anything thrown is a fault, not an answer.
    return run(parsed.data);
  };
}

const orderIdInput = z.object({ orderId: z.string().min(1).max(64) });

const refundSchema = orderIdInput.extend({
  amount: z.string().max(32),
  // One key per confirmation dialog: a double submit of the same confirmation refunds once.
  requestKey: z.string().uuid("Reload the page and try again"),
});

export const refundOrderAction = guarded(refundSchema, async ({ orderId, amount, requestKey }) => {
  // lib/orders checks the refund (lib/order-rules), asks Stripe, and answers Stripe's refusals as codes.
  const result = await refundOrder(orderId, amount, requestKey);
  return result.ok ? { ok: true, message: result.message } : result;
});

export const cancelOrderAction = guarded(orderIdInput, async ({ orderId }) => {
  const result = await cancelOrder(orderId, "requested_by_customer");
  return result.ok ? { ok: true, message: result.message } : result;
});

export const setStockAction = guarded(stockInput, async ({ variantId, stock }) => {
  // Catalog pages follow by themselves: the variant's stock change expires its product's cache tag (lib/catalog.ts).
  const result = await setStock(variantId, stock);
  return result.ok ? { ok: true, message: `Stock set to ${stock}` } : result;
});

export const repairOrderAction = guarded(orderIdInput, async ({ orderId }) => {
  const result = await repairOrder(orderId);
  return result.ok ? { ok: true, message: result.message } : result;
});

/** The sign-in form's state: the email as typed (never the password), and why the last attempt failed. */
export type SignInState = { email: string; failure: Failure<AdminErrorCode> | null };

const signInInput = z.object({ email: z.string().trim().max(254), password: z.string().max(1024), next: z.string().max(500).optional() });

export async function signInAction(_previous: SignInState, form: FormData): Promise<SignInState> {
  const typed = form.get("email");
  // Handed back so the form keeps it after a refusal.
  const email = typeof typed === "string" ? typed.trim().slice(0, 254) : "";
  const parsed = signInInput.safeParse({ email: form.get("email"), password: form.get("password"), next: form.get("next") ?? undefined });
  // Only paths inside the admin area are followed, never another origin.
  const wanted = parsed.success ? parsed.data.next : undefined;
  const next = wanted?.startsWith("/admin") && !wanted.startsWith("//") ? wanted : "/admin";
  if (!parsed.success || !parsed.data.email || !parsed.data.password) {
    return refused({ email, failure: signInRefusal("invalid_input") }, next);
  }
  const result = await signIn(parsed.data.email, parsed.data.password);
  if (!result.ok) return refused({ email, failure: result }, next);
  redirect(next);
}

/**
 * A form posted without JavaScript (no Next-Action header) is answered with the page rendered again, but
 * from its prerendered route's resume, which cannot carry an action's state (React's resume takes no form
 * state). Such a post is sent back to the sign-in page with the email and the failure's code in the URL,
 * which the page turns back into this state; a call from the hydrated form gets the state itself.
 */
async function refused(state: SignInState & { failure: Failure<AdminErrorCode> }, next: string): Promise<SignInState> {
  if ((await headers()).has("next-action")) return state;
  redirect(`/admin/sign-in?${new URLSearchParams({ next, email: state.email, failed: state.failure.code })}`);
}

export async function signOutAction(): Promise<void> {
  await signOut();
  redirect("/admin/sign-in");
}
