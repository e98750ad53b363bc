// GET /_sandbox/status: a human-readable view of the sandbox (recent payments, events and webhook attempts).
import type { Faults } from "./faults.js";
import type { Store } from "./store.js";
import type { DeliveryAttempt } from "./webhooks.js";

const esc = (s: unknown) => String(s ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const when = (unix: number) => new Date(unix * 1000).toISOString().replace("T", " ").slice(0, 19);

function table(caption: string, head: string[], rows: unknown[][]): string {
  const body = rows.length
    ? rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`).join("")
    : `<tr><td colspan="${head.length}">None yet.</td></tr>`;
  return `<table><caption>${esc(caption)}</caption><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join("")}</tr></thead><tbody>${body}</tbody></table>`;
}

export function statusPage(store: Store, attempts: DeliveryAttempt[], faults: Faults, forwardTo: string | undefined): string {
  const intents = store.t.payment_intents.newestFirst().slice(0, 25);
  const events = store.t.events.newestFirst().slice(0, 25);
  const recent = attempts.slice(-50).reverse();
  const endpoints = store.t.webhook_endpoints.newestFirst();
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stripe sandbox status</title>
<style>body{font-family:system-ui,sans-serif;margin:24px;color:#1a1f36}table{border-collapse:collapse;margin:16px 0;width:100%}
caption{text-align:left;font-weight:600;font-size:18px;padding:8px 0}th,td{border:1px solid #d8dee4;padding:4px 8px;text-align:left;font-size:13px}
th{background:#f6f9fc}code{background:#f6f9fc;padding:2px 4px}</style></head><body>
<h1>Stripe sandbox</h1>
<p>${store.t.payment_intents.size} payment intents, ${store.t.charges.size} charges, ${store.t.refunds.size} refunds, ${store.t.events.size} events.</p>
<p>Forwarding webhooks to: <code>${esc(forwardTo ?? "nowhere (no --forward-to)")}</code></p>
<p>Fault switches: <code>${esc(JSON.stringify(faults))}</code></p>
${table(
  "Webhook endpoints",
  ["id", "url", "events", "status"],
  endpoints.map((e) => [e.id, e.url, e.enabled_events.join(" "), e.status]),
)}
${table(
  "Recent payment intents",
  ["id", "created", "amount", "currency", "status"],
  intents.map((p) => [p.id, when(p.created), p.amount, p.currency, p.status]),
)}
${table(
  "Recent events",
  ["id", "created", "type", "pending webhooks"],
  events.map((e) => [e.id, when(e.created), e.type, e.pending_webhooks]),
)}
${table(
  "Webhook delivery attempts (newest first)",
  ["at", "event", "type", "endpoint", "attempt", "outcome", "status", "error", "next attempt"],
  recent.map((a) => [a.at, a.event_id, a.event_type, a.endpoint, a.attempt, a.outcome, a.status_code, a.error, a.next_attempt_at]),
)}
</body></html>`;
}
