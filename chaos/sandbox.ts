// The chaos harness's view of the Stripe sandbox: fault switches, the API calls the Payment Element would
// make (confirm), the lists the invariants need, and a recorder for webhook delivery attempts (the sandbox
// keeps only its newest 5 000, so they are collected while the run goes on).
import type { z } from "zod";
import type { faultsSchema, DeliveryAttempt } from "@tidewater/stripe-sandbox";
import { sleep } from "@tidewater/harness";
import type { Log } from "./util";

/** The sandbox's default attempts per delivery (scripts/stack.ts does not change it). */
export const SANDBOX_MAX_ATTEMPTS = 8;

// The sandbox's own wire types: the harness reads and sends exactly what the sandbox defines.
export type { DeliveryAttempt };
/** What POST /_sandbox/faults accepts: every switch optional. */
export type Faults = z.input<typeof faultsSchema>;

export type Intent = {
  id: string;
  status: string;
  amount: number;
  amount_received: number;
  currency: string;
  metadata: Record<string, string>;
  created: number;
};
export type StripeEvent = { id: string; type: string; pending_webhooks: number; created: number };
/** canceled: Stripe refused to confirm because the intent was canceled (the reservation expired). */
export type ConfirmOutcome = { status: "succeeded" | "declined" | "canceled" | "other"; detail: string };

export class SandboxClient {
  private readonly attempts = new Map<string, DeliveryAttempt[]>();
  private recorder: NodeJS.Timeout | null = null;

  constructor(
    readonly url: string,
    private readonly secretKey: string,
  ) {}

  private async call<T>(
    method: string,
    path: string,
    body?: string,
    contentType = "application/x-www-form-urlencoded",
  ): Promise<{ status: number; json: T }> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      body,
      headers: { Authorization: `Bearer ${this.secretKey}`, ...(body ? { "Content-Type": contentType } : {}) },
      signal: AbortSignal.timeout(30_000),
    });
    return { status: response.status, json: (await response.json()) as T };
  }

  async setFaults(faults: Faults): Promise<void> {
    const { status } = await this.call("POST", "/_sandbox/faults", JSON.stringify(faults), "application/json");
    if (status !== 200) throw new Error(`sandbox refused faults ${JSON.stringify(faults)}: HTTP ${status}`);
  }

  async clearFaults(): Promise<void> {
    await this.call("DELETE", "/_sandbox/faults");
  }

  /** Forgets every object, pending delivery and fault: each scenario starts from an empty Stripe account. */
  async reset(): Promise<void> {
    await this.call("POST", "/_sandbox/reset");
    this.attempts.clear();
  }

  /** What the Payment Element does when the shopper presses Pay: confirm with a card. */
  async confirm(paymentIntentId: string, paymentMethod: string): Promise<ConfirmOutcome> {
    const form = new URLSearchParams({ payment_method: paymentMethod, return_url: "http://localhost/x" });
    type Answer = {
      status?: string;
      error?: { code?: string; decline_code?: string; message?: string; payment_intent?: { status?: string } };
    };
    const { status, json } = await this.call<Answer>("POST", `/v1/payment_intents/${paymentIntentId}/confirm`, form.toString());
    if (status === 200 && json.status === "succeeded") return { status: "succeeded", detail: "succeeded" };
    if (status === 402) return { status: "declined", detail: json.error?.decline_code ?? json.error?.code ?? "declined" };
    if (json.error?.code === "payment_intent_unexpected_state" && json.error.payment_intent?.status === "canceled") {
      return { status: "canceled", detail: `HTTP ${status} payment_intent_unexpected_state (canceled)` };
    }
    return { status: "other", detail: `HTTP ${status} ${json.status ?? ""} ${json.error?.message ?? ""}`.trim() };
  }

  private async listAll<T extends { id: string }>(path: string): Promise<T[]> {
    const all: T[] = [];
    let after: string | undefined;
    // Bounded: 500 pages of 100 is far more than any run creates.
    for (let page = 0; page < 500; page++) {
      const query = `limit=100${after ? `&starting_after=${after}` : ""}`;
      const { status, json } = await this.call<{ data: T[]; has_more: boolean }>("GET", `${path}?${query}`);
      if (status !== 200) throw new Error(`GET ${path} answered ${status}`);
      all.push(...json.data);
      if (!json.has_more || json.data.length === 0) return all;
      after = json.data[json.data.length - 1]!.id;
    }
    throw new Error(`GET ${path}: more than 500 pages`);
  }

  listIntents(): Promise<Intent[]> {
    return this.listAll<Intent>("/v1/payment_intents");
  }

  listEvents(): Promise<StripeEvent[]> {
    return this.listAll<StripeEvent>("/v1/events");
  }

  async pollDeliveries(): Promise<void> {
    const response = await fetch(`${this.url}/_sandbox/deliveries`, { signal: AbortSignal.timeout(30_000) });
    // Two copies of a duplicated event can record identical attempts in the same millisecond, so records are
    // told apart by how often each identical record occurs in one snapshot.
    const seen = new Map<string, DeliveryAttempt[]>();
    for (const a of (await response.json()) as DeliveryAttempt[]) {
      const key = JSON.stringify(a);
      seen.set(key, [...(seen.get(key) ?? []), a]);
    }
    for (const [key, copies] of seen) {
      const known = this.attempts.get(key) ?? [];
      if (copies.length > known.length) this.attempts.set(key, copies);
    }
  }

  /** Collects delivery attempts every second until stopped. */
  startRecording(): void {
    this.recorder ??= setInterval(() => void this.pollDeliveries().catch(() => undefined), 1_000);
  }

  stopRecording(): void {
    if (this.recorder) clearInterval(this.recorder);
    this.recorder = null;
  }

  /**
   * Retries still to come: every failed or dropped attempt that announced a next attempt must be followed by
   * attempt n+1 for the same event and endpoint (duplicates run as separate chains, so this counts chains).
   */
  pendingRetries(): number {
    const announced = new Map<string, number>();
    const followed = new Map<string, number>();
    for (const a of this.attemptList()) {
      if (a.next_attempt_at)
        announced.set(
          `${a.event_id}|${a.endpoint_id}|${a.attempt + 1}`,
          (announced.get(`${a.event_id}|${a.endpoint_id}|${a.attempt + 1}`) ?? 0) + 1,
        );
      if (a.attempt > 1)
        followed.set(`${a.event_id}|${a.endpoint_id}|${a.attempt}`, (followed.get(`${a.event_id}|${a.endpoint_id}|${a.attempt}`) ?? 0) + 1);
    }
    let pending = 0;
    for (const [key, count] of announced) pending += Math.max(0, count - (followed.get(key) ?? 0));
    return pending;
  }

  /**
   * Waits until Stripe has nothing left to send: no event waits for a first successful delivery, no retry is
   * announced without having happened, and no new attempt appeared for `quietMs`.
   */
  async waitDrained(
    timeoutMs: number,
    log: Log,
    quietMs = 3_000,
  ): Promise<{ drained: boolean; waitedMs: number; undelivered: number; pending: number }> {
    const started = Date.now();
    let lastCount = -1;
    let quietSince = Date.now();
    let report = { undelivered: 0, pending: 0 };
    let lastLog = 0;
    while (Date.now() - started < timeoutMs) {
      await this.pollDeliveries();
      const events = await this.listEvents();
      const gaveUp = this.gaveUp();
      const undelivered = events.filter((e) => e.pending_webhooks > 0 && !gaveUp.has(e.id)).length;
      const pending = this.pendingRetries();
      report = { undelivered, pending };
      const count = this.attemptList().length;
      if (count !== lastCount) {
        lastCount = count;
        quietSince = Date.now();
      }
      if (undelivered === 0 && pending === 0 && Date.now() - quietSince >= quietMs) {
        return { drained: true, waitedMs: Date.now() - started, ...report };
      }
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        log(`draining webhooks: ${undelivered} events not yet delivered, ${pending} retries pending, ${count} attempts so far`);
      }
      await sleep(500);
    }
    return { drained: false, waitedMs: Date.now() - started, ...report };
  }

  /** Events whose last allowed attempt failed with no delivery at all: a webhook Stripe gave up on. */
  gaveUp(): Set<string> {
    const delivered = new Set<string>();
    const exhausted = new Set<string>();
    for (const a of this.attemptList()) {
      if (a.outcome === "delivered") delivered.add(a.event_id);
      else if (a.attempt >= SANDBOX_MAX_ATTEMPTS && !a.next_attempt_at) exhausted.add(a.event_id);
    }
    return new Set([...exhausted].filter((id) => !delivered.has(id)));
  }

  attemptList(): DeliveryAttempt[] {
    return [...this.attempts.values()].flat();
  }
}
