// Refunds: full or partial, by payment_intent or charge; they update the charge and announce it.
import type Stripe from "stripe";
import { secretKeyRequired } from "../auth.js";
import type { Ctx, HandlerResult } from "../context.js";
import { invalidRequest, ranError, resourceMissing } from "../errors.js";
import { changedFields } from "../events.js";
import { expand, expandList } from "../expand.js";
import type { FormObject } from "../form.js";
import { newId, nowSeconds } from "../ids.js";
import { createdFilter, LIST_PARAMS, paginate } from "../list.js";
import { assertKnown, readEnum, readInt, readList, readString } from "../params.js";
import { applyMetadata, formatAmount } from "../rules.js";

/** The charge a refund request points at, directly or through its intent's latest charge. */
function chargeToRefund(ctx: Ctx): Stripe.Charge {
  const chargeId = readString(ctx.params, "charge");
  const intentId = readString(ctx.params, "payment_intent");
  if (chargeId && intentId)
    throw invalidRequest("You may only specify one of these parameters: charge, payment_intent.", { param: "charge" });
  if (chargeId) {
    const charge = ctx.store.t.charges.get(chargeId);
    if (!charge) throw resourceMissing("charge", chargeId, "charge");
    return charge;
  }
  if (!intentId)
    throw invalidRequest("One of the following params should be provided for this request: payment_intent or charge.", {
      code: "parameter_missing",
    });
  const pi = ctx.store.t.payment_intents.get(intentId);
  if (!pi) throw resourceMissing("payment_intent", intentId, "payment_intent");
  const charge = typeof pi.latest_charge === "string" ? ctx.store.t.charges.get(pi.latest_charge) : undefined;
  if (pi.status !== "succeeded" || !charge) {
    throw ranError(
      invalidRequest(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, {
        param: "payment_intent",
        code: "charge_not_refundable",
      }),
    );
  }
  return charge;
}

export function createRefund(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  const p = ctx.params;
  // Documented but refused as unknown (README "Parameters, endpoint by endpoint"): `origin`, `customer` and `currency`
  // refund a customer balance, and `refund_application_fee` and `reverse_transfer` concern Connect; the sandbox has
  // neither.
  assertKnown(p, {
    charge: "scalar",
    payment_intent: "scalar",
    amount: "scalar",
    reason: "scalar",
    metadata: "hash",
    instructions_email: "scalar",
    expand: "list",
  });
  const reason = readEnum(p, "reason", ["duplicate", "fraudulent", "requested_by_customer"] as const) ?? null;
  const requested = readInt(p, "amount");
  const metadata = applyMetadata({}, p.metadata as FormObject | "" | undefined);
  const charge = chargeToRefund(ctx);
  if (!charge.paid || !charge.captured) {
    throw ranError(
      invalidRequest(`Charge ${charge.id} has not been captured or did not succeed, so it cannot be refunded.`, {
        param: "charge",
        code: "charge_not_refundable",
      }),
    );
  }
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining <= 0) throw ranError(invalidRequest(`Charge ${charge.id} has already been refunded.`, { code: "charge_already_refunded" }));
  const amount = requested ?? remaining;
  if (amount < 1) throw invalidRequest("This value must be greater than or equal to 1.", { param: "amount" });
  if (amount > remaining) {
    throw ranError(
      invalidRequest(
        `Refund amount (${formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, charge.currency)})`,
        { param: "amount", code: "amount_too_large" },
      ),
    );
  }
  const refund: Stripe.Refund = {
    id: newId("re"),
    object: "refund",
    amount,
    balance_transaction: newId("txn"),
    charge: charge.id,
    created: nowSeconds(),
    currency: charge.currency,
    customer: typeof charge.customer === "string" ? charge.customer : null,
    customer_account: null,
    destination_details: {
      card: { reference_status: "pending", reference_type: "acquirer_reference_number", type: "refund" },
      type: "card",
    },
    metadata,
    payment_intent: typeof charge.payment_intent === "string" ? charge.payment_intent : null,
    payment_method: charge.payment_method,
    reason,
    receipt_number: null,
    source_transfer_reversal: null,
    // Card refunds in test mode succeed at once.
    status: "succeeded",
    transfer_reversal: null,
  } satisfies Stripe.Refund;
  ctx.store.t.refunds.put(refund);
  const before = structuredClone(charge);
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded === charge.amount;
  ctx.emit("refund.created", refund);
  ctx.emit("charge.refunded", charge, changedFields(before, charge));
  return { body: expand(ctx.store, refund, readList(p, "expand") ?? []) };
}

export function retrieveRefund(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  assertKnown(ctx.params, { expand: "list" });
  const refund = ctx.store.t.refunds.get(ctx.path.id!);
  if (!refund) throw resourceMissing("refund", ctx.path.id!);
  return { body: expand(ctx.store, refund, readList(ctx.params, "expand") ?? []) };
}

/** Only metadata can change on a refund; the change is announced as refund.updated. */
export function updateRefund(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  assertKnown(ctx.params, { metadata: "hash", expand: "list" });
  const refund = ctx.store.t.refunds.get(ctx.path.id!);
  if (!refund) throw resourceMissing("refund", ctx.path.id!);
  const before = structuredClone(refund);
  refund.metadata = applyMetadata(refund.metadata ?? {}, ctx.params.metadata as FormObject | "" | undefined);
  const changed = changedFields(before, refund);
  if (Object.keys(changed).length > 0) ctx.emit("refund.updated", refund, changed);
  return { body: expand(ctx.store, refund, readList(ctx.params, "expand") ?? []) };
}

export function listRefunds(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  assertKnown(ctx.params, { ...LIST_PARAMS, charge: "scalar", payment_intent: "scalar" });
  const created = createdFilter(ctx.params);
  const charge = readString(ctx.params, "charge");
  const intent = readString(ctx.params, "payment_intent");
  const rows = ctx.store.t.refunds
    .newestFirst()
    .filter((r) => created(r.created) && (!charge || r.charge === charge) && (!intent || r.payment_intent === intent));
  const page = paginate(ctx.params, rows, ctx.url, "refund");
  return { body: { ...page, data: expandList(ctx.store, page.data, readList(ctx.params, "expand") ?? []) } };
}
