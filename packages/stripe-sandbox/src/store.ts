// All sandbox state, in memory, with optional persistence to one JSON file (written atomically, coalesced).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type Stripe from "stripe";
import type { CardBehaviour } from "./resources/test-cards.js";
import type { TimerRow } from "./timers.js";

/** What the sandbox remembers about an intent (payment or setup) beyond its public fields. */
export interface IntentState {
  id: string;
  /** The return_url of the last confirm, for the 3-D Secure redirect. */
  returnUrl: string | null;
  /** The payment method under authentication while the intent is requires_action. */
  pendingPaymentMethod: string | null;
}

export interface StoredResponse {
  status: number;
  body: unknown;
}

export interface IdempotencyRecord {
  /** The Idempotency-Key itself. */
  id: string;
  fingerprint: string;
  requestId: string;
  createdAt: number;
  response: StoredResponse;
}

export interface Tables {
  payment_intents: Stripe.PaymentIntent;
  setup_intents: Stripe.SetupIntent;
  charges: Stripe.Charge;
  refunds: Stripe.Refund;
  payment_methods: Stripe.PaymentMethod;
  customers: Stripe.Customer;
  /** Tombstones: a deleted customer still answers retrieve with `{id, object, deleted: true}`. */
  deleted_customers: Stripe.DeletedCustomer;
  events: Stripe.Event;
  webhook_endpoints: Stripe.WebhookEndpoint;
  intent_state: IntentState;
  /** `setUp`: the method was saved for later with the cardholder present (3-D Secure done), so off-session may pass. */
  card_behaviour: { id: string; behaviour: CardBehaviour; setUp?: boolean };
  /** Bank-debit mandates (SEPA, US bank account) recorded when a debit is confirmed. */
  mandates: Stripe.Mandate;
  idempotency: IdempotencyRecord;
  disputes: Stripe.Dispute;
  /** Delayed work (a dispute's decision), kept so it survives a restart; re-armed by `Timers.resume`. */
  timers: TimerRow;
}

const TABLE_NAMES: (keyof Tables)[] = [
  "payment_intents",
  "setup_intents",
  "charges",
  "refunds",
  "payment_methods",
  "customers",
  "deleted_customers",
  "events",
  "webhook_endpoints",
  "intent_state",
  "card_behaviour",
  "mandates",
  "idempotency",
  "disputes",
  "timers",
];

export class Collection<T extends { id: string }> {
  private readonly rows = new Map<string, T>();

  get(id: string): T | undefined {
    return this.rows.get(id);
  }

  /** Insert or replace; a replaced row keeps its place, so lists stay in creation order. */
  put(row: T): T {
    this.rows.set(row.id, row);
    return row;
  }

  delete(id: string): boolean {
    return this.rows.delete(id);
  }

  /** Stripe lists newest first; rows are kept in insertion (creation) order. */
  newestFirst(): T[] {
    return [...this.rows.values()].reverse();
  }

  get size(): number {
    return this.rows.size;
  }

  clear(): void {
    this.rows.clear();
  }

  toJSON(): T[] {
    return [...this.rows.values()];
  }
}

type Collections = { [K in keyof Tables]: Collection<Tables[K]> };

/** How long writes are coalesced before the data file is rewritten. */
const FLUSH_DELAY_MS = 200;

export class Store {
  readonly t: Collections;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private dirtyWhileWriting = false;

  /** `file` null keeps everything in memory (--no-persist). */
  constructor(private readonly file: string | null) {
    this.t = Object.fromEntries(TABLE_NAMES.map((n) => [n, new Collection()])) as unknown as Collections;
    if (file) this.load(file);
  }

  private load(file: string): void {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      return; // first start: no data yet
    }
    const data = JSON.parse(text) as Partial<{ [K in keyof Tables]: Tables[K][] }>;
    for (const name of TABLE_NAMES) {
      const coll = this.t[name] as Collection<{ id: string }>;
      for (const row of data[name] ?? []) coll.put(row);
    }
  }

  private serialize(): string {
    return JSON.stringify(Object.fromEntries(TABLE_NAMES.map((n) => [n, this.t[n].toJSON()])));
  }

  /** Schedules a write; many changes within FLUSH_DELAY_MS become one write. */
  markDirty(): void {
    if (!this.file) return;
    if (this.writing) {
      this.dirtyWhileWriting = true;
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.writeAsync();
    }, FLUSH_DELAY_MS);
  }

  private async writeAsync(): Promise<void> {
    const file = this.file!;
    const tmp = `${file}.${process.pid}.tmp`;
    this.writing = (async () => {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(tmp, this.serialize());
      await rename(tmp, file); // atomic replace: a crash never leaves half a file
    })();
    try {
      await this.writing;
    } finally {
      this.writing = null;
      if (this.dirtyWhileWriting) {
        this.dirtyWhileWriting = false;
        this.markDirty();
      }
    }
  }

  /** Writes now and synchronously (used on close so nothing acknowledged is lost). */
  async flush(): Promise<void> {
    if (!this.file) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.writing) await this.writing.catch(() => undefined);
    this.dirtyWhileWriting = false;
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, this.serialize());
    renameSync(tmp, this.file);
  }

  reset(): void {
    for (const name of TABLE_NAMES) this.t[name].clear();
    this.markDirty();
  }
}
