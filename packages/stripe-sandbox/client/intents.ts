// Intent calls Stripe.js makes with the publishable key, for PaymentIntents and SetupIntents alike: the client
// secret, retrieve, confirm, next_action (3-D Secure modal or redirect) and reading the outcome.
import type { PaymentIntent, PaymentIntentOrSetupIntentResult, SetupIntent, StripeError } from "@stripe/stripe-js";
import { apiGet, apiPost, type FormObject } from "./api";
import { openChallenge } from "./modal";

export interface ApiContext {
  sandboxOrigin: string;
  publishableKey: string;
}

export type Intent = PaymentIntent | SetupIntent;
export type IntentKind = Intent["object"];
export type IntentResult = PaymentIntentOrSetupIntentResult;

const PREFIXES: Record<string, IntentKind> = { pi: "payment_intent", seti: "setup_intent" };

/**
 * "pi_123_secret_abc" → {kind: "payment_intent", id: "pi_123"}, "seti_…_secret_…" → a setup_intent. Stripe.js throws
 * an IntegrationError for anything else, and for the other kind's secret when the method names one (confirmSetup
 * with a PaymentIntent's secret).
 */
export function parseClientSecret(clientSecret: unknown, method: string, expected?: IntentKind): { kind: IntentKind; id: string } {
  const match = typeof clientSecret === "string" ? /^((pi|seti)_[^_]+)_secret_[^_]+$/.exec(clientSecret) : null;
  const kind = match?.[2] ? PREFIXES[match[2]] : undefined;
  if (!match?.[1] || !kind) {
    throw new Error(
      `Invalid value for ${method}: clientSecret should be a client secret of the form \${id}_secret_\${secret}. You specified: ${String(clientSecret)}.`,
    );
  }
  if (expected && kind !== expected) {
    const wanted = expected === "setup_intent" ? "SetupIntent" : "PaymentIntent";
    throw new Error(
      `Invalid value for ${method}: clientSecret should be the client secret of a ${wanted}. You specified: ${clientSecret}.`,
    );
  }
  return { kind, id: match[1] };
}

const apiPath = (kind: IntentKind, id: string): string => `/v1/${kind}s/${id}`;

/** {paymentIntent} or {setupIntent}, keyed by what the API returned. */
export const intentResult = (intent: Intent): IntentResult =>
  intent.object === "setup_intent" ? { setupIntent: intent } : { paymentIntent: intent };

/** An error about an intent carries it as payment_intent or setup_intent, as Stripe.js's errors do. */
export const errorAbout = (intent: Intent, error: StripeError): StripeError =>
  intent.object === "setup_intent" ? { ...error, setup_intent: intent } : { ...error, payment_intent: intent };

export const intentOf = (result: IntentResult): Intent | undefined => result.paymentIntent ?? result.setupIntent;

export async function retrieveIntent(ctx: ApiContext, clientSecret: string, method: string, expected?: IntentKind): Promise<IntentResult> {
  const { kind, id } = parseClientSecret(clientSecret, method, expected);
  const result = await apiGet<Intent>(ctx.sandboxOrigin, apiPath(kind, id), ctx.publishableKey, { client_secret: clientSecret });
  return result.ok ? intentResult(result.body) : { error: result.error };
}

/** A confirmation that ends back in requires_payment_method reports the intent's last error, as Stripe.js does after 3-D Secure. */
export function outcome(intent: Intent): IntentResult {
  const lastError = intent.object === "setup_intent" ? intent.last_setup_error : intent.last_payment_error;
  if (intent.status !== "requires_payment_method" || !lastError) return intentResult(intent);
  return {
    error: errorAbout(intent, {
      type: lastError.type ?? "card_error",
      code: lastError.code,
      decline_code: lastError.decline_code,
      message: lastError.message,
      payment_method: lastError.payment_method,
    }),
  };
}

/**
 * Follows next_action: use_stripe_sdk opens the challenge modal, redirect_to_url (a redirect method such as iDEAL, or
 * 3-D Secure without use_stripe_sdk) leaves the page, whatever `redirect` says; that promise never settles.
 */
export async function handleNextAction(ctx: ApiContext, intent: Intent, clientSecret: string): Promise<IntentResult> {
  const nextAction = intent.next_action;
  if (intent.status !== "requires_action" || !nextAction) return outcome(intent);
  if (nextAction.type === "redirect_to_url" && nextAction.redirect_to_url?.url) {
    location.assign(nextAction.redirect_to_url.url);
    return new Promise<never>(() => undefined);
  }
  const challengeUrl = (nextAction.use_stripe_sdk as { stripe_js?: unknown } | undefined)?.stripe_js;
  if (nextAction.type !== "use_stripe_sdk" || typeof challengeUrl !== "string") {
    const code = intent.object === "setup_intent" ? "setup_intent_unexpected_state" : "payment_intent_unexpected_state";
    return {
      error: errorAbout(intent, {
        type: "invalid_request_error",
        code,
        message: `The Stripe sandbox cannot handle next_action ${nextAction.type}.`,
      }),
    };
  }
  await openChallenge(challengeUrl, ctx.sandboxOrigin, intent.id);
  const after = await retrieveIntent(ctx, clientSecret, "handleNextAction");
  const retrieved = intentOf(after);
  return retrieved ? outcome(retrieved) : after;
}

export interface ConfirmRequest {
  clientSecret: string;
  /** The Stripe.js method confirming, for its IntegrationErrors; it also fixes which kind of secret it takes. */
  method: string;
  expected: IntentKind;
  paymentMethod: string | undefined;
  /** return_url, mandate_data, receipt_email, shipping, setup_future_usage… passed through to /confirm. */
  params: FormObject;
  handleActions: boolean;
}

/** POST /v1/payment_intents/:id/confirm or /v1/setup_intents/:id/confirm with the client secret. */
export async function confirmIntent(ctx: ApiContext, request: ConfirmRequest): Promise<IntentResult> {
  const { kind, id } = parseClientSecret(request.clientSecret, request.method, request.expected);
  const result = await apiPost<Intent>(ctx.sandboxOrigin, `${apiPath(kind, id)}/confirm`, ctx.publishableKey, {
    ...request.params,
    client_secret: request.clientSecret,
    payment_method: request.paymentMethod,
    // Stripe.js always asks for next_action in its own (use_stripe_sdk) form so it can show the 3-D Secure modal.
    use_stripe_sdk: true,
  });
  if (!result.ok) return { error: result.error };
  return request.handleActions ? handleNextAction(ctx, result.body, request.clientSecret) : intentResult(result.body);
}
