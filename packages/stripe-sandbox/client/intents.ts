// PaymentIntent calls Stripe.js makes with the publishable key: retrieve, confirm, and the 3-D Secure next action.
import type { PaymentIntent, PaymentIntentResult, StripeError } from "@stripe/stripe-js";
import { apiGet, apiPost, type FormObject } from "./api";
import { openChallenge } from "./modal";

export interface ApiContext {
  sandboxOrigin: string;
  publishableKey: string;
}

/** "pi_123_secret_abc" → "pi_123"; Stripe.js throws an IntegrationError for anything else. */
export function intentIdFromSecret(clientSecret: unknown, method: string): string {
  const match = typeof clientSecret === "string" ? /^(pi_[^_]+)_secret_[^_]+$/.exec(clientSecret) : null;
  if (!match?.[1]) {
    throw new Error(
      `Invalid value for ${method}: clientSecret should be a client secret of the form \${id}_secret_\${secret}. You specified: ${String(clientSecret)}.`,
    );
  }
  return match[1];
}

export async function retrieveIntent(ctx: ApiContext, clientSecret: string): Promise<PaymentIntentResult> {
  const id = intentIdFromSecret(clientSecret, "retrievePaymentIntent");
  const result = await apiGet<PaymentIntent>(ctx.sandboxOrigin, `/v1/payment_intents/${id}`, ctx.publishableKey, {
    client_secret: clientSecret,
  });
  return result.ok ? { paymentIntent: result.body } : { error: result.error };
}

/** A confirmation that ends back in requires_payment_method reports its last_payment_error, as Stripe.js does after 3-D Secure. */
function outcome(intent: PaymentIntent): PaymentIntentResult {
  const lastError = intent.last_payment_error;
  if (intent.status !== "requires_payment_method" || !lastError) return { paymentIntent: intent };
  const error: StripeError = {
    type: lastError.type ?? "card_error",
    code: lastError.code,
    decline_code: lastError.decline_code,
    message: lastError.message,
    payment_method: lastError.payment_method,
    payment_intent: intent,
  };
  return { error };
}

/** Follows next_action: use_stripe_sdk opens the challenge modal, redirect_to_url leaves the page (the promise then never settles). */
export async function handleNextAction(ctx: ApiContext, intent: PaymentIntent, clientSecret: string): Promise<PaymentIntentResult> {
  const nextAction = intent.next_action;
  if (intent.status !== "requires_action" || !nextAction) return outcome(intent);
  if (nextAction.type === "redirect_to_url" && nextAction.redirect_to_url?.url) {
    location.assign(nextAction.redirect_to_url.url);
    return new Promise<never>(() => undefined);
  }
  const challengeUrl = (nextAction.use_stripe_sdk as { stripe_js?: unknown } | undefined)?.stripe_js;
  if (nextAction.type !== "use_stripe_sdk" || typeof challengeUrl !== "string") {
    return {
      error: {
        type: "invalid_request_error",
        code: "payment_intent_unexpected_state",
        message: `The Stripe sandbox cannot handle next_action ${nextAction.type}.`,
        payment_intent: intent,
      },
    };
  }
  await openChallenge(challengeUrl, ctx.sandboxOrigin);
  const after = await retrieveIntent(ctx, clientSecret);
  return after.error ? after : outcome(after.paymentIntent);
}

export interface ConfirmRequest {
  clientSecret: string;
  paymentMethod: string | undefined;
  /** return_url, receipt_email, shipping, setup_future_usage… passed through to /confirm. */
  params: FormObject;
  handleActions: boolean;
}

export async function confirmIntent(ctx: ApiContext, request: ConfirmRequest): Promise<PaymentIntentResult> {
  const id = intentIdFromSecret(request.clientSecret, "confirmPayment");
  const result = await apiPost<PaymentIntent>(ctx.sandboxOrigin, `/v1/payment_intents/${id}/confirm`, ctx.publishableKey, {
    ...request.params,
    client_secret: request.clientSecret,
    payment_method: request.paymentMethod,
    // Stripe.js always asks for next_action in its own (use_stripe_sdk) form so it can show the 3-D Secure modal.
    use_stripe_sdk: true,
  });
  if (!result.ok) return { error: result.error };
  return request.handleActions ? handleNextAction(ctx, result.body, request.clientSecret) : { paymentIntent: result.body };
}
