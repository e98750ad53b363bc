// Webhook delivery: an async queue that signs every attempt afresh, retries non-2xx with exponential backoff
// and applies the fault switches. Never awaited by API requests, so a slow receiver cannot slow the API.
import { createHmac } from "node:crypto";
import type Stripe from "stripe";
import type { EventSink } from "./events.js";
import type { Faults } from "./faults.js";
import type { Store } from "./store.js";

export interface DeliveryOptions {
  /** --forward-to: an endpoint that receives every event, signed with `forwardSecret`. */
  forwardTo?: string;
  forwardSecret: string;
  /** A receiver slower than this counts as failed (Stripe waits about 10 s). */
  timeoutMs: number;
  /** The first retry waits this long; each later one twice as long as the one before. */
  retryBaseMs: number;
  /** Attempts per delivery in all, the first included. */
  maxAttempts: number;
  faults: () => Faults;
  log: (line: string) => void;
}

interface Endpoint {
  id: string;
  url: string;
  secret: string;
}

interface Job {
  event: Stripe.Event;
  endpoint: Endpoint;
  attempt: number;
  dropFirst: boolean;
  delayMs: number;
}

export interface DeliveryAttempt {
  event_id: string;
  event_type: string;
  endpoint_id: string;
  endpoint: string;
  attempt: number;
  /** delivered: 2xx; failed: anything else or no answer in time; dropped: lost on purpose by a fault switch. */
  outcome: "delivered" | "failed" | "dropped";
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  at: string;
  /** When the next attempt is due, if one will be made. */
  next_attempt_at: string | null;
}

/** Only the newest attempts are kept for /_sandbox/deliveries. */
const MAX_RECORDS = 5000;
/** With outOfOrder, events are held until none arrived for this long, then sent as a reversed batch. */
const HOLD_MS = 150;

/** `t=<unix>,v1=<hex HMAC-SHA256 of "t.payload">`: what stripe.webhooks.constructEvent verifies. */
export function signPayload(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const v1 = createHmac("sha256", secret).update(`${timestamp}.${payload}`).digest("hex");
  return `t=${timestamp},v1=${v1}`;
}

export class WebhookDispatcher implements EventSink {
  readonly attempts: DeliveryAttempt[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly aborts = new Set<AbortController>();
  private held: Job[] = [];
  private holdTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly opts: DeliveryOptions,
  ) {}

  private endpointsFor(type: string): Endpoint[] {
    const list: Endpoint[] = [];
    if (this.opts.forwardTo) list.push({ id: "forward-to", url: this.opts.forwardTo, secret: this.opts.forwardSecret });
    for (const we of this.store.t.webhook_endpoints.newestFirst().reverse()) {
      if (we.status !== "enabled" || !we.secret) continue;
      if (we.enabled_events.includes("*") || we.enabled_events.includes(type)) list.push({ id: we.id, url: we.url, secret: we.secret });
    }
    return list;
  }

  countEndpointsFor(type: string): number {
    return this.endpointsFor(type).length;
  }

  deliver(event: Stripe.Event): void {
    const faults = this.opts.faults();
    for (const endpoint of this.endpointsFor(event.type)) {
      if (faults.dropEventTypes.includes(event.type)) {
        this.record(
          { event, endpoint, attempt: 1, dropFirst: false, delayMs: 0 },
          "dropped",
          null,
          "dropped by fault switch dropEventTypes",
          0,
          null,
        );
        continue;
      }
      const copies = faults.duplicate ? 2 : 1;
      for (let i = 0; i < copies; i++) {
        const job: Job = { event, endpoint, attempt: 0, dropFirst: faults.dropFirstAttempt, delayMs: faults.delayMs };
        if (faults.outOfOrder) this.hold(job);
        else void this.attempt(job);
      }
    }
  }

  private hold(job: Job): void {
    this.held.push(job);
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = setTimeout(() => {
      this.holdTimer = null;
      const batch = this.held.reverse();
      this.held = [];
      // One after another, so the receiver sees the batch in reverse order of creation.
      void (async () => {
        for (const j of batch) await this.attempt(j);
      })();
    }, HOLD_MS);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  private async attempt(job: Job): Promise<void> {
    if (this.closed) return;
    job.attempt += 1;
    if (job.delayMs > 0) await this.sleep(job.delayMs);
    if (this.closed) return;
    const started = Date.now();
    if (job.dropFirst && job.attempt === 1) {
      this.finish(job, "dropped", null, "first attempt dropped by fault switch dropFirstAttempt", 0);
      return;
    }
    // Stripe sends the event pretty-printed; the signature covers these exact bytes.
    const payload = JSON.stringify(job.event, null, 2);
    const abort = new AbortController();
    this.aborts.add(abort);
    const timeout = setTimeout(() => abort.abort(), this.opts.timeoutMs);
    try {
      const res = await fetch(job.endpoint.url, {
        method: "POST",
        body: payload,
        redirect: "manual", // a redirect is a failed delivery for Stripe
        signal: abort.signal,
        headers: {
          "Content-Type": "application/json; charset=utf-8",
          "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
          "Stripe-Signature": signPayload(payload, job.endpoint.secret),
        },
      });
      await res.arrayBuffer().catch(() => undefined);
      const ok = res.status >= 200 && res.status < 300;
      this.finish(job, ok ? "delivered" : "failed", res.status, ok ? null : `HTTP ${res.status}`, Date.now() - started);
    } catch (err) {
      const message = abort.signal.aborted
        ? `timed out after ${this.opts.timeoutMs} ms`
        : (err as Error).cause instanceof Error
          ? ((err as Error).cause as Error).message
          : (err as Error).message;
      this.finish(job, "failed", null, message, Date.now() - started);
    } finally {
      clearTimeout(timeout);
      this.aborts.delete(abort);
    }
  }

  /** Records the attempt; a failed one is retried after retryBaseMs·2^(attempt−1) until maxAttempts. */
  private finish(job: Job, outcome: DeliveryAttempt["outcome"], status: number | null, error: string | null, duration: number): void {
    if (this.closed) return;
    if (outcome === "delivered") {
      const stored = this.store.t.events.get(job.event.id);
      if (stored && stored.pending_webhooks > 0) stored.pending_webhooks -= 1;
      this.record(job, outcome, status, null, duration, null);
      return;
    }
    const retry = job.attempt < this.opts.maxAttempts;
    const wait = this.opts.retryBaseMs * 2 ** (job.attempt - 1);
    this.record(job, outcome, status, error, duration, retry ? new Date(Date.now() + wait).toISOString() : null);
    if (!retry) {
      this.opts.log(`webhook ${job.event.id} (${job.event.type}) to ${job.endpoint.url} given up after ${job.attempt} attempts`);
      return;
    }
    const t = setTimeout(() => {
      this.timers.delete(t);
      void this.attempt(job);
    }, wait);
    this.timers.add(t);
  }

  private record(
    job: Job,
    outcome: DeliveryAttempt["outcome"],
    status: number | null,
    error: string | null,
    duration: number,
    next: string | null,
  ): void {
    this.attempts.push({
      event_id: job.event.id,
      event_type: job.event.type,
      endpoint_id: job.endpoint.id,
      endpoint: job.endpoint.url,
      attempt: job.attempt,
      outcome,
      status_code: status,
      error,
      duration_ms: duration,
      at: new Date().toISOString(),
      next_attempt_at: next,
    });
    if (this.attempts.length > MAX_RECORDS) this.attempts.splice(0, this.attempts.length - MAX_RECORDS);
  }

  /** Forgets pending retries and held events (POST /_sandbox/reset). */
  reset(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = null;
    this.held = [];
    this.attempts.length = 0;
  }

  close(): void {
    this.closed = true;
    this.reset();
    for (const a of this.aborts) a.abort();
  }
}
