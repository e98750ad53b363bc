// Idempotency-Key on POST (docs/stripe-behaviour.md "Idempotency"): replay the first result for the same params,
// refuse other params (400) and a second request while the first still runs (409). Kept 24 hours, persisted with the rest.
import { StripeApiError } from "./errors.js";
import type { IdempotencyRecord, Store, StoredResponse } from "./store.js";

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_KEY_LENGTH = 255;

export type Begin = { kind: "run" } | { kind: "replay"; record: IdempotencyRecord };

export class IdempotencyKeys {
  private readonly running = new Set<string>();

  constructor(private readonly store: Store) {}

  begin(key: string, fingerprint: string): Begin {
    if (key.length > MAX_KEY_LENGTH) {
      throw new StripeApiError(400, {
        type: "invalid_request_error",
        message: `Idempotency-Key values can be at most ${MAX_KEY_LENGTH} characters long, but this one has ${key.length}.`,
      });
    }
    if (this.running.has(key)) {
      throw new StripeApiError(409, {
        type: "idempotency_error",
        code: "idempotency_key_in_use",
        message:
          "There is currently another in-progress request using this Idempotent Key (probably means that you double-clicked on something or have requests in flight from multiple processes). Please try again later.",
      });
    }
    const record = this.store.t.idempotency.get(key);
    if (record && Date.now() - record.createdAt > IDEMPOTENCY_TTL_MS) this.store.t.idempotency.delete(key);
    else if (record) {
      if (record.fingerprint !== fingerprint) {
        throw new StripeApiError(400, {
          type: "idempotency_error",
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        });
      }
      return { kind: "replay", record };
    }
    this.running.add(key);
    return { kind: "run" };
  }

  /** Stores the result of a request that ran (validation failures are passed to `abandon` instead). */
  finish(key: string, fingerprint: string, requestId: string, response: StoredResponse): void {
    this.running.delete(key);
    this.store.t.idempotency.put({ id: key, fingerprint, requestId, createdAt: Date.now(), response });
  }

  abandon(key: string): void {
    this.running.delete(key);
  }
}
