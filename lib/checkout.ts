import "server-only";
import { z } from "zod";
import { parseCartId, saleProblem } from "@/lib/cart";
import { prisma } from "@/lib/db";
import { adjustReservation, OutOfStockError } from "@/lib/inventory";
import { multiply, sum } from "@/lib/money";
import { newOrderNumber } from "@/lib/order-number";
import { releaseExpiredReservations, syncOrderWithStripe } from "@/lib/orders";
import { isStripeError, stripeRequestId } from "@/lib/payments/client";
import { holdsClientSecret, intentForOrder } from "@/lib/payments/intents";
import { isPaid, type OrderStatus } from "@/lib/order-status";
import { SHIPPING_METHOD_IDS, shippingCost } from "@/lib/shipping";
import { stripeEnv } from "@/lib/env";

// Checkout: turns the shopper's open cart into an Order with its stock reserved and a PaymentIntent that
// charges exactly the order's total, computed here from database prices. Re-running it after the cart
// changed updates the same order, its reservation and its intent.

export const COUNTRIES = { US: "United States", CA: "Canada", GB: "United Kingdom", DE: "Germany", FR: "France", NL: "Netherlands", AU: "Australia" } as const;
type CountryCode = keyof typeof COUNTRIES;

const text = (label: string, max: number) =>
  z.string({ error: `${label} is required` }).trim().min(1, `${label} is required`).max(max, `${label} is too long (at most ${max} characters)`);
const optionalText = (label: string, max: number) =>
  z.string().trim().max(max, `${label} is too long (at most ${max} characters)`).optional().transform((v) => (v ? v : null));

export const checkoutInput = z
  .object({
    email: z.string({ error: "Email is required" }).trim().min(1, "Email is required").max(254, "Email is too long").email("Enter a valid email address"),
    name: text("Full name", 100),
    line1: text("Address", 200),
    line2: optionalText("Address line 2", 200),
    city: text("City", 100),
    state: optionalText("State or region", 100),
    postalCode: text("Postal code", 20),
    country: z.enum(Object.keys(COUNTRIES) as [CountryCode, ...CountryCode[]], { error: "Choose a country we ship to" }),
    shippingMethod: z.enum(SHIPPING_METHOD_IDS, { error: "Choose a shipping method" }),
  })
  .superRefine((value, ctx) => {
    // US ZIP codes are checked for shape: a typo here means a parcel that never arrives.
    if (value.country === "US" && !/^\d{5}(-\d{4})?$/.test(value.postalCode)) {
      ctx.addIssue({ code: "custom", path: ["postalCode"], message: "Enter a 5-digit ZIP code" });
    }
  });
export type CheckoutInput = z.infer<typeof checkoutInput>;
export type CheckoutField = keyof CheckoutInput;

export type OrderSummaryLine = { productId: string; name: string; unitPrice: number; quantity: number; lineTotal: number };
export type OrderSummary = {
  orderId: string;
  orderNumber: string;
  lines: OrderSummaryLine[];
  subtotal: number;
  shippingCost: number;
  tax: number;
  total: number;
  currency: string;
};

export type CheckoutResult =
  | { ok: true; clientSecret: string; summary: OrderSummary }
  | { ok: false; error: string; fieldErrors?: Partial<Record<CheckoutField, string>>; paidOrderId?: string };

class CheckoutRefusal extends Error {}

// Checkouts for the same products queue on their stock rows, and the transaction includes Stripe's update
// of the intent; under a rush they wait their turn rather than fail (Prisma's defaults give up after 2 s
// waiting for a connection and 5 s running).
const CHECKOUT_TRANSACTION = { maxWait: 15_000, timeout: 45_000 };

function fieldErrorsOf(error: z.ZodError): Partial<Record<CheckoutField, string>> {
  const errors: Partial<Record<CheckoutField, string>> = {};
  for (const issue of error.issues) {
    const field = issue.path[0] as CheckoutField | undefined;
    if (field && !errors[field]) errors[field] = issue.message;
  }
  return errors;
}

/** Creates or updates the cart's pending order, reserves its stock, and returns a payable intent for it. */
export async function startCheckout(rawCartId: unknown, rawInput: unknown): Promise<CheckoutResult> {
  const parsed = checkoutInput.safeParse(rawInput);
  if (!parsed.success) return { ok: false, error: "Please correct the highlighted fields", fieldErrors: fieldErrorsOf(parsed.error) };
  const input = parsed.data;
  const cartId = parseCartId(rawCartId);
  if (!cartId) return { ok: false, error: "Your cart is empty" };

  // Abandoned checkouts give their stock back before this one competes for it.
  await releaseExpiredReservations();

  try {
    const { clientSecret, summary } = await prepareOrder(cartId, input);
    return { ok: true, clientSecret, summary };
  } catch (error) {
    if (error instanceof OutOfStockError || error instanceof CheckoutRefusal) return { ok: false, error: error.message };
    if (error instanceof PaymentUnderway) {
      const { status } = await syncOrderWithStripe(error.orderId);
      return status && isPaid(status)
        ? { ok: false, error: "This order is already paid", paidOrderId: error.orderId }
        : { ok: false, error: "Your payment is being processed; we will email you when it completes" };
    }
    if (!isStripeError(error)) throw error;
    // Stripe's request id lets support trace the call; the key and client secret are never logged.
    console.error(`checkout: Stripe refused the payment set-up (request ${stripeRequestId(error) ?? "unknown"}): ${error.message}`);
    return { ok: false, error: "We could not set up the payment. Please try again in a moment." };
  }
}

/** The order's intent was paid, or is being paid, while the shopper changed the cart. */
class PaymentUnderway extends Error {
  constructor(readonly orderId: string) {
    super("The order's payment is already under way");
  }
}

/**
 * The cart's pending order brought up to date with the cart, inside one transaction that holds the cart's
 * row lock: the reservation moves to the current lines and the intent to the new total, or nothing changes.
 * The intent is updated before the transaction commits, so if the shopper paid the previous total in the
 * meantime Stripe refuses the update and the paid order's contents are never rewritten.
 */
async function prepareOrder(cartId: string, input: CheckoutInput) {
  const minutes = stripeEnv().CHECKOUT_RESERVATION_MINUTES;
  return prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Cart" WHERE id = ${cartId} AND status = 'open' FOR UPDATE`;
    if (locked.length === 0) throw new CheckoutRefusal("Your cart is empty");
    const items = await tx.cartItem.findMany({ where: { cartId }, include: { product: true }, orderBy: { createdAt: "asc" } });
    if (items.length === 0) throw new CheckoutRefusal("Your cart is empty");

    const current = await tx.order.findFirst({
      where: { cartId, status: { in: ["pending", "processing"] } },
      include: { items: true },
      orderBy: { createdAt: "desc" },
    });
    if (current?.status === "processing") throw new PaymentUnderway(current.id);

    const lines: OrderSummaryLine[] = [];
    for (const { product, quantity } of items) {
      // Stock is checked by the reservation itself, which counts this cart's earlier hold as its own.
      const problem = saleProblem(product);
      if (problem) throw new CheckoutRefusal(`${problem}. Remove it from your cart to continue.`);
      lines.push({ productId: product.id, name: product.name, unitPrice: product.price, quantity, lineTotal: multiply(product.price, quantity) });
    }
    const currency = items[0]!.product.currency;
    const subtotal = sum(...lines.map((l) => l.lineTotal));
    const shipping = shippingCost(input.shippingMethod, subtotal);
    const tax = 0;
    const total = sum(subtotal, shipping, tax);

    // Our own earlier reservation counts as ours: only the difference is taken or given back.
    await adjustReservation(tx, current?.stockReserved ? current.items : [], lines);

    const fields = {
      email: input.email,
      shippingName: input.name,
      shippingLine1: input.line1,
      shippingLine2: input.line2,
      shippingCity: input.city,
      shippingState: input.state,
      shippingPostalCode: input.postalCode,
      shippingCountry: input.country,
      shippingMethod: input.shippingMethod,
      currency,
      subtotal,
      shippingCost: shipping,
      tax,
      total,
      stockReserved: true,
      reservedUntil: new Date(Date.now() + minutes * 60_000),
      items: { create: lines.map(({ productId, name, unitPrice, quantity }) => ({ productId, name, unitPrice, quantity })) },
    };
    if (current) await tx.orderItem.deleteMany({ where: { orderId: current.id } });
    const order = current
      ? await tx.order.update({ where: { id: current.id }, data: fields })
      : await tx.order.create({ data: { ...fields, number: newOrderNumber(), cartId } });

    let intent;
    try {
      intent = await intentForOrder({
        id: order.id,
        number: order.number,
        cartId,
        email: input.email,
        total,
        currency,
        paymentIntentId: order.paymentIntentId,
        shipping: input,
      });
    } catch (error) {
      // Confirmed between our read and our update: Stripe refuses to change a paid intent.
      if (isStripeError(error) && error.code === "payment_intent_unexpected_state") throw new PaymentUnderway(order.id);
      throw error;
    }
    if (!intent.ok) throw new PaymentUnderway(order.id);
    if (intent.paymentIntentId !== order.paymentIntentId) {
      await tx.cart.update({ where: { id: cartId }, data: { paymentIntentId: intent.paymentIntentId } });
      await tx.order.update({ where: { id: order.id }, data: { paymentIntentId: intent.paymentIntentId } });
    }
    return {
      clientSecret: intent.clientSecret,
      summary: { orderId: order.id, orderNumber: order.number, lines, subtotal, shippingCost: shipping, tax, total, currency },
    };
  }, CHECKOUT_TRANSACTION);
}

export type RecheckResult =
  | { ok: true; changed: boolean; summary: OrderSummary }
  | { ok: false; error: string; paidOrderId?: string };

/**
 * Just before the browser confirms the payment: re-prices the order from the cart as it is now and updates
 * the intent's amount. `changed` tells the shopper to look again before paying.
 */
export async function recheckBeforePayment(rawCartId: unknown, orderId: string, displayedTotal: number): Promise<RecheckResult> {
  const cartId = parseCartId(rawCartId);
  const order = cartId ? await prisma.order.findFirst({ where: { id: orderId, cartId } }) : null;
  if (!order) return { ok: false, error: "This checkout has expired. Please start again from your cart." };
  const result = await startCheckout(cartId, {
    email: order.email,
    name: order.shippingName,
    line1: order.shippingLine1,
    line2: order.shippingLine2 ?? undefined,
    city: order.shippingCity,
    state: order.shippingState ?? undefined,
    postalCode: order.shippingPostalCode,
    country: order.shippingCountry,
    shippingMethod: order.shippingMethod,
  });
  if (!result.ok) return { ok: false, error: result.error, paidOrderId: result.paidOrderId };
  return { ok: true, changed: result.summary.total !== displayedTotal || result.summary.orderId !== orderId, summary: result.summary };
}

export type ReturnedOrder = {
  number: string;
  status: OrderStatus;
  email: string;
  total: number;
  currency: string;
  lastPaymentError: string | null;
  items: Array<{ name: string; quantity: number; unitPrice: number }>;
};

/**
 * The order the shopper returns to from Stripe, brought up to date from the PaymentIntent itself (never
 * from the redirect_status query). Only shown to the browser whose cart it is, or that holds the intent's
 * client secret.
 */
export async function orderOnReturn(rawCartId: unknown, paymentIntentId: string | null, clientSecret: string | null): Promise<ReturnedOrder | null> {
  const cartId = parseCartId(rawCartId);
  const order = paymentIntentId
    ? await prisma.order.findUnique({ where: { paymentIntentId }, select: { id: true, cartId: true } })
    : cartId
      ? await prisma.order.findFirst({ where: { cartId }, orderBy: { createdAt: "desc" }, select: { id: true, cartId: true } })
      : null;
  if (!order) return null;
  const owner =
    order.cartId === cartId ||
    (paymentIntentId !== null && clientSecret !== null && (await holdsClientSecret(paymentIntentId, clientSecret)));
  if (!owner) return null;

  const sync = await syncOrderWithStripe(order.id);
  const fresh = await prisma.order.findUniqueOrThrow({ where: { id: order.id }, include: { items: true } });
  return {
    number: fresh.number,
    status: fresh.status,
    email: fresh.email,
    total: fresh.total,
    currency: fresh.currency,
    lastPaymentError: sync.paymentError ?? fresh.lastPaymentError,
    items: fresh.items.map(({ name, quantity, unitPrice }) => ({ name, quantity, unitPrice })),
  };
}
