// What `Stripe(pk)` returns: the subset of the Stripe.js object a Payment Element integration uses.
import type {
  ConfirmCardPaymentData,
  ConfirmCardPaymentOptions,
  ConfirmPaymentData,
  CreatePaymentMethodFromElements,
  PaymentIntentResult,
  PaymentMethodResult,
  Stripe as StripeType,
  StripeElements,
  StripeElementsOptions,
  StripeError,
  TokenResult,
} from "@stripe/stripe-js";
import type { FormObject } from "./api";
import { SandboxElements } from "./elements";
import { confirmIntent, handleNextAction, intentIdFromSecret, retrieveIntent, type ApiContext } from "./intents";
import { returnUrlFor } from "./redirect";

interface ConfirmPaymentOptions {
  elements?: StripeElements;
  clientSecret?: string;
  confirmParams?: Partial<ConfirmPaymentData>;
  redirect?: "always" | "if_required";
}

const unsupported = (what: string): { error: StripeError } => ({
  error: { type: "invalid_request_error", message: `The Stripe sandbox does not support ${what}; use the Payment Element.` },
});

function asSandboxElements(elements: StripeElements | undefined): SandboxElements | undefined {
  if (elements === undefined || elements instanceof SandboxElements) return elements;
  throw new Error("Invalid value for confirmPayment(): elements should be an Elements group created by this Stripe instance.");
}

export function createStripe(ctx: ApiContext) {
  const wrappers: unknown[] = []; // _registerWrapper / registerAppInfo: Stripe.js reports these in telemetry; the sandbox only keeps them.
  // Double submit: a second confirmPayment for an intent while the first is running gets the first one's promise.
  const inFlight = new Map<string, Promise<PaymentIntentResult>>();

  const checkClientSecret = async (clientSecret: string): Promise<StripeError | null> =>
    (await retrieveIntent(ctx, clientSecret)).error ?? null;

  async function confirmWithElements(options: ConfirmPaymentOptions): Promise<PaymentIntentResult> {
    const elements = asSandboxElements(options.elements);
    const clientSecret = options.clientSecret ?? elements?.clientSecret;
    if (!clientSecret) throw new Error("stripe.confirmPayment(): a clientSecret is required when Elements was created without one.");
    intentIdFromSecret(clientSecret, "confirmPayment");
    const { payment_method_data: paymentMethodData, payment_method: paymentMethodParam, ...params } = options.confirmParams ?? {};

    let paymentMethod = typeof paymentMethodParam === "string" ? paymentMethodParam : undefined;
    const element = elements?.getElement("payment");
    if (element) {
      const created = await element.createPaymentMethod(paymentMethodData?.billing_details ?? undefined);
      if (created.error || !created.paymentMethod)
        return { error: created.error ?? { type: "api_error", message: "The card frame did not answer." } };
      paymentMethod = created.paymentMethod.id;
    }
    return confirmIntent(ctx, { clientSecret, paymentMethod, params: params as FormObject, handleActions: true });
  }

  const stripe = {
    elements: (options?: StripeElementsOptions) => new SandboxElements({ ...ctx, checkClientSecret }, options) as unknown as StripeElements,

    async confirmPayment(options: ConfirmPaymentOptions): Promise<PaymentIntentResult | { error: StripeError }> {
      const redirect = options.redirect ?? "always";
      const returnUrl = options.confirmParams?.return_url;
      if (redirect === "always" && !returnUrl) {
        throw new Error(
          "stripe.confirmPayment(): the `confirmParams.return_url` argument is required unless passing `redirect: 'if_required'`",
        );
      }
      if (returnUrl) new URL(returnUrl); // Stripe.js rejects a relative return_url up front

      const key = options.clientSecret ?? asSandboxElements(options.elements)?.clientSecret ?? "";
      const running = inFlight.get(key) ?? confirmWithElements(options).finally(() => inFlight.delete(key));
      inFlight.set(key, running);
      const result = await running;

      // redirect: 'always' resolves only on failure; on success the page leaves for return_url and the promise never settles.
      if (result.error || redirect === "if_required" || !returnUrl) return result;
      location.assign(returnUrlFor(returnUrl, result.paymentIntent));
      return new Promise<never>(() => undefined);
    },

    async confirmCardPayment(
      clientSecret: string,
      data?: ConfirmCardPaymentData,
      options?: ConfirmCardPaymentOptions,
    ): Promise<PaymentIntentResult> {
      const { payment_method: paymentMethod, ...params } = data ?? {};
      if (paymentMethod !== undefined && typeof paymentMethod !== "string")
        return unsupported("card Elements in confirmCardPayment (pass a PaymentMethod id)");
      return confirmIntent(ctx, {
        clientSecret,
        paymentMethod,
        params: params as FormObject,
        handleActions: options?.handleActions ?? true,
      });
    },

    async handleNextAction({ clientSecret }: { clientSecret: string }): Promise<PaymentIntentResult> {
      const retrieved = await retrieveIntent(ctx, clientSecret);
      if (retrieved.error) return retrieved;
      // Stripe.js refuses intents that have no action pending.
      if (retrieved.paymentIntent.status !== "requires_action") {
        return {
          error: {
            type: "invalid_request_error",
            code: "payment_intent_unexpected_state",
            message: `handleNextAction: the PaymentIntent has status ${retrieved.paymentIntent.status}, not requires_action.`,
            payment_intent: retrieved.paymentIntent,
          },
        };
      }
      return handleNextAction(ctx, retrieved.paymentIntent, clientSecret);
    },

    retrievePaymentIntent: (clientSecret: string): Promise<PaymentIntentResult> => retrieveIntent(ctx, clientSecret),

    async createPaymentMethod(options: CreatePaymentMethodFromElements): Promise<PaymentMethodResult> {
      const element = asSandboxElements(options.elements)?.getElement("payment");
      if (!element) return unsupported("createPaymentMethod without a Payment Element");
      const { paymentMethod, error } = await element.createPaymentMethod(options.params?.billing_details ?? undefined);
      return paymentMethod
        ? ({ paymentMethod } as PaymentMethodResult)
        : { error: error ?? { type: "api_error", message: "The card frame did not answer." } };
    },

    // Present because react-stripe-js checks for it; card tokens are not part of the sandbox.
    createToken: async (): Promise<TokenResult> => unsupported("tokens"),

    _registerWrapper(wrapper: unknown): void {
      wrappers.push(wrapper);
    },

    registerAppInfo(appInfo: unknown): void {
      wrappers.push(appInfo);
    },
  } satisfies Partial<Record<keyof StripeType | "_registerWrapper", unknown>>;
  return stripe;
}
