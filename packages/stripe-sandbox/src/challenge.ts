// The pages where a customer answers for an intent outside the shop: the 3-D Secure test page (CONTRACT.md:
// "3-D Secure challenge page"; heading "3D Secure 2 Test Page", buttons Complete and Fail) and the bank's page of a
// redirect method such as iDEAL ("Authorize Test Payment" / "Fail Test Payment"). Both end the same way.
import type { Core } from "./context.js";
import { formatAmount } from "./rules.js";
import { completeAuthentication, failAuthentication, returnUrlOf } from "./resources/payment-intents.js";
import { completeSetupAuthentication, failSetupAuthentication } from "./resources/setup-intents.js";

export interface PageResult {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string, status = 200): PageResult {
  return {
    status,
    headers: { "Content-Type": "text/html; charset=utf-8" },
    body: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f6f9fc;color:#1a1f36}
main{max-width:420px;margin:40px auto;background:#fff;border-radius:8px;box-shadow:0 2px 8px rgba(0,0,0,.12);padding:24px}
h1{font-size:20px;margin:0 0 12px}p{line-height:1.5}
.actions{display:flex;gap:12px;margin-top:20px}
button{font:inherit;font-weight:600;padding:10px 18px;border-radius:6px;border:1px solid #635bff;cursor:pointer}
button.complete{background:#635bff;color:#fff}button.fail{background:#fff;color:#635bff}
button:focus-visible{outline:3px solid #0a2540;outline-offset:2px}
</style></head><body><main>${body}</main></body></html>`,
  };
}

function hidden(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join("");
}

/** What differs between the two pages: their wording and where their buttons post. */
export interface PageFlavour {
  heading: string;
  complete: string;
  fail: string;
  /** Path the buttons post to, `${base}/${id}/complete|fail`. */
  base: string;
  /** Sentence before the buttons; `subject` names what is paid or set up. */
  ask(subject: string, id: string): string;
}

export const THREE_D_SECURE: PageFlavour = {
  heading: "3D Secure 2 Test Page",
  complete: "Complete",
  fail: "Fail",
  base: "/3ds/challenge",
  ask: (subject, id) => `This is a test authentication page for ${subject} (${esc(id)}). Choose whether the cardholder authenticates.`,
};

export const BANK_REDIRECT: PageFlavour = {
  heading: "iDEAL test payment page",
  complete: "Authorize Test Payment",
  fail: "Fail Test Payment",
  base: "/redirect/authorize",
  ask: (subject, id) => `This is the test bank page for ${subject} (${esc(id)}). Choose whether the customer authorizes it at their bank.`,
};

function errorPage(message: string, status: number, flavour: PageFlavour = THREE_D_SECURE): PageResult {
  return page(flavour.heading, `<h1>${esc(flavour.heading)}</h1><p role="alert">${esc(message)}</p>`, status);
}

export interface ChallengeQuery {
  client_secret: string;
  return_url: string;
  mode: string;
}

/** An intent under authentication: a PaymentIntent (`pi_`) or a SetupIntent (`seti_`). */
interface Challenged {
  intent: { id: string; client_secret: string | null; status: string };
  /** Stripe's name for it in return_url parameters. */
  kind: "payment_intent" | "setup_intent";
  noun: "payment" | "card setup";
  /** What the page says is being authenticated (HTML). */
  subject: string;
  complete(): void;
  fail(): void;
}

function lookup(core: Core, id: string): Challenged | undefined {
  const si = core.store.t.setup_intents.get(id);
  if (si) {
    return {
      intent: si,
      kind: "setup_intent",
      noun: "card setup",
      subject: "saving a card for later payments",
      complete: () => completeSetupAuthentication(core, si),
      fail: () => failSetupAuthentication(core, si),
    };
  }
  const pi = core.store.t.payment_intents.get(id);
  if (!pi) return undefined;
  return {
    intent: pi,
    kind: "payment_intent",
    noun: "payment",
    subject: `a payment of <strong>${esc(formatAmount(pi.amount, pi.currency))}</strong>`,
    complete: () => completeAuthentication(core, pi),
    fail: () => failAuthentication(core, pi),
  };
}

function findIntent(core: Core, id: string, secret: string, flavour: PageFlavour) {
  const found = lookup(core, id);
  if (!found || found.intent.client_secret !== secret)
    return { error: errorPage("This authentication link is not valid: unknown payment or wrong client secret.", 404, flavour) };
  return { found };
}

export function renderChallenge(core: Core, id: string, q: ChallengeQuery, flavour: PageFlavour = THREE_D_SECURE): PageResult {
  const { found, error } = findIntent(core, id, q.client_secret, flavour);
  if (!found) return error;
  const pi = found.intent;
  if (pi.status !== "requires_action")
    return errorPage(`This ${found.noun} does not need authentication any more (status ${pi.status}).`, 409, flavour);
  const fields = hidden({ client_secret: q.client_secret, return_url: q.return_url, mode: q.mode });
  const action = `${flavour.base}/${esc(pi.id)}`;
  return page(
    flavour.heading,
    `<h1>${esc(flavour.heading)}</h1>
<p>${flavour.ask(found.subject, pi.id)}</p>
<div class="actions">
<form method="post" action="${action}/complete">${fields}<button type="submit" class="complete">${esc(flavour.complete)}</button></form>
<form method="post" action="${action}/fail">${fields}<button type="submit" class="fail">${esc(flavour.fail)}</button></form>
</div>`,
  );
}

/** Stripe's redirect_status for the shop's return_url. */
function redirectStatus(status: string): string {
  if (status === "succeeded" || status === "requires_capture") return "succeeded";
  if (status === "processing") return "processing";
  return "failed";
}

/**
 * `payment_intent`, `payment_intent_client_secret`, `redirect_status` (`setup_intent…` for a SetupIntent) added before
 * any fragment, existing params kept.
 */
export function returnUrlWith(
  returnUrl: string,
  pi: { id: string; client_secret: string | null; status: string },
  kind: Challenged["kind"] = "payment_intent",
): string {
  const u = new URL(returnUrl);
  u.searchParams.set(kind, pi.id);
  u.searchParams.set(`${kind}_client_secret`, pi.client_secret ?? "");
  u.searchParams.set("redirect_status", redirectStatus(pi.status));
  return u.toString();
}

export function answerChallenge(
  core: Core,
  id: string,
  outcome: "complete" | "fail",
  q: ChallengeQuery,
  flavour: PageFlavour = THREE_D_SECURE,
): PageResult {
  const { found, error } = findIntent(core, id, q.client_secret, flavour);
  if (!found) return error;
  const pi = found.intent;
  if (pi.status !== "requires_action")
    return errorPage(`This ${found.noun} was already authenticated or abandoned (status ${pi.status}).`, 409, flavour);
  if (outcome === "complete") found.complete();
  else found.fail();
  core.store.markDirty();
  const returnUrl = q.return_url || returnUrlOf(core, pi.id);
  if (q.mode === "redirect" && returnUrl) {
    return { status: 303, headers: { Location: returnUrlWith(returnUrl, pi, found.kind) }, body: "" };
  }
  // In a frame: tell the page that opened the challenge (the Stripe.js stand-in) that it is over.
  const idField = found.kind === "setup_intent" ? "setupIntentId" : "paymentIntentId";
  const message = JSON.stringify({ type: "stripe-sandbox-3ds-complete", [idField]: pi.id }).replace(/</g, "\\u003c");
  return page(
    "3D Secure 2 Test Page",
    `<h1>3D Secure 2 Test Page</h1><p role="status">Authentication ${outcome === "complete" ? "completed" : "failed"}. You can close this window.</p>
<script>window.parent.postMessage(${message}, "*");</script>`,
  );
}
