// Posts an event to the shop's webhook route as Stripe does: a JSON body signed with the endpoint's secret
// (STRIPE_WEBHOOK_SECRET, set by the test setup), or with the signature a test forges. The route records it in the
// inbox and answers; applying it is the drain's work (lib/payments/inbox.ts).
import Stripe from "stripe";
import { POST } from "@/app/api/webhooks/stripe/route";

const signer = new Stripe("sk_test_signing_only");

/** A Stripe-Signature header for `payload`, signed with `secret` (the shop's own by default). */
export function signatureFor(payload: string, secret = process.env.STRIPE_WEBHOOK_SECRET!): string {
  return signer.webhooks.generateTestHeaderString({ payload, secret });
}

export async function postWebhook(event: object, signature?: string): Promise<Response> {
  const payload = JSON.stringify(event);
  return POST(
    new Request("http://shop.test/api/webhooks/stripe", {
      method: "POST",
      body: payload,
      headers: { "Content-Type": "application/json", "Stripe-Signature": signature ?? signatureFor(payload) },
    }),
  );
}
