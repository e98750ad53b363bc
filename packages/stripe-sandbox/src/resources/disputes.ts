// Disputes: opened by the dispute test cards right after their charge succeeds; retrieve, list, update with
// evidence (Stripe's test values winning_evidence / losing_evidence decide the outcome), close (accept the loss).
import type Stripe from "stripe";
import { secretKeyRequired } from "../auth.js";
import type { Core, Ctx, HandlerResult } from "../context.js";
import { invalidRequest, ranError, resourceMissing } from "../errors.js";
import { changedFields } from "../events.js";
import { expand, expandList } from "../expand.js";
import type { FormObject } from "../form.js";
import { newId, nowSeconds } from "../ids.js";
import { createdFilter, LIST_PARAMS, paginate } from "../list.js";
import { assertKnown, readBool, readList, readObject, readString, type Shape } from "../params.js";
import { applyMetadata } from "../rules.js";
import type { CardBehaviour } from "./test-cards.js";

type Dispute = Stripe.Dispute;

/** The evidence fields Stripe takes as text (file fields take a file_ id, also text on the wire). */
const EVIDENCE_FIELDS = [
  "access_activity_log",
  "billing_address",
  "cancellation_policy",
  "cancellation_policy_disclosure",
  "cancellation_rebuttal",
  "customer_communication",
  "customer_email_address",
  "customer_name",
  "customer_purchase_ip",
  "customer_signature",
  "duplicate_charge_documentation",
  "duplicate_charge_explanation",
  "duplicate_charge_id",
  "product_description",
  "receipt",
  "refund_policy",
  "refund_policy_disclosure",
  "refund_refusal_explanation",
  "service_date",
  "service_documentation",
  "shipping_address",
  "shipping_carrier",
  "shipping_date",
  "shipping_documentation",
  "shipping_tracking_number",
  "uncategorized_file",
  "uncategorized_text",
] as const;

type EvidenceField = (typeof EVIDENCE_FIELDS)[number];

const UPDATE: Shape = {
  evidence: Object.fromEntries(EVIDENCE_FIELDS.map((f) => [f, "scalar"])),
  metadata: "hash",
  submit: "scalar",
  expand: "list",
};

/** Stripe's test evidence values: this text in `uncategorized_text` decides the dispute in test mode. */
const WINNING = "winning_evidence";
const LOSING = "losing_evidence";

/** A dispute's response window; Stripe gives about a week in test mode. */
const RESPONSE_WINDOW_SECONDS = 7 * 24 * 60 * 60;

const CLOSED: Stripe.Dispute.Status[] = ["won", "lost", "warning_closed"];

function emptyEvidence(): Stripe.Dispute.Evidence {
  const evidence = Object.fromEntries(EVIDENCE_FIELDS.map((f) => [f, null])) as Record<EvidenceField, null>;
  return { ...evidence, enhanced_evidence: {} };
}

/** After a dispute test card's charge succeeded: the Dispute, `disputed` on the charge, and its events. */
export function openTestDispute(core: Core, charge: Stripe.Charge, behaviour: CardBehaviour): void {
  if (behaviour.kind !== "succeeds" || !behaviour.dispute) return;
  const inquiry = behaviour.dispute === "inquiry";
  const card = charge.payment_method_details?.card;
  // Visa's codes: 10.4 other fraud (card-absent), 13.1 merchandise not received.
  const reasonCode = inquiry ? null : behaviour.dispute === "fraudulent" ? "10.4" : "13.1";
  const dispute: Dispute = {
    id: newId("du"),
    object: "dispute",
    amount: charge.amount,
    balance_transactions: [],
    charge: charge.id,
    created: nowSeconds(),
    currency: charge.currency,
    enhanced_eligibility_types: [],
    evidence: emptyEvidence(),
    evidence_details: {
      due_by: nowSeconds() + RESPONSE_WINDOW_SECONDS,
      enhanced_eligibility: {},
      has_evidence: false,
      past_due: false,
      submission_count: 0,
      submission_method: "not_submitted",
    },
    intended_submission_method: null,
    // An inquiry is not yet a chargeback: the charge may still be refunded to end it.
    is_charge_refundable: inquiry,
    livemode: false,
    metadata: {},
    network_reason_code: reasonCode,
    payment_intent: typeof charge.payment_intent === "string" ? charge.payment_intent : (charge.payment_intent?.id ?? null),
    payment_method_details: {
      type: "card",
      card: {
        brand: card?.brand ?? "visa",
        case_type: inquiry ? "inquiry" : "chargeback",
        network: card?.network ?? "visa",
        network_reason_code: reasonCode,
      },
    },
    reason: inquiry ? "general" : behaviour.dispute,
    status: inquiry ? "warning_needs_response" : "needs_response",
  };
  core.store.t.disputes.put(dispute);
  charge.disputed = true;
  core.emit("charge.dispute.created", dispute);
  // A chargeback takes the money back at once; an inquiry moves no funds.
  if (!inquiry) core.emit("charge.dispute.funds_withdrawn", dispute);
}

function load(ctx: Ctx): Dispute {
  const dispute = ctx.store.t.disputes.get(ctx.path.id!);
  if (!dispute) throw resourceMissing("dispute", ctx.path.id!);
  return dispute;
}

function render(ctx: Ctx, dispute: Dispute): Dispute {
  return expand(ctx.store, dispute, readList(ctx.params, "expand") ?? []);
}

function closedError(dispute: Dispute) {
  return ranError(invalidRequest(`This dispute is already closed (status ${dispute.status}) and can no longer be changed.`));
}

export function retrieveDispute(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  assertKnown(ctx.params, { expand: "list" });
  return { body: render(ctx, load(ctx)) };
}

export function listDisputes(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  assertKnown(ctx.params, { ...LIST_PARAMS, charge: "scalar", payment_intent: "scalar" });
  const created = createdFilter(ctx.params);
  const charge = readString(ctx.params, "charge");
  const intent = readString(ctx.params, "payment_intent");
  const rows = ctx.store.t.disputes
    .newestFirst()
    .filter((d) => created(d.created) && (!charge || d.charge === charge) && (!intent || d.payment_intent === intent));
  const page = paginate(ctx.params, rows, ctx.url, "dispute");
  return { body: { ...page, data: expandList(ctx.store, page.data, readList(ctx.params, "expand") ?? []) } };
}

/**
 * Evidence is merged field by field ("" clears one). `submit` (default true) sends everything on file to the
 * bank: the dispute goes under review, and Stripe's test values decide it a moment later (`dispute_decision`).
 */
export function updateDispute(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  const p = ctx.params;
  assertKnown(p, UPDATE);
  const dispute = load(ctx);
  const evidence = readObject(p, "evidence");
  const submit = readBool(p, "submit") ?? true;
  if (CLOSED.includes(dispute.status) && (evidence !== undefined || p.submit !== undefined)) throw closedError(dispute);
  // Every field is read before any is applied, so a bad one leaves the dispute untouched.
  const fields = evidence
    ? EVIDENCE_FIELDS.map((field) => [field, readString(evidence, field, { unsettable: true, name: `evidence[${field}]` })] as const)
    : [];
  const before = structuredClone(dispute);
  if (evidence) {
    for (const [field, value] of fields) if (value !== undefined) dispute.evidence[field] = value;
    dispute.evidence_details.has_evidence = EVIDENCE_FIELDS.some((f) => dispute.evidence[f] !== null);
  }
  dispute.metadata = applyMetadata(dispute.metadata, p.metadata as FormObject | "" | undefined);
  const submitting = submit && evidence !== undefined && !CLOSED.includes(dispute.status);
  if (submitting) {
    dispute.evidence_details.submission_count += 1;
    dispute.evidence_details.submission_method = "manual";
    dispute.status = dispute.status.startsWith("warning_") ? "warning_under_review" : "under_review";
  }
  const changed = changedFields(before, dispute);
  if (Object.keys(changed).length > 0) ctx.emit("charge.dispute.updated", dispute, changed);
  const text = dispute.evidence.uncategorized_text;
  if (submitting && (text === WINNING || text === LOSING)) ctx.schedule("dispute_decision", dispute.id);
  return { body: render(ctx, dispute) };
}

/** Accepting the dispute: lost at once (an inquiry simply closes), irreversible. */
export function closeDispute(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  assertKnown(ctx.params, { expand: "list" });
  const dispute = load(ctx);
  if (CLOSED.includes(dispute.status)) throw closedError(dispute);
  const before = structuredClone(dispute);
  dispute.status = dispute.status.startsWith("warning_") ? "warning_closed" : "lost";
  ctx.emit("charge.dispute.closed", dispute, changedFields(before, dispute));
  return { body: render(ctx, dispute) };
}

/**
 * The bank's answer to submitted test evidence: winning_evidence wins (the money comes back with
 * charge.dispute.funds_reinstated), losing_evidence loses. A dispute closed in the meantime stays as it is.
 */
export function decideDispute(core: Core, id: string): void {
  const dispute = core.store.t.disputes.get(id);
  if (!dispute || !dispute.status.endsWith("under_review")) return;
  const text = dispute.evidence.uncategorized_text;
  if (text !== WINNING && text !== LOSING) return;
  const before = structuredClone(dispute);
  const inquiry = dispute.status === "warning_under_review";
  dispute.status = inquiry ? "warning_closed" : text === WINNING ? "won" : "lost";
  core.emit("charge.dispute.closed", dispute, changedFields(before, dispute));
  if (dispute.status === "won") core.emit("charge.dispute.funds_reinstated", dispute);
}
