// Delayed work that outlives the request that asked for it (a dispute decided after its evidence is submitted, a
// bank debit that settles a few seconds after it was confirmed).
// Each job's due time is stored, so a restarted sandbox re-arms what was pending (late jobs run at once).
import type { Core } from "./context.js";
import type { Store } from "./store.js";

export type TimerKind = "dispute_decision" | "async_payment";

export interface TimerRow {
  /** `kind:target`: one pending job per kind and object; scheduling again moves its due time. */
  id: string;
  kind: TimerKind;
  target: string;
  /** Epoch milliseconds. */
  dueAt: number;
}

export interface TimerJob {
  delayMs: number;
  run(core: Core, target: string): void;
}

export class Timers {
  private readonly handles = new Map<string, NodeJS.Timeout>();

  /** `core` emits without a request: Stripe's event.request is null for what happens later on its own. */
  constructor(
    private readonly store: Store,
    private readonly core: () => Core,
    private readonly jobs: Record<TimerKind, TimerJob>,
  ) {}

  schedule(kind: TimerKind, target: string): void {
    const row: TimerRow = { id: `${kind}:${target}`, kind, target, dueAt: Date.now() + this.jobs[kind].delayMs };
    this.store.t.timers.put(row);
    this.store.markDirty();
    this.arm(row);
  }

  /** Re-arms the jobs a previous run of the sandbox left pending. */
  resume(): void {
    for (const row of this.store.t.timers.toJSON()) this.arm(row);
  }

  private arm(row: TimerRow): void {
    const existing = this.handles.get(row.id);
    if (existing) clearTimeout(existing);
    const handle = setTimeout(
      () => {
        this.handles.delete(row.id);
        this.store.t.timers.delete(row.id);
        this.jobs[row.kind].run(this.core(), row.target);
        this.store.markDirty();
      },
      Math.max(0, row.dueAt - Date.now()),
    );
    this.handles.set(row.id, handle);
  }

  /** Stops every armed job (close, reset); the stored rows stay for the next start unless the store is reset. */
  stop(): void {
    for (const handle of this.handles.values()) clearTimeout(handle);
    this.handles.clear();
  }
}
