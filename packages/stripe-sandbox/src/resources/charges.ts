// Charges: one per payment attempt of an intent (succeeded or failed), captured, refunded; retrieve and list.
import type Stripe from "stripe";
import { secretKeyRequired } from "../auth.js";
import type { Core, Ctx, HandlerResult } from "../context.js";
import { resourceMissing } from "../errors.js";
import { changedFields } from "../events.js";
import { expand, expandList } from "../expand.js";
import { newId, nowSeconds } from "../ids.js";
import { createdFilter, LIST_PARAMS, paginate } from "../list.js";
import { assertKnown, readList, readString } from "../params.js";
import { DESCRIPTOR_PREFIX } from "../rules.js";
import { chargeDetails } from "./bank-methods.js";
import type { Decline } from "./test-cards.js";

export function calculatedDescriptor(pi: Stripe.PaymentIntent): string {
  if (pi.statement_descriptor) return pi.statement_descriptor;
  if (pi.statement_descriptor_suffix) return `${DESCRIPTOR_PREFIX}* ${pi.statement_descriptor_suffix}`;
  return DESCRIPTOR_PREFIX;
}

interface Attempt {
  /** Set when the card was declined. */
  decline?: Decline;
  /** The card went through a 3-D Secure challenge first. */
  authenticated: boolean;
  /** A bank debit that is submitted but not settled yet: `status: "pending"`, not paid (settleCharge finishes it). */
  pending?: boolean;
  /** The debit's mandate, shown in `payment_method_details`. */
  mandate?: string | null;
}

function cardDetails(pi: Stripe.PaymentIntent, pm: Stripe.PaymentMethod, attempt: Attempt): Stripe.Charge.PaymentMethodDetails {
  const ok = !attempt.decline;
  const card = pm.card!;
  return {
    type: "card",
    card: {
      amount_authorized: ok ? pi.amount : null,
      authorization_code: ok ? String(100000 + Math.floor(Math.random() * 900000)) : null,
      brand: card.brand,
      checks: card.checks,
      country: card.country,
      electronic_commerce_indicator: attempt.authenticated ? "05" : null,
      exp_month: card.exp_month,
      exp_year: card.exp_year,
      fingerprint: card.fingerprint ?? null,
      funding: card.funding,
      installments: null,
      last4: card.last4,
      mandate: null,
      network: card.brand,
      network_token: { used: false },
      network_transaction_id: ok ? String(Date.now()) : null,
      regulated_status: "unregulated",
      three_d_secure: attempt.authenticated
        ? {
            authentication_flow: "challenge",
            electronic_commerce_indicator: "05",
            exemption_indicator: null,
            result: "authenticated",
            result_reason: null,
            transaction_id: newId("src"),
            version: "2.2.0",
          }
        : null,
      transaction_link_id: null,
      wallet: null,
    },
  };
}

/** The charge for one confirmation attempt. Captured at once unless the intent uses manual capture. */
export function createCharge(core: Core, pi: Stripe.PaymentIntent, pm: Stripe.PaymentMethod, attempt: Attempt): Stripe.Charge {
  const ok = !attempt.decline;
  const captured = ok && pi.capture_method !== "manual";
  const charge: Stripe.Charge = {
    id: newId("ch"),
    object: "charge",
    amount: pi.amount,
    amount_captured: captured ? pi.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    // automatic_async attaches the balance transaction a moment later (with charge.updated).
    balance_transaction: captured && pi.capture_method === "automatic" && !attempt.pending ? newId("txn") : null,
    billing_details: pm.billing_details,
    calculated_statement_descriptor: calculatedDescriptor(pi),
    captured,
    created: nowSeconds(),
    currency: pi.currency,
    customer: typeof pi.customer === "string" ? pi.customer : (pi.customer?.id ?? null),
    description: pi.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: attempt.decline?.code ?? null,
    failure_message: attempt.decline?.message ?? null,
    fraud_details: {},
    livemode: false,
    // Stripe copies the intent's metadata onto the charge at creation only.
    metadata: { ...pi.metadata },
    on_behalf_of: null,
    outcome: ok
      ? {
          advice_code: null,
          network_advice_code: null,
          network_decline_code: null,
          network_status: "approved_by_network",
          reason: null,
          risk_level: "normal",
          risk_score: 32,
          seller_message: "Payment complete.",
          type: "authorized",
        }
      : {
          advice_code: null,
          network_advice_code: null,
          network_decline_code: null,
          network_status: "declined_by_network",
          reason: attempt.decline!.decline_code,
          risk_level: "normal",
          risk_score: 32,
          seller_message: "The bank did not return any further details with this decline.",
          type: "issuer_declined",
        },
    paid: ok && !attempt.pending,
    payment_intent: pi.id,
    payment_method: pm.id,
    payment_method_details: pm.type === "card" ? cardDetails(pi, pm, attempt) : chargeDetails(pm, attempt.mandate ?? null),
    radar_options: {},
    receipt_email: pi.receipt_email,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: pi.shipping,
    source: null,
    source_transfer: null,
    statement_descriptor: pi.statement_descriptor,
    statement_descriptor_suffix: pi.statement_descriptor_suffix,
    status: attempt.pending ? "pending" : ok ? "succeeded" : "failed",
    transfer_data: null,
    transfer_group: pi.transfer_group,
  } satisfies Stripe.Charge;
  return core.store.t.charges.put(charge);
}

/** A pending debit settles: paid with charge.succeeded, or failed with the bank's reason and charge.failed. */
export function settleCharge(core: Core, charge: Stripe.Charge, failure: Decline | undefined): void {
  const before = structuredClone(charge);
  if (failure) {
    charge.status = "failed";
    charge.captured = false;
    charge.amount_captured = 0;
    charge.failure_code = failure.code;
    charge.failure_message = failure.message;
    charge.outcome = {
      ...charge.outcome!,
      network_status: "declined_by_network",
      reason: failure.decline_code,
      seller_message: failure.message,
      type: "issuer_declined",
    };
    core.emit("charge.failed", charge, changedFields(before, charge));
    return;
  }
  charge.status = "succeeded";
  charge.paid = true;
  charge.balance_transaction = newId("txn");
  core.emit("charge.succeeded", charge, changedFields(before, charge));
}

export function retrieveCharge(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  assertKnown(ctx.params, { expand: "list" });
  const charge = ctx.store.t.charges.get(ctx.path.id!);
  if (!charge) throw resourceMissing("charge", ctx.path.id!);
  return { body: expand(ctx.store, charge, readList(ctx.params, "expand") ?? []) };
}

export function listCharges(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  assertKnown(ctx.params, { ...LIST_PARAMS, customer: "scalar", payment_intent: "scalar", transfer_group: "scalar" });
  const created = createdFilter(ctx.params);
  const customer = readString(ctx.params, "customer");
  const intent = readString(ctx.params, "payment_intent");
  // The sandbox's charges never have a transfer group (no Connect), so this filter matches none of them.
  const group = readString(ctx.params, "transfer_group");
  const rows = ctx.store.t.charges
    .newestFirst()
    .filter(
      (c) =>
        created(c.created) &&
        (!customer || c.customer === customer) &&
        (!intent || c.payment_intent === intent) &&
        (!group || c.transfer_group === group),
    );
  const page = paginate(ctx.params, rows, ctx.url, "charge");
  return { body: { ...page, data: expandList(ctx.store, page.data, readList(ctx.params, "expand") ?? []) } };
}
