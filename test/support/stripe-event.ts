// Stripe's event envelope around one object, as Stripe posts it to a webhook endpoint. Shared by the
// webhook e2e tests and the webhook benchmark, which sign and post such events themselves.
export function stripeEvent(id: string, type: string, object: Record<string, unknown>) {
  return {
    id,
    object: "event" as const,
    type,
    api_version: "2025-01-01",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object },
  };
}
