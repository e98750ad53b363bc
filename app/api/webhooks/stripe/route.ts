import { toPaymentEvent, verifyWebhook, WebhookSignatureError } from "@/lib/payments/events";
import { recordWebhookEvent } from "@/lib/payments/inbox";

// Stripe's webhook endpoint. It verifies and parses the event, records it in the webhook inbox (one INSERT,
// shared with deliveries arriving at the same moment) and answers 200 once that commit is durable; the
// inbox's drain (lib/payments/inbox.ts) applies it to the order afterwards, exactly once. A redelivery of a recorded event answers 200 with
// `duplicate: true` and records nothing. Refusals: 413 for a body over 256 KB, 400 for a missing or bad
// signature, 422 for a signed event whose shape we do not recognise, 500 when recording it failed (e.g. the
// database is down). Stripe retries every non-2xx answer for days, but only the 500s can succeed on a retry;
// a misconfigured environment (no webhook secret) also ends in a 500. Nothing here calls Stripe: the event
// carries what lib/orders needs.

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
    // Signed by Stripe but not the shape we rely on: refuse loudly rather than record half of it.
    console.error(`webhook: event ${event.id} (${event.type}) has an unexpected shape:`, error);
    return Response.json({ error: "Unexpected event payload" }, { status: 422 });
  }

  try {
    const { duplicate } = await recordWebhookEvent(paymentEvent);
    return Response.json({ received: true, duplicate });
  } catch (error) {
    // Nothing was recorded: 200 now would lose the event, so Stripe must send it again.
    console.error(`webhook: event ${event.id} (${event.type}) failed and will be retried by Stripe:`, error);
    return Response.json({ error: "Recording failed; retry later" }, { status: 500 });
  }
}
