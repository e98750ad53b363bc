import { revalidateCatalog } from "@/lib/catalog";
import { applyPaymentEvent } from "@/lib/orders";
import { toPaymentEvent, verifyWebhook, WebhookSignatureError } from "@/lib/payments/events";

// Stripe's webhook endpoint. 2xx only once the event's effect is committed; any failure answers 5xx so
// Stripe delivers it again, and the event id recorded in the same transaction makes redeliveries no-ops.

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
    if (result.stockChanged) revalidateCatalog();
    return Response.json({ received: true, duplicate: result.duplicate, outcome: result.outcome });
  } catch (error) {
    console.error(`webhook: event ${event.id} (${event.type}) failed and will be retried by Stripe:`, error);
    return Response.json({ error: "Processing failed; retry later" }, { status: 500 });
  }
}
