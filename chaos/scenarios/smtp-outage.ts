// Scenario 5: the SMTP server goes down during a checkout storm. Every shopper checks out, then the mail catcher
// refuses all mail (421, new connections and open ones alike) for 10 s while they all pay, so the order
// confirmations the webhooks cause meet a dead server. Once it is back, the shop's email outbox must deliver
// every email exactly once: each paid order's confirmation arrives once, no Message-ID arrives twice, every
// message the outbox marked sent arrived, and none is left pending or failed. The usual invariants hold too.
import { sleep } from "@tidewater/harness";
import { PAID_STATUSES } from "../../lib/order-status";
import { MailCatcherClient } from "../../scripts/mail/client";
import type { CaughtMessage } from "../../scripts/mail/message";
import { countAppLogs, markAppLogs } from "../app-log";
import {
  CHAOS_PRODUCTS,
  deliveryCounts,
  failedShopperNotes,
  makePlans,
  resetWorld,
  shoppersAtTheGate,
  shopperCounts,
  type Harness,
  type ScenarioReport,
} from "../harness";
import { settleAndCheck } from "../invariants";
import type { Log } from "../util";

type EmailRow = {
  id: string;
  kind: string;
  status: string;
  messageId: string;
  orderId: string | null;
  attempts: number;
  lastError: string | null;
};

/** "<a@b>" and "a@b" are the same Message-ID. */
const bare = (messageId: string) => messageId.trim().replace(/^<|>$/g, "");

export async function smtpOutage(h: Harness): Promise<ScenarioReport> {
  const started = Date.now();
  if (!h.env.MAIL_CATCHER_URL) throw new Error("scenario 5 needs the local mail catcher: unset SMTP_URL");
  const mail = new MailCatcherClient(h.env.MAIL_CATCHER_URL);
  const settings = h.short
    ? { shoppers: 20, outageMs: 10_000, emailWaitMs: 90_000 }
    : { shoppers: 60, outageMs: 10_000, emailWaitMs: 180_000 };
  await resetWorld(h);
  await mail.outage(0);
  await mail.clear();
  h.proxy.setTargets([h.app.url]);
  const products = await h.db.setStock(CHAOS_PRODUCTS, 200);
  const initialStock = new Map(products.map((p) => [p.id, p.stock]));
  // Declines too: a failed payment may send mail of its own, which must not arrive twice either.
  const plans = makePlans(h.random, products, settings.shoppers, {
    visa: 80,
    decline: 10,
    declineThenVisa: 10,
    abandon: 0,
    returnPage: 0.5,
  });
  const logMark = await markAppLogs([h.app]);
  h.sandbox.startRecording();

  // Every shopper checks out first and waits at the gate, which opens once the SMTP server is down: all the
  // payments, hence all the confirmations, fall inside the outage.
  const gate = await shoppersAtTheGate(h, plans);

  h.log(`SMTP outage for ${settings.outageMs} ms while ${gate.waiting} shoppers pay`);
  const outageStart = Date.now();
  // The catcher ends the outage by itself, so a failure here never leaves it on for the next scenario.
  await mail.outage(settings.outageMs);
  const results = await gate.pay();
  await sleep(Math.max(0, outageStart + settings.outageMs + 100 - Date.now()));
  const outage = await mail.outageState();
  h.log(`SMTP back after ${Date.now() - outageStart} ms (${outage.refused} connections or messages refused)`);

  const invariants = await settleAndCheck(h, initialStock, h.short ? 120_000 : 180_000);
  const outbox = await waitForOutbox(h, settings.emailWaitMs);
  const email = await checkEmails(h, await mail.all(), outbox.rows);
  if (!outbox.empty) invariants.violations.push(`${outbox.pending} emails still pending ${settings.emailWaitMs / 1000} s after the outage`);
  if (outage.refused === 0)
    invariants.violations.push(
      "the SMTP server refused nothing during the outage: no email was attempted then, so the scenario proved nothing",
    );
  invariants.violations.push(...email.violations);

  failedShopperNotes(results, h.log);
  return {
    name: "5 SMTP outage during a checkout storm",
    counts: {
      ...shopperCounts(results),
      outageMs: settings.outageMs,
      smtpRefused: outage.refused,
      emailWaitS: Math.round(outbox.waitedMs / 1000),
      ...email.counts,
      ...deliveryCounts(h),
      ...(await countAppLogs([h.app], logMark)),
      ...invariants.counts,
    },
    violations: invariants.violations,
    seconds: Math.round((Date.now() - started) / 1000),
  };
}

/** Waits until the outbox has no pending message (the shop's retries went through), at most `timeoutMs`. */
async function waitForOutbox(h: { db: Harness["db"]; log: Log }, timeoutMs: number) {
  const began = Date.now();
  let lastLog = began;
  for (;;) {
    const rows = await h.db.query<EmailRow>(
      `SELECT id, kind::text AS kind, status::text AS status, "messageId", "orderId", attempts, "lastError" FROM "EmailMessage"`,
    );
    const pending = rows.filter((r) => r.status === "pending").length;
    const waitedMs = Date.now() - began;
    if (pending === 0 || waitedMs >= timeoutMs) {
      h.log(`email outbox ${pending === 0 ? "empty" : "NOT empty"} after ${(waitedMs / 1000).toFixed(1)} s (${rows.length} messages)`);
      return { empty: pending === 0, pending, waitedMs, rows };
    }
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      h.log(`waiting for the email outbox: ${pending} of ${rows.length} messages pending`);
    }
    await sleep(500);
  }
}

/** What arrived against what was paid and what the outbox says it sent. */
async function checkEmails(h: Pick<Harness, "db">, caught: CaughtMessage[], rows: EmailRow[]) {
  const violations: string[] = [];
  const paid = await h.db.query<{ id: string; number: string; email: string }>(
    `SELECT id, number, email FROM "Order" WHERE status::text = ANY($1)`,
    [[...PAID_STATUSES]],
  );
  if (paid.length === 0) violations.push("no order was paid: nothing to check the emails against");

  // 1. Each paid order's confirmation reached its shopper exactly once.
  let confirmations = 0;
  for (const order of paid) {
    const found = caught.filter(
      (m) =>
        m.subject.includes(order.number) &&
        /confirmed/i.test(m.subject) &&
        m.to.some((to) => to.toLowerCase() === order.email.toLowerCase()),
    );
    confirmations += found.length;
    if (found.length !== 1)
      violations.push(
        `paid order ${order.number} (${order.id}): ${found.length} confirmation emails to ${order.email}${found.length ? ` (${found.map((m) => m.messageId).join(", ")})` : ""}`,
      );
  }

  // 2. No Message-ID arrived twice (the same outbox message sent again after the server had taken it).
  const byMessageId = new Map<string, CaughtMessage[]>();
  for (const m of caught) {
    if (!m.messageId) violations.push(`"${m.subject}" to ${m.to.join(", ")} arrived without a Message-ID`);
    else byMessageId.set(bare(m.messageId), [...(byMessageId.get(bare(m.messageId)) ?? []), m]);
  }
  const duplicates = [...byMessageId].filter(([, copies]) => copies.length > 1);
  for (const [id, copies] of duplicates) violations.push(`Message-ID <${id}> ("${copies[0]!.subject}") arrived ${copies.length} times`);

  // 3. The outbox and the mailbox agree: sent means arrived, nothing gave up.
  for (const row of rows.filter((r) => r.status === "sent" && !byMessageId.has(bare(r.messageId))))
    violations.push(`email ${row.id} (${row.kind}, order ${row.orderId ?? "-"}) is marked sent but never arrived`);
  for (const row of rows.filter((r) => r.status === "failed"))
    violations.push(
      `email ${row.id} (${row.kind}, order ${row.orderId ?? "-"}) failed after ${row.attempts} attempts: ${row.lastError ?? "?"}`,
    );

  return {
    violations,
    counts: {
      emailsCaught: caught.length,
      confirmations,
      duplicateMessageIds: duplicates.length,
      outboxMessages: rows.length,
      outboxSent: rows.filter((r) => r.status === "sent").length,
      outboxPending: rows.filter((r) => r.status === "pending").length,
      outboxFailed: rows.filter((r) => r.status === "failed").length,
      outboxRetried: rows.filter((r) => r.attempts > 1).length,
    },
  };
}
