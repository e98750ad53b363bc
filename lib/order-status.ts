// The order's payment state machine, as pure functions: what Stripe's news does to an order.
// Forward-only: a late, repeated or out-of-order signal never moves an order backwards, with one exception: a
// payment under way (processing) that ends unpaid returns the order to pending, so it can be paid again.
import type { DisputeSignal } from "@/lib/dispute-rules";

export const ORDER_STATUSES = ["pending", "processing", "paid", "partially_refunded", "refunded", "canceled"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The statuses of an order whose payment was taken (refunds included): the one definition of "paid". */
export const PAID_STATUSES = ["paid", "partially_refunded", "refunded"] as const satisfies readonly OrderStatus[];

/** The statuses of an order still waiting for its payment (the cart's checkout): the one definition of "open". */
export const OPEN_STATUSES = ["pending", "processing"] as const satisfies readonly OrderStatus[];

/** The order fields a payment signal can change. */
export type OrderPaymentState = {
  status: OrderStatus;
  total: number;
  currency: string;
  amountRefunded: number;
  stockReserved: boolean;
};

/** What Stripe says about the order's PaymentIntent, reduced to what the shop acts on. */
export type PaymentSignal =
  | {
      kind: "intent";
      /** Stripe's intent status; statuses Stripe may add later change nothing. */
      status:
        | "requires_payment_method"
        | "requires_confirmation"
        | "requires_action"
        | "processing"
        | "requires_capture"
        | "succeeded"
        | "canceled"
        | (string & {});
      amountReceived: number;
      currency: string;
      /** Set on a payment_intent.payment_failed event: counts one failed attempt. */
      failure?: { message: string };
    }
  | {
      kind: "charge";
      paid: boolean;
      captured: boolean;
      amountCaptured: number;
      amountRefunded: number;
      currency: string;
    }
  // A dispute moves no payment state; lib/disputes.ts keeps it (applied from lib/orders.ts applyPaymentEvent).
  | DisputeSignal;

export type OrderPaymentUpdate = {
  status?: OrderStatus;
  markPaidNow?: boolean;
  markCanceledNow?: boolean;
  amountRefunded?: number;
  /** The reserved stock goes back on the shelf. */
  releaseStock?: boolean;
  /** The reservation became a sale: stock stays taken, nothing is held any more. */
  consumeReservation?: boolean;
  /** The cart the order came from is closed so it can never be paid again. */
  closeCart?: boolean;
  recordFailure?: string;
  attention?: string;
  /** One line for the admin timeline. */
  outcome: string;
};

const PAID_OR_LATER: ReadonlySet<OrderStatus> = new Set(PAID_STATUSES);
const OPEN: ReadonlySet<OrderStatus> = new Set(OPEN_STATUSES);

/** The status as words for people ("partially refunded"). */
export function statusLabel(status: OrderStatus): string {
  return status.replace("_", " ");
}

export function isPaid(status: OrderStatus): boolean {
  return PAID_OR_LATER.has(status);
}

export function isOpen(status: OrderStatus): boolean {
  return OPEN.has(status);
}

function received(order: OrderPaymentState, amount: number, currency: string): OrderPaymentUpdate {
  if (!isOpen(order.status)) {
    return order.status === "canceled"
      ? { attention: `Stripe reports a payment of ${amount} ${currency} for this canceled order`, outcome: "payment for a canceled order" }
      : { outcome: "already paid" };
  }
  // Never accept a payment that does not match what the order charges (e.g. a stale amount).
  if (amount !== order.total || currency.toLowerCase() !== order.currency.toLowerCase()) {
    return {
      attention: `Amount mismatch: Stripe received ${amount} ${currency.toLowerCase()}, the order total is ${order.total} ${order.currency}`,
      outcome: "amount mismatch flagged",
    };
  }
  return { status: "paid", markPaidNow: true, consumeReservation: order.stockReserved, closeCart: true, outcome: "paid" };
}

function refunded(order: OrderPaymentState, amountRefunded: number): OrderPaymentUpdate | undefined {
  // Refund totals only grow; an older snapshot with a smaller total changes nothing.
  if (amountRefunded <= order.amountRefunded) return undefined;
  const capped = Math.min(amountRefunded, order.total);
  return {
    amountRefunded: capped,
    status: capped >= order.total ? "refunded" : "partially_refunded",
    outcome: capped >= order.total ? "refunded in full" : `refunded ${capped} of ${order.total}`,
  };
}

export function planPaymentUpdate(order: OrderPaymentState, signal: PaymentSignal): OrderPaymentUpdate {
  if (signal.kind === "dispute") return { outcome: "no change" };
  if (signal.kind === "intent") {
    switch (signal.status) {
      case "succeeded":
        return received(order, signal.amountReceived, signal.currency);
      case "processing":
        return order.status === "pending" ? { status: "processing", outcome: "payment processing" } : { outcome: "no change" };
      case "canceled":
        return isOpen(order.status)
          ? { status: "canceled", markCanceledNow: true, releaseStock: order.stockReserved, outcome: "canceled" }
          : { outcome: "no change" };
      case "requires_payment_method": {
        // A payment that was under way (a bank debit) has ended without paying: the order waits for a new
        // one again, so the shopper can try again. This is the one step back from processing, and only to
        // pending; Stripe's current state (a later sync) repairs a stale processing event applied after it.
        const back: Partial<OrderPaymentUpdate> = order.status === "processing" ? { status: "pending" } : {};
        if (signal.failure && !isPaid(order.status) && order.status !== "canceled") {
          return { ...back, recordFailure: signal.failure.message, outcome: `payment failed: ${signal.failure.message}` };
        }
        return back.status ? { ...back, outcome: "payment no longer under way" } : { outcome: "no change" };
      }
      default:
        return { outcome: "no change" };
    }
  }

  // A charge snapshot: a captured charge is proof of payment even if the intent's own event is late.
  let update: OrderPaymentUpdate = { outcome: "no change" };
  let state = order;
  if (signal.paid && signal.captured && isOpen(order.status)) {
    update = received(order, signal.amountCaptured, signal.currency);
    if (update.status) state = { ...order, status: update.status, stockReserved: false };
  }
  if (isPaid(state.status)) {
    const refund = refunded(state, signal.amountRefunded);
    if (refund) {
      const outcome = update.status ? `${update.outcome}; ${refund.outcome}` : refund.outcome;
      update = { ...update, ...refund, outcome };
    }
  }
  return update;
}
