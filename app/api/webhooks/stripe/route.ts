import { applyPaymentEvent } from "@/lib/orders";
import { toPaymentEvent, verifyWebhook, WebhookSignatureError } from "@/lib/payments/events";

// Stripe's webhook endpoint. It answers 200 only once the event (and its effect, if any) is committed; the
// event id recorded in that same transaction makes redeliveries no-ops. Refusals: 413 for a body over
// 256 KB, 400 for a missing or bad signature, 422 for a signed event whose shape we do not recognise, 500
// when applying it failed (e.g. the database is down). Stripe retries every non-2xx answer for days, but
// only the 500s can succeed on a retry; a misconfigured environment (no webhook secret) also ends in a 500.
// Nothing here calls Stripe: the event carries what lib/orders needs.

// Stripe's events are a few KB; anything far larger is not from Stripe.
const MAX_BODY_BYTES = 256 * 1024;

export async function POST(request: Request): Promise<Response> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) return Response.json({ error: "Payload too large" }, { status: 413 });
  // The signature covers the exact bytes Stripe sent, so the body is read raw, never re-serialized.
  const rawBody = await request.text();
  if (Buffer.byteLength(rawBody) > MAX_BODY_BYTES) return Response.json({ error: "Payload too large" }, { status: 413 });

  let event;
  try {
    event = verifyWebhook(rawBody, request.headers.get("stripe-signature"));
  } catch (error) {
    if (error instanceof WebhookSignatureError) return Response.json({ error: error.message }, { status: 400 });
    throw error;
  }

  let paymentEvent;
  try {
    paymentEvent = toPaymentEvent(event);
  } catch (error) {
    // Signed by Stripe but not the shape we rely on: refuse loudly rather than apply half of it.
    console.error(`webhook: event ${event.id} (${event.type}) has an unexpected shape:`, error);
    return Response.json({ error: "Unexpected event payload" }, { status: 422 });
  }

  try {
    const result = await applyPaymentEvent(paymentEvent);
    return Response.json({ received: true, duplicate: result.duplicate, outcome: result.outcome });
  } catch (error) {
    console.error(`webhook: event ${event.id} (${event.type}) failed and will be retried by Stripe:`, error);
    return Response.json({ error: "Processing failed; retry later" }, { status: 500 });
  }
}
