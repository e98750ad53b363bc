import "server-only";
import pg from "pg";
import { z } from "zod";
import { prisma } from "@/lib/db";
import { databaseEnv } from "@/lib/env";
import type { PaymentSignal } from "@/lib/order-status";
import { applyPaymentEvent, FINALIZE_TRANSACTION, type RecordedEvent } from "@/lib/orders";
import type { PaymentEvent } from "./events";
import { keepListening } from "@/lib/pg-listen.mjs";
import { INBOX_BACKLOG_SQL, waitForEmptyInbox, type InboxBacklog, type InboxWait } from "./inbox-backlog";

// Stripe's webhooks, applied in two steps. The route records each verified event here with one INSERT
// (shared by the deliveries that arrive together) and answers once that commit is durable; the drain applies recorded events afterwards, each in its own
// transaction that locks the event's row (FOR UPDATE SKIP LOCKED), applies its effect (lib/orders.ts) and
// marks it applied, so the effect and the mark commit together or not at all. One transaction per event, not
// per batch: each takes the locks in checkout's order (cart, order, products), which a batch spanning several
// carts could not, and a failing event rolls back alone.
//
// Exactly once: the event id is the primary key, so a redelivery inserts nothing (the route says
// `duplicate`); a drain only takes an unapplied event whose row it could lock, so two drains (two
// instances, or two workers of one) never hold the same event; a crash or error mid-apply rolls back the
// effect and the mark together, and the event stays unapplied for the next drain.
//
// Wake-ups: a trigger on StripeEvent NOTIFYs `stripe_inbox` when an event arrives while none is due (see the
// migration 20261130142000_webhook_inbox); every instance LISTENs on its own connection, drains until no
// event is due, and also polls every POLL_MS, which picks up retries that came due, events that arrived as a
// drain was finishing, and anything recorded while its LISTEN connection was down.
//
// Failure modes:
// - Applying an event fails (a bug, a row lock held past the timeout, a bad record): the error is written on
//   the event, it is due again after a backoff (1 s doubling to 10 min) and the drain goes on with the
//   others; it is retried until it applies, and until then the admin's timeline shows it pending with the
//   error. A failed event holds back no other event, not even later ones for its intent.
// - The database is unreachable: the route answers 500 (Stripe retries for days); the drain logs once,
//   backs off (1 s doubling to 30 s) and tries again; the LISTEN connection reconnects with the same backoff.
// - The process dies mid-apply: PostgreSQL rolls the transaction back; the next drain applies the event.
// - Order: events for one PaymentIntent are applied one at a time in the order they were recorded (to the
//   millisecond of receivedAt, then by id), as the route applied them when it applied synchronously; an
//   event waits while an earlier one for its intent is unapplied, unless that one has failed. Stripe does not
//   promise that order anyway: the state machine (lib/order-status.ts) is forward-only.

/** Events applied at once per instance: each worker holds one event, one transaction and one connection. */
const DRAIN_WORKERS = 4;
const POLL_MS = 1_000;
const MAX_DRAIN_BACKOFF_MS = 30_000;
const MAX_ERROR_LENGTH = 500;
const CHANNEL = "stripe_inbox";
/** How soon a worker looks again at events that were waiting for an earlier one of their intent. */
const WAITING_RECHECK_MS = 10;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An event as its StripeEvent row is written. */
type EventRow = {
  id: string;
  type: string;
  paymentIntentId: string | null;
  orderId: string | null;
  created: string;
  signal: string | null;
};
type Recording = { row: EventRow; resolve: (answer: { duplicate: boolean }) => void; reject: (error: unknown) => void };

// Events waiting to be recorded while the previous INSERT is under way, and whether one is.
const recordings: { queue: Recording[]; writing: boolean } = { queue: [], writing: false };
/** At most this many events per INSERT. */
const MAX_RECORD_BATCH = 64;

/**
 * Records a verified event in the inbox, once per event id; `duplicate` when it was recorded before (applied
 * or not). Resolves once the row is committed; throws when the database does, and the route then answers
 * 500 so Stripe delivers the event again. Deliveries that arrive while an INSERT is under way are written
 * together by the next one (one statement and one commit for all of them: group commit), so a burst costs
 * the database one round trip and one commit per batch rather than per event; a lone delivery is written at
 * once. A batch the database refuses is written again event by event, so an event it cannot store fails alone.
 */
export function recordWebhookEvent(event: PaymentEvent): Promise<{ duplicate: boolean }> {
  return new Promise((resolve, reject) => {
    const row: EventRow = {
      id: event.id,
      type: event.type,
      paymentIntentId: event.paymentIntentId,
      orderId: event.orderId,
      created: event.created.toISOString(),
      signal: event.signal ? JSON.stringify(event.signal) : null,
    };
    recordings.queue.push({ row, resolve, reject });
    if (!recordings.writing) void writeRecordings();
  });
}

async function writeRecordings(): Promise<void> {
  recordings.writing = true;
  try {
    while (recordings.queue.length > 0) {
      const batch = recordings.queue.splice(0, MAX_RECORD_BATCH);
      try {
        settle(batch, await insertEvents(batch.map((r) => r.row)));
      } catch (error) {
        if (batch.length === 1) batch[0]!.reject(error);
        else
          for (const recording of batch) {
            await insertEvents([recording.row]).then((inserted) => settle([recording], inserted), recording.reject);
          }
      }
    }
  } finally {
    recordings.writing = false;
  }
}

/** Answers each recording: the first of its id in the batch, if the row was inserted, is new; the rest duplicates. */
function settle(batch: Recording[], inserted: Set<string>): void {
  for (const { row, resolve } of batch) {
    resolve({ duplicate: !inserted.delete(row.id) });
  }
}

/** One INSERT of `rows` (each id once at most); returns the ids it inserted. The trigger wakes the drains. */
async function insertEvents(rows: EventRow[]): Promise<Set<string>> {
  const unique = [...new Map(rows.map((row) => [row.id, row])).values()];
  const inserted = await prisma.$queryRaw<Array<{ id: string }>>`
    INSERT INTO "StripeEvent" (id, type, "paymentIntentId", "orderId", "createdAt", signal)
    SELECT id, type, intent, "order", created::timestamp(3), signal::jsonb
      FROM unnest(${unique.map((r) => r.id)}::text[], ${unique.map((r) => r.type)}::text[],
                  ${unique.map((r) => r.paymentIntentId)}::text[], ${unique.map((r) => r.orderId)}::text[],
                  ${unique.map((r) => r.created)}::text[], ${unique.map((r) => r.signal)}::text[])
        AS e(id, type, intent, "order", created, signal)
    ON CONFLICT (id) DO NOTHING
    RETURNING id`;
  return new Set(inserted.map((row) => row.id));
}

// The signal was written by recordWebhookEvent from a parsed event; it is parsed again on the way out, so a
// row that is not what the shop wrote fails that one event instead of applying half of it.
const signalSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("intent"),
    status: z.string(),
    amountReceived: z.number().int().nonnegative(),
    currency: z.string().length(3),
    failure: z.object({ message: z.string() }).optional(),
  }),
  z.object({
    kind: z.literal("charge"),
    paid: z.boolean(),
    captured: z.boolean(),
    amountCaptured: z.number().int().nonnegative(),
    amountRefunded: z.number().int().nonnegative(),
    currency: z.string().length(3),
  }),
  z.object({
    kind: z.literal("dispute"),
    disputeId: z.string().min(1),
    chargeId: z.string(),
    paymentIntentId: z.string().nullable(),
    amount: z.number().int().nonnegative(),
    currency: z.string().length(3),
    reason: z.string(),
    status: z.string(),
    evidenceDueBy: z.iso.datetime().nullable(),
    eventCreated: z.iso.datetime(),
  }),
]) satisfies z.ZodType<PaymentSignal>;

type InboxRow = { id: string; type: string; paymentIntentId: string | null; orderId: string | null; signal: unknown };

function recordedEvent(row: InboxRow): RecordedEvent {
  return {
    paymentIntentId: row.paymentIntentId,
    orderId: row.orderId,
    signal: row.signal === null ? null : signalSchema.parse(row.signal),
  };
}

/** One line for the event's record and the admin's timeline; Prisma puts the database's own words last. */
function errorLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text.split("\n").map((line) => line.trim());
  return (lines.findLast((line) => line !== "") ?? "unknown error").slice(0, MAX_ERROR_LENGTH);
}

type Attempt = { kind: "applied" } | { kind: "failed" } | { kind: "waiting"; id: string } | { kind: "none" };

/**
 * Takes the oldest event that is due, that no other drain holds and that `passOver` does not name, and
 * applies it: "applied"; "failed" (recorded on the event, which is retried later); "waiting" when an earlier
 * event for the same intent is still to apply (it goes first; this one is left as it was); "none" left.
 * Throws only when the database cannot be reached at all.
 */
async function applyNextEvent(passOver: ReadonlySet<string>): Promise<Attempt> {
  const claimed: { row?: InboxRow } = {};
  try {
    return await prisma.$transaction(async (tx): Promise<Attempt> => {
      // The claim walks the partial index on dueAt (unapplied events only) in order and stops at the first
      // row it can lock; the earlier-event check then runs for that row alone. Both stay cheap with any
      // backlog: in the WHERE clause that check, or a filter on another column, makes PostgreSQL read and
      // sort every pending row whenever its statistics think the index nearly empty, as they usually do.
      const [row] = await tx.$queryRaw<Array<InboxRow & { waiting: boolean }>>`
        WITH claimed AS (
          SELECT id, type, "paymentIntentId", "orderId", signal, "receivedAt"
            FROM "StripeEvent"
           WHERE "processedAt" IS NULL
             AND "dueAt" <= statement_timestamp()
             AND id <> ALL(${[...passOver]}::text[])
           ORDER BY "dueAt"
           LIMIT 1
             FOR UPDATE SKIP LOCKED)
        SELECT c.id, c.type, c."paymentIntentId", c."orderId", c.signal,
               EXISTS (SELECT 1
                         -- OFFSET 0 keeps this lookup on the intent's index: with "processedAt" IS NULL next to
                         -- it PostgreSQL also reads the whole partial index, i.e. the whole backlog.
                         FROM (SELECT id, "receivedAt", "processedAt", "failedAttempts" FROM "StripeEvent"
                                WHERE "paymentIntentId" = c."paymentIntentId" OFFSET 0) earlier
                        WHERE earlier."processedAt" IS NULL
                          AND earlier."failedAttempts" = 0
                          AND (earlier."receivedAt", earlier.id) < (c."receivedAt", c.id)) AS waiting
          FROM claimed c`;
      if (!row) return { kind: "none" };
      // An earlier event for this intent is being applied elsewhere (or waits itself): it goes first. One
      // that has failed does not hold the others back.
      if (row.waiting) return { kind: "waiting", id: row.id };
      claimed.row = row;
      const result = await applyPaymentEvent(tx, recordedEvent(row));
      await tx.$executeRaw`
        UPDATE "StripeEvent" SET "processedAt" = now(), outcome = ${result.outcome}, "orderId" = ${result.orderId}
         WHERE id = ${row.id}`;
      return { kind: "applied" };
    }, FINALIZE_TRANSACTION);
  } catch (error) {
    const row = claimed.row;
    // Nothing claimed: the database itself failed; the caller backs off.
    if (!row) throw error;
    const message = errorLine(error);
    console.error(`webhook inbox: event ${row.id} (${row.type}) failed and will be retried:`, error);
    // Its own statement, after the rollback; if the database is gone this throws too and the caller backs off.
    // Another worker may have taken the event between the rollback and this statement and failed as well:
    // only the first failure moves dueAt on, so the two count as one attempt and one backoff.
    await prisma.$executeRaw`
      UPDATE "StripeEvent"
         SET "failedAttempts" = "failedAttempts" + 1, "lastError" = ${message},
             "dueAt" = now() + least(power(2, "failedAttempts"), 600) * interval '1 second'
       WHERE id = ${row.id} AND "processedAt" IS NULL AND "dueAt" <= now()`;
    return { kind: "failed" };
  }
}

/**
 * Applies every event that is due, DRAIN_WORKERS at a time, until none is left; returns how many it
 * applied. Safe to run anywhere and concurrently (other instances, tests, scripts): each event is applied by
 * exactly one caller. Events that fail are recorded and left for their retry time; the call still resolves.
 * Rejects only when the database is unreachable.
 */
export async function drainWebhookInbox(): Promise<number> {
  let applied = 0;
  const worker = async () => {
    // Events found waiting for an earlier one: passed over until this worker runs out of others, then
    // looked at again once the earlier ones had a moment to finish.
    const passOver = new Set<string>();
    for (;;) {
      const attempt = await applyNextEvent(passOver);
      if (attempt.kind === "applied") applied += 1;
      else if (attempt.kind === "waiting") passOver.add(attempt.id);
      else if (attempt.kind === "none") {
        if (passOver.size === 0) return;
        passOver.clear();
        await sleep(WAITING_RECHECK_MS);
      }
    }
  };
  const results = await Promise.allSettled(Array.from({ length: DRAIN_WORKERS }, worker));
  const failure = results.find((r) => r.status === "rejected");
  if (failure) throw failure.reason;
  return applied;
}

/** How many events wait to be applied, and how many of those have failed at least once. */
export async function webhookInboxBacklog(): Promise<InboxBacklog> {
  const [row] = await prisma.$queryRawUnsafe<InboxBacklog[]>(INBOX_BACKLOG_SQL);
  return row ?? { pending: 0, failing: 0 };
}

/**
 * Drains (here, besides any background drain) until the inbox is empty or `timeoutMs` has passed, for tests
 * and scripts that need every recorded event applied. Events in their retry wait are retried when due.
 */
export async function waitForWebhookInbox(timeoutMs = 30_000): Promise<InboxWait> {
  return waitForEmptyInbox(webhookInboxBacklog, { timeoutMs, poll: drainWebhookInbox });
}

// ------------------------------------------------------------------ the background drain of each instance

type InboxState = {
  started: boolean;
  /** Bumped by stopWebhookInbox, so the loops of an earlier start end. */
  generation: number;
  drain: Promise<void> | null;
  again: boolean;
  failures: number;
  timer?: ReturnType<typeof setInterval>;
  listener?: pg.Client;
};

// On globalThis: Next may load this module more than once in a process (instrumentation and route bundles).
const STATE_KEY = Symbol.for("tidewater.webhookInbox");
const state: InboxState = ((globalThis as Record<symbol, InboxState | undefined>)[STATE_KEY] ??= {
  started: false,
  generation: 0,
  drain: null,
  again: false,
  failures: 0,
});

const backoff = (failures: number) => Math.min(1_000 * 2 ** Math.max(0, failures - 1), MAX_DRAIN_BACKOFF_MS);

/** Starts a drain, or asks the running one to look again when it finishes: never two at once per process. */
function wake(): void {
  if (!state.started) return;
  if (state.drain) {
    state.again = true;
    return;
  }
  state.drain = drainUntilQuiet();
}

async function drainUntilQuiet(): Promise<void> {
  for (;;) {
    state.again = false;
    try {
      await drainWebhookInbox();
      if (state.failures > 0) console.log(`webhook inbox: draining again after ${state.failures} failed attempt(s)`);
      state.failures = 0;
    } catch (error) {
      state.failures += 1;
      const delay = backoff(state.failures);
      // Once per outage, then every tenth attempt, so a long outage does not flood the log.
      if (state.failures === 1 || state.failures % 10 === 0)
        console.error(`webhook inbox: draining failed (attempt ${state.failures}), retrying in ${delay} ms:`, error);
      await sleep(delay);
      state.again = true;
    }
    // No await between this check and clearing `drain`: a wake-up either sets `again` or starts a drain.
    if (!state.again || !state.started) {
      state.drain = null;
      return;
    }
  }
}

/**
 * Starts this instance's drain of the webhook inbox (lib/background.ts calls it at server start): LISTEN for
 * new events, poll every POLL_MS as a safety net, drain once now. Idempotent per process; never throws on a
 * database failure (it logs and retries with backoff).
 */
export async function startWebhookInbox(): Promise<void> {
  if (state.started) return;
  const connectionString = databaseEnv().DATABASE_URL;
  state.started = true;
  state.generation += 1;
  const generation = state.generation;
  // Each notification wakes the drain; so does every (re)connect, for whatever was recorded meanwhile.
  void keepListening({
    connectionString,
    channel: CHANNEL,
    onNotification: wake,
    onListening: (afterFailures) => {
      if (afterFailures > 0) console.log("webhook inbox: listening again");
      wake();
    },
    onLost: (error, failures) => {
      if (failures === 1 || failures % 10 === 0)
        console.error(`webhook inbox: LISTEN ${CHANNEL} failed (attempt ${failures}); polling every ${POLL_MS} ms meanwhile:`, error);
    },
    backoffMs: backoff,
    wanted: () => state.generation === generation,
    onClient: (client) => {
      state.listener = client;
    },
  });
  state.timer = setInterval(wake, POLL_MS);
  state.timer.unref();
  wake();
}

/** Stops the background drain: no new wake-ups, the LISTEN connection closed, the drain under way finished. */
export async function stopWebhookInbox(): Promise<void> {
  if (!state.started) return;
  state.started = false;
  state.generation += 1;
  clearInterval(state.timer);
  await state.listener?.end().catch(() => undefined);
  await state.drain;
}
