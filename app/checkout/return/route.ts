import { NextResponse, type NextRequest } from "next/server";
import { RETURN_PROOF_COOKIE, RETURN_PROOF_MAX_AGE_SECONDS, RETURN_PROOF_PATH } from "@/lib/checkout/return";
import { siteEnv } from "@/lib/env";

// Stripe's return_url. Stripe.js sends the shopper here with payment_intent and payment_intent_client_secret
// in the query; the secret is enough to view the order, so it goes into a short-lived HttpOnly cookie for the
// confirmation page and a 303 replaces this address (history and later Referer headers never hold it).
// Nothing here logs the URL.

const INTENT_ID = /^pi_[A-Za-z0-9_]{1,250}$/;

export function GET(request: NextRequest): Response {
  const query = request.nextUrl.searchParams;
  const intent = query.get("payment_intent");
  const secret = query.get("payment_intent_client_secret");
  const target =
    intent && INTENT_ID.test(intent) ? `${RETURN_PROOF_PATH}?${new URLSearchParams({ payment_intent: intent })}` : RETURN_PROOF_PATH;
  const response = new NextResponse(null, {
    status: 303,
    headers: { Location: target, "Cache-Control": "no-store" },
  });
  if (secret && secret.length <= 255) {
    response.cookies.set(RETURN_PROOF_COOKIE, secret, {
      httpOnly: true,
      sameSite: "lax",
      secure: siteEnv().NODE_ENV === "production",
      path: RETURN_PROOF_PATH,
      maxAge: RETURN_PROOF_MAX_AGE_SECONDS,
    });
  }
  return response;
}
