"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { createProduct, updateProduct, type SaveFailure } from "@/lib/admin/catalog";
import { parseProductForm, productFormInput } from "@/lib/admin/catalog-rules";
import { archiveCategory, createCategory, restoreCategory, updateCategory, type CategoryFailure } from "@/lib/admin/categories";
import { categoryFormInput, parseCategoryForm } from "@/lib/admin/category-rules";
import { markDelivered, recordReturn, shipOrder } from "@/lib/admin/fulfilment";
import {
  createDiscountCode,
  createShippingRate,
  createShippingZone,
  createTaxRate,
  deleteShippingRate,
  deleteShippingZone,
  deleteTaxRate,
  removeDiscountCode,
  setPricesIncludeTax,
  updateDiscountCode,
  updateShippingRate,
  updateShippingZone,
  updateTaxRate,
  type PricingFailure,
} from "@/lib/admin/pricing";
import {
  discountCodeFormInput,
  parseDiscountCodeForm,
  parseShippingRateForm,
  parseShippingZoneForm,
  parseTaxRateForm,
  shippingRateFormInput,
  shippingZoneFormInput,
  taxRateFormInput,
} from "@/lib/admin/pricing-rules";
import { retryOrderEmail } from "@/lib/admin/order-emails";
import { setLowStockThreshold, setStock, stockInput } from "@/lib/admin/stock";
import { recordAudit } from "@/lib/audit";
import { lowStockThresholdInput } from "@/lib/low-stock-rules";
import { newPassword, passwordChangeInput } from "@/lib/auth/password-rules";
import { adminReturnPath } from "@/lib/auth/return-path";
import { STAFF_ROLES, type Permission } from "@/lib/auth/roles";
import {
  changeOwnPassword,
  ForbiddenError,
  NotSignedInError,
  requireStaff,
  setSessionCookie,
  signIn,
  signInRefusal,
  signOut,
  type SignedInStaff,
} from "@/lib/auth/session";
import { acceptInvite, cancelInvite, changeRole, endSessionsOf, inviteStaff, removeStaff } from "@/lib/auth/staff";
import { prisma } from "@/lib/db";
import { cancelOrder, refundOrder, repairOrder } from "@/lib/orders";
import { fail, type AdminErrorCode, type Failure } from "@/lib/result";
import { siteEnv } from "@/lib/env";
import { SHOP_CURRENCY } from "@/lib/shop-currency";

// Staff actions. Each one checks the session and the role (lib/auth/roles.ts) itself before reading its
// input, parses the input with zod, and answers { ok: true, message } or { ok: false, code, error }
// (lib/result.ts): callers branch on `code`, people read `error`.

export type AdminActionResult = { ok: true; message: string } | Failure<AdminErrorCode>;

function guarded<S extends z.ZodType, R extends AdminActionResult = AdminActionResult>(
  permission: Permission,
  schema: S,
  run: (input: z.infer<S>, staff: SignedInStaff) => Promise<R>,
) {
  return async (raw: unknown): Promise<R | Failure<AdminErrorCode>> => {
    let staff: SignedInStaff;
    try {
      staff = await requireStaff(permission);
    } catch (error) {
      if (error instanceof NotSignedInError) return fail("not_signed_in", error.message);
      if (error instanceof ForbiddenError) return fail("forbidden", error.message);
      throw error;
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) return fail("invalid_input", parsed.error.issues[0]?.message ?? "Invalid input");
    // Refusals from Stripe come back as codes from lib/orders; anything thrown is a fault, not an answer.
    return run(parsed.data, staff);
  };
}

const actorOf = (staff: SignedInStaff) => ({ id: staff.id, email: staff.email });

/** Whether an order action got as far as Stripe: it succeeded, or Stripe refused or could not be reached. */
const askedStripe = (result: { ok: true } | { ok: false; code: string }) =>
  result.ok || result.code === "payment_provider_refused" || result.code === "payment_provider_unavailable";

const orderIdInput = z.object({ orderId: z.string().min(1).max(64) });

const refundSchema = orderIdInput.extend({
  amount: z.string().max(32),
  // One key per confirmation dialog: a double submit of the same confirmation refunds once.
  requestKey: z.string().uuid("Reload the page and try again"),
});

export const refundOrderAction = guarded("orders.write", refundSchema, async ({ orderId, amount, requestKey }, staff) => {
  // lib/orders checks the refund (lib/order-rules), asks Stripe, and answers Stripe's refusals as codes.
  const result = await refundOrder(orderId, amount, requestKey);
  // Recorded once Stripe has answered, whatever it answered (a refusal or an unknown outcome is worth knowing
  // too); refusals made before asking Stripe changed nothing and are not recorded. A process dying between
  // Stripe's answer and this line loses the entry, not the refund.
  if (askedStripe(result)) {
    await recordAudit(prisma, actorOf(staff), {
      action: "order.refund",
      subjectType: "order",
      subjectId: orderId,
      details: { amount, requestKey, outcome: result.ok ? "requested" : result.code },
    });
  }
  return result.ok ? { ok: true, message: result.message } : result;
});

export const cancelOrderAction = guarded("orders.write", orderIdInput, async ({ orderId }, staff) => {
  const result = await cancelOrder(orderId, "requested_by_customer");
  if (askedStripe(result)) {
    await recordAudit(prisma, actorOf(staff), {
      action: "order.cancel",
      subjectType: "order",
      subjectId: orderId,
      details: { outcome: result.ok ? "canceled" : result.code },
    });
  }
  return result.ok ? { ok: true, message: result.message } : result;
});

// Lines and quantities as staff pick them; the rules (lib/fulfilment-rules.ts) check them against the order.
const linesInput = z
  .array(
    z.object({
      orderItemId: z.string().min(1).max(64),
      quantity: z.coerce.number({ error: "Quantities are whole numbers" }),
    }),
  )
  .max(200);

const shipSchema = orderIdInput.extend({
  lines: linesInput,
  // Lengths and characters are the rules' to check, so the form can show the error beside the field.
  carrier: z.string().max(200),
  trackingNumber: z.string().max(200),
});

export const shipOrderAction = guarded("orders.write", shipSchema, async ({ orderId, lines, carrier, trackingNumber }, staff) => {
  const result = await shipOrder(actorOf(staff), orderId, lines, carrier, trackingNumber);
  return result.ok ? { ok: true, message: result.message } : result;
});

export const markDeliveredAction = guarded(
  "orders.write",
  z.object({ shipmentId: z.string().min(1).max(64) }),
  async ({ shipmentId }, staff) => {
    const result = await markDelivered(actorOf(staff), shipmentId);
    return result.ok ? { ok: true, message: result.message } : result;
  },
);

const returnSchema = orderIdInput.extend({
  lines: linesInput,
  restock: z.boolean(),
  // One key per return form: a double submit records one return and one refund.
  requestKey: z.string().uuid("Reload the page and try again"),
});

export const recordReturnAction = guarded("orders.write", returnSchema, async ({ orderId, lines, restock, requestKey }, staff) => {
  const result = await recordReturn(actorOf(staff), orderId, lines, restock, requestKey);
  return result.ok ? { ok: true, message: result.message } : result;
});

export const setStockAction = guarded("catalog.write", stockInput, async ({ variantId, stock }, staff) => {
  // Catalog pages follow by themselves: the variant's stock change expires its product's cache tag (lib/catalog.ts).
  const result = await setStock(actorOf(staff), variantId, stock);
  return result.ok ? { ok: true, message: `Stock set to ${stock}` } : result;
});

export const setLowStockThresholdAction = guarded("catalog.write", lowStockThresholdInput, async ({ variantId, threshold }, staff) => {
  const result = await setLowStockThreshold(actorOf(staff), variantId, threshold);
  if (!result.ok) return result;
  return { ok: true, message: threshold === null ? "No low-stock alerts" : `Alert at ${threshold} or fewer` };
});

export const repairOrderAction = guarded("orders.write", orderIdInput, async ({ orderId }, staff) => {
  const result = await repairOrder(orderId);
  if (result.ok) await recordAudit(prisma, actorOf(staff), { action: "order.repair", subjectType: "order", subjectId: orderId });
  return result.ok ? { ok: true, message: result.message } : result;
});

// Failed (or stuck) emails go back to the outbox's queue; the audit entry is written once it is queued.
export const retryEmailAction = guarded("orders.write", z.object({ emailId: z.string().min(1).max(64) }), ({ emailId }, staff) =>
  retryOrderEmail(actorOf(staff), emailId),
);

/** A product save's answer: the product's id and new version, or why nothing was saved (with `fieldErrors`). */
export type ProductSaveResult = { ok: true; message: string; id: string; version: number } | SaveFailure | Failure<AdminErrorCode>;

/** New products are priced in the shop's currency (the schema's default). */

export const createProductAction = guarded("catalog.write", productFormInput, async (input, staff): Promise<ProductSaveResult> => {
  const parsed = parseProductForm(input, SHOP_CURRENCY);
  if (!parsed.ok) return fail("invalid_fields", "Some fields need attention; nothing was saved.", { fieldErrors: parsed.fieldErrors });
  const result = await createProduct(actorOf(staff), parsed.data);
  return result.ok ? { ...result, message: "Product created" } : result;
});

export const updateProductAction = guarded(
  "catalog.write",
  productFormInput.extend({ id: z.string().min(1).max(64), version: z.number().int().min(0) }),
  async ({ id, version, ...input }, staff): Promise<ProductSaveResult> => {
    const product = await prisma.product.findUnique({ where: { id }, select: { currency: true } });
    if (!product) return fail("not_found", "No such product");
    const parsed = parseProductForm(input, product.currency);
    if (!parsed.ok) return fail("invalid_fields", "Some fields need attention; nothing was saved.", { fieldErrors: parsed.fieldErrors });
    const result = await updateProduct(actorOf(staff), id, version, parsed.data);
    return result.ok ? { ...result, message: "Saved" } : result;
  },
);

/** A category save's answer (archive and restore too): its id and new version, or why nothing was saved. */
export type CategorySaveResult = { ok: true; message: string; id: string; version: number } | CategoryFailure | Failure<AdminErrorCode>;

const categoryVersion = z.object({ id: z.string().min(1).max(64), version: z.number().int().min(0) });

export const createCategoryAction = guarded("catalog.write", categoryFormInput, async (input, staff): Promise<CategorySaveResult> => {
  const parsed = parseCategoryForm(input);
  if (!parsed.ok) return fail("invalid_fields", "Some fields need attention; nothing was saved.", { fieldErrors: parsed.fieldErrors });
  const result = await createCategory(actorOf(staff), parsed.data);
  return result.ok ? { ...result, message: "Category created" } : result;
});

export const updateCategoryAction = guarded(
  "catalog.write",
  categoryFormInput.extend(categoryVersion.shape),
  async ({ id, version, ...input }, staff): Promise<CategorySaveResult> => {
    const parsed = parseCategoryForm(input);
    if (!parsed.ok) return fail("invalid_fields", "Some fields need attention; nothing was saved.", { fieldErrors: parsed.fieldErrors });
    const result = await updateCategory(actorOf(staff), id, version, parsed.data);
    return result.ok ? { ...result, message: "Saved" } : result;
  },
);

export const archiveCategoryAction = guarded(
  "catalog.write",
  categoryVersion,
  async ({ id, version }, staff): Promise<CategorySaveResult> => {
    const result = await archiveCategory(actorOf(staff), id, version);
    return result.ok ? { ...result, message: "Archived: the category has left the shop" } : result;
  },
);

export const restoreCategoryAction = guarded(
  "catalog.write",
  categoryVersion,
  async ({ id, version }, staff): Promise<CategorySaveResult> => {
    const result = await restoreCategory(actorOf(staff), id, version);
    return result.ok ? { ...result, message: "Restored: the category is back in the shop" } : result;
  },
);

const roleInput = z.enum(STAFF_ROLES, { error: "Choose owner, staff or viewer" });

/** An invitation's answer carries the one-time link, shown to the owner once (email comes with issue 14). */
export type InviteResult = { ok: true; message: string; link: string } | Failure<AdminErrorCode>;

export const inviteStaffAction = guarded(
  "staff.manage",
  z.object({ email: z.string().trim().email("Enter the person's email address").max(254), role: roleInput }),
  async ({ email, role }, staff): Promise<InviteResult> => {
    const result = await inviteStaff(actorOf(staff), email, role);
    if (!result.ok) return result;
    const link = new URL(`/admin/invite/${result.token}`, siteEnv().APP_URL).toString();
    return { ok: true, message: `Invitation for ${email} created; the link works once, for 72 hours.`, link };
  },
);

const staffIdInput = z.object({ staffId: z.string().min(1).max(64) });

export const changeStaffRoleAction = guarded("staff.manage", staffIdInput.extend({ role: roleInput }), async ({ staffId, role }, staff) => {
  const result = await changeRole(actorOf(staff), staffId, role);
  return result.ok ? { ok: true, message: `Role changed to ${role}` } : result;
});

export const removeStaffAction = guarded("staff.manage", staffIdInput, async ({ staffId }, staff) => {
  const result = await removeStaff(actorOf(staff), staffId);
  return result.ok ? { ok: true, message: "Removed; their sessions have ended" } : result;
});

const inviteIdInput = z.object({ inviteId: z.string().min(1).max(64) });

export const cancelInviteAction = guarded("staff.manage", inviteIdInput, async ({ inviteId }, staff) => {
  const result = await cancelInvite(actorOf(staff), inviteId);
  return result.ok ? { ok: true, message: `Invitation for ${result.email} cancelled; its link no longer works` } : result;
});

export const endStaffSessionsAction = guarded("staff.manage", staffIdInput, async ({ staffId }, staff) => {
  const result = await endSessionsOf(actorOf(staff), staffId);
  if (!result.ok) return result;
  return { ok: true, message: `Signed out everywhere: ${result.ended} session${result.ended === 1 ? "" : "s"} ended` };
});

/** Any signed-in person, for their own account; the password is never logged or handed back. */
export const changePasswordAction = guarded("account.self", passwordChangeInput, async (input, staff) => {
  const result = await changeOwnPassword(staff, input);
  if (!result.ok) return result;
  const others = result.otherSessionsEnded;
  return { ok: true, message: `Password changed${others > 0 ? `; ${others} other session${others === 1 ? "" : "s"} signed out` : ""}` };
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
  const next = adminReturnPath(parsed.success ? parsed.data.next : undefined);
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

/** The invitation page's form state: why the last submission failed, if it did. */
export type AcceptInviteState = { failure: Failure<AdminErrorCode> | null };

const acceptInviteInput = z.object({
  token: z.string().min(1).max(100),
  name: z.string().trim().min(1, "Enter your name").max(100),
  password: newPassword,
});

/** Not guarded by a session: the invitation's one-time token is the credential. */
export async function acceptInviteAction(_previous: AcceptInviteState, form: FormData): Promise<AcceptInviteState> {
  const parsed = acceptInviteInput.safeParse({ token: form.get("token"), name: form.get("name"), password: form.get("password") });
  if (!parsed.success) return { failure: fail("invalid_input", parsed.error.issues[0]?.message ?? "Invalid input") };
  const result = await acceptInvite(parsed.data.token, parsed.data);
  if (!result.ok) return { failure: result };
  await setSessionCookie({ token: result.sessionToken, expiresAt: result.expiresAt });
  redirect("/admin");
}

// ---------------------------------------------------------------------------------------------- pricing (issue 15)
// Discount codes, shipping zones and rates, tax rates and the prices-include-tax setting. The rules
// (lib/admin/pricing-rules.ts) answer every bad field at once; lib/admin/pricing.ts saves in one transaction with
// the audit entry. Orders are never touched: a paid order keeps the prices it was charged.

/** A pricing save's answer: the row's id, or why nothing was saved (with `fieldErrors`). */
export type PricingSaveResult = { ok: true; message: string; id: string } | PricingFailure | Failure<AdminErrorCode>;

const pricingId = z.object({ id: z.string().min(1).max(64) });
const notSaved = (fieldErrors: Record<string, string>) =>
  fail("invalid_fields", "Some fields need attention; nothing was saved.", { fieldErrors });

export const setPricesIncludeTaxAction = guarded(
  "catalog.write",
  z.object({ pricesIncludeTax: z.boolean() }),
  async ({ pricesIncludeTax }, staff) => {
    await setPricesIncludeTax(actorOf(staff), pricesIncludeTax);
    return { ok: true, message: pricesIncludeTax ? "Prices now include tax" : "Prices now exclude tax" };
  },
);

export const createDiscountCodeAction = guarded(
  "catalog.write",
  discountCodeFormInput,
  async (input, staff): Promise<PricingSaveResult> => {
    const parsed = parseDiscountCodeForm(input, SHOP_CURRENCY);
    if (!parsed.ok) return notSaved(parsed.fieldErrors);
    const result = await createDiscountCode(actorOf(staff), parsed.data);
    return result.ok ? { ...result, message: `Code ${parsed.data.code} created` } : result;
  },
);

export const updateDiscountCodeAction = guarded(
  "catalog.write",
  discountCodeFormInput.extend(pricingId.shape),
  async ({ id, ...input }, staff): Promise<PricingSaveResult> => {
    const parsed = parseDiscountCodeForm(input, SHOP_CURRENCY);
    if (!parsed.ok) return notSaved(parsed.fieldErrors);
    const result = await updateDiscountCode(actorOf(staff), id, parsed.data);
    return result.ok ? { ...result, message: "Saved" } : result;
  },
);

/** Deletes an unused code; one with uses is deactivated so orders keep their history. */
export const removeDiscountCodeAction = guarded("catalog.write", pricingId, async ({ id }, staff): Promise<PricingSaveResult> => {
  const result = await removeDiscountCode(actorOf(staff), id);
  if (!result.ok) return result;
  return { ok: true, id, message: result.outcome === "deleted" ? "Code deleted" : "The code has uses, so it was deactivated instead" };
});

export const createShippingZoneAction = guarded(
  "catalog.write",
  shippingZoneFormInput,
  async (input, staff): Promise<PricingSaveResult> => {
    const parsed = parseShippingZoneForm(input);
    if (!parsed.ok) return notSaved(parsed.fieldErrors);
    const result = await createShippingZone(actorOf(staff), parsed.data);
    return result.ok ? { ...result, message: "Zone created" } : result;
  },
);

export const updateShippingZoneAction = guarded(
  "catalog.write",
  shippingZoneFormInput.extend(pricingId.shape),
  async ({ id, ...input }, staff): Promise<PricingSaveResult> => {
    const parsed = parseShippingZoneForm(input);
    if (!parsed.ok) return notSaved(parsed.fieldErrors);
    const result = await updateShippingZone(actorOf(staff), id, parsed.data);
    return result.ok ? { ...result, message: "Saved" } : result;
  },
);

export const deleteShippingZoneAction = guarded("catalog.write", pricingId, async ({ id }, staff): Promise<PricingSaveResult> => {
  const result = await deleteShippingZone(actorOf(staff), id);
  return result.ok ? { ...result, message: "Zone and its rates deleted" } : result;
});

export const createShippingRateAction = guarded(
  "catalog.write",
  shippingRateFormInput.extend({ zoneId: z.string().min(1).max(64) }),
  async ({ zoneId, ...input }, staff): Promise<PricingSaveResult> => {
    const parsed = parseShippingRateForm(input, SHOP_CURRENCY);
    if (!parsed.ok) return notSaved(parsed.fieldErrors);
    const result = await createShippingRate(actorOf(staff), zoneId, parsed.data);
    return result.ok ? { ...result, message: "Rate created" } : result;
  },
);

export const updateShippingRateAction = guarded(
  "catalog.write",
  shippingRateFormInput.extend(pricingId.shape),
  async ({ id, ...input }, staff): Promise<PricingSaveResult> => {
    const parsed = parseShippingRateForm(input, SHOP_CURRENCY);
    if (!parsed.ok) return notSaved(parsed.fieldErrors);
    const result = await updateShippingRate(actorOf(staff), id, parsed.data);
    return result.ok ? { ...result, message: "Saved" } : result;
  },
);

export const deleteShippingRateAction = guarded("catalog.write", pricingId, async ({ id }, staff): Promise<PricingSaveResult> => {
  const result = await deleteShippingRate(actorOf(staff), id);
  return result.ok ? { ...result, message: "Rate deleted" } : result;
});

export const createTaxRateAction = guarded("catalog.write", taxRateFormInput, async (input, staff): Promise<PricingSaveResult> => {
  const parsed = parseTaxRateForm(input);
  if (!parsed.ok) return notSaved(parsed.fieldErrors);
  const result = await createTaxRate(actorOf(staff), parsed.data);
  return result.ok ? { ...result, message: "Tax rate created" } : result;
});

export const updateTaxRateAction = guarded(
  "catalog.write",
  taxRateFormInput.extend(pricingId.shape),
  async ({ id, ...input }, staff): Promise<PricingSaveResult> => {
    const parsed = parseTaxRateForm(input);
    if (!parsed.ok) return notSaved(parsed.fieldErrors);
    const result = await updateTaxRate(actorOf(staff), id, parsed.data);
    return result.ok ? { ...result, message: "Saved" } : result;
  },
);

export const deleteTaxRateAction = guarded("catalog.write", pricingId, async ({ id }, staff): Promise<PricingSaveResult> => {
  const result = await deleteTaxRate(actorOf(staff), id);
  return result.ok ? { ...result, message: "Tax rate deleted" } : result;
});
