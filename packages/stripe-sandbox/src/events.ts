// Events: a snapshot of the object at the moment of change, stored for /v1/events and handed to webhook delivery.
import type Stripe from "stripe";
import { newId, nowSeconds } from "./ids.js";
import type { Store } from "./store.js";

export type EventType =
  | "payment_intent.created"
  | "payment_intent.processing"
  | "payment_intent.requires_action"
  | "payment_intent.amount_capturable_updated"
  | "payment_intent.succeeded"
  | "payment_intent.payment_failed"
  | "payment_intent.canceled"
  | "setup_intent.created"
  | "setup_intent.requires_action"
  | "setup_intent.succeeded"
  | "setup_intent.setup_failed"
  | "setup_intent.canceled"
  | "charge.pending"
  | "charge.succeeded"
  | "charge.failed"
  | "charge.captured"
  | "charge.refunded"
  | "charge.updated"
  | "refund.created"
  | "refund.updated"
  | "customer.created"
  | "customer.updated"
  | "customer.deleted"
  | "payment_method.attached"
  | "payment_method.detached"
  | "payment_method.updated"
  | "charge.dispute.created"
  | "charge.dispute.updated"
  | "charge.dispute.closed"
  | "charge.dispute.funds_withdrawn"
  | "charge.dispute.funds_reinstated";

/** Which API request caused the events (Stripe's `event.request`). */
export interface EventOrigin {
  requestId: string | null;
  idempotencyKey: string | null;
  apiVersion: string;
}

export interface EventSink {
  /** Number of endpoints that will receive the event (Stripe's pending_webhooks at creation). */
  countEndpointsFor(type: string): number;
  deliver(event: Stripe.Event): void;
}

export class EventBus {
  constructor(
    private readonly store: Store,
    private readonly sink: EventSink,
  ) {}

  emit(origin: EventOrigin, type: EventType, object: { id: string }, previous?: Record<string, unknown>): Stripe.Event {
    const data: Stripe.Event.Data = { object: structuredClone(object) as Stripe.Event.Data["object"] };
    if (previous && Object.keys(previous).length > 0) data.previous_attributes = structuredClone(previous);
    const event = {
      id: newId("evt"),
      object: "event",
      api_version: origin.apiVersion,
      created: nowSeconds(),
      data,
      livemode: false,
      pending_webhooks: this.sink.countEndpointsFor(type),
      request: { id: origin.requestId, idempotency_key: origin.idempotencyKey },
      type,
    } satisfies Stripe.EventBase as Stripe.Event;
    this.store.t.events.put(event);
    this.sink.deliver(event);
    return event;
  }
}

/** The attributes of `before` that differ in `after`, with their old values (Stripe's previous_attributes). */
export function changedFields<T extends object>(before: T, after: T): Partial<T> {
  const prev: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) prev[key] = before[key];
  }
  return prev;
}
