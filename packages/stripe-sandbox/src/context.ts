// What a resource handler gets for one API request.
import type { Credential } from "./auth.js";
import type { EventType } from "./events.js";
import type { FormObject } from "./form.js";
import type { Store } from "./store.js";
import type { TimerKind } from "./timers.js";

/** What the payment logic needs, inside an API request or outside one (the 3-D Secure challenge page). */
export interface Core {
  store: Store;
  /** The Stripe-Version objects and events are rendered for. */
  apiVersion: string;
  /** Scheme, host and port the caller used to reach the sandbox (for challenge URLs). */
  origin: string;
  emit(type: EventType, object: { id: string }, previous?: Record<string, unknown>): void;
  /** Runs `kind`'s job for `target` after that kind's delay, outside this request (src/timers.ts). */
  schedule(kind: TimerKind, target: string): void;
}

export interface Ctx extends Core {
  credential: Credential;
  /** Query and body params, decoded (the publishable `key` param removed). */
  params: FormObject;
  /** Values of `:name` segments in the route. */
  path: Record<string, string>;
  requestId: string;
  idempotencyKey: string | null;
  /** The request's path, for list `url` fields. */
  url: string;
}

export interface HandlerResult {
  status?: number;
  body: unknown;
}

export type Handler = (ctx: Ctx) => HandlerResult;
