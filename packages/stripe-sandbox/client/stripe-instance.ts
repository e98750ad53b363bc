// What `Stripe(pk)` returns: the subset of the Stripe.js object a Payment Element integration uses, for payments
// (confirmPayment) and saved payment methods (confirmSetup) alike.
import type {
  ConfirmCardPaymentData,
  ConfirmCardPaymentOptions,
  ConfirmCardSetupData,
  ConfirmCardSetupOptions,
  ConfirmPaymentData,
  ConfirmSetupData,
  CreatePaymentMethodFromElements,
  PaymentIntentResult,
  PaymentMethodResult,
  SetupIntentResult,
  Stripe as StripeType,
  StripeElements,
  StripeElementsOptions,
  StripeError,
  TokenResult,
} from "@stripe/stripe-js";
import type { FormObject } from "./api";
import { SandboxElements } from "./elements";
import {
  confirmIntent,
  errorAbout,
  handleNextAction,
  intentOf,
  parseClientSecret,
  retrieveIntent,
  type ApiContext,
  type IntentKind,
  type IntentResult,
} from "./intents";
import { mandateDataFor } from "./methods";
import { returnUrlFor } from "./redirect";

interface ConfirmOptions {
  elements?: StripeElements;
  clientSecret?: string;
  confirmParams?: Partial<ConfirmPaymentData> | Partial<ConfirmSetupData>;
  redirect?: "always" | "if_required";
}

/** Which Stripe.js method confirms which kind of intent (and names itself in IntegrationErrors). */
const CONFIRM_METHOD: Record<IntentKind, string> = { payment_intent: "confirmPayment", setup_intent: "confirmSetup" };

const unsupported = (what: string): { error: StripeError } => ({
  error: { type: "invalid_request_error", message: `The Stripe sandbox does not support ${what}; use the Payment Element.` },
});

const noFrameAnswer: StripeError = { type: "api_error", message: "The payment frame did not answer." };

function asSandboxElements(elements: StripeElements | undefined, method: string): SandboxElements | undefined {
  if (elements === undefined || elements instanceof SandboxElements) return elements;
  throw new Error(`Invalid value for ${method}(): elements should be an Elements group created by this Stripe instance.`);
}

// The results below were confirmed against a secret already checked to be of that kind (parseClientSecret's `expected`).
const asPaymentResult = (result: IntentResult) => result as PaymentIntentResult;
const asSetupResult = (result: IntentResult) => result as SetupIntentResult;

export function createStripe(ctx: ApiContext) {
  const wrappers: unknown[] = []; // _registerWrapper / registerAppInfo: Stripe.js reports these in telemetry; the sandbox only keeps them.
  // Double submit: a second confirmation of an intent while the first is running gets the first one's promise.
  const inFlight = new Map<string, Promise<IntentResult>>();

  const loadIntent = (clientSecret: string): Promise<IntentResult> => retrieveIntent(ctx, clientSecret, "elements()");

  /** The frame creates the PaymentMethod of the selected tab; bank debits then confirm with the mandate Stripe.js accepts. */
  async function confirmWithElements(kind: IntentKind, options: ConfirmOptions): Promise<IntentResult> {
    const method = CONFIRM_METHOD[kind];
    const elements = asSandboxElements(options.elements, method);
    if (elements && elements.kind !== kind) {
      const other = CONFIRM_METHOD[elements.kind];
      throw new Error(`stripe.${method}(): this Elements group was created for a ${elements.kind}; use stripe.${other}() instead.`);
    }
    const clientSecret = options.clientSecret ?? elements?.clientSecret;
    if (!clientSecret) throw new Error(`stripe.${method}(): a clientSecret is required when Elements was created without one.`);
    parseClientSecret(clientSecret, method, kind);
    const {
      payment_method_data: paymentMethodData,
      payment_method: paymentMethodParam,
      mandate_data: mandateParam,
      ...params
    } = options.confirmParams ?? {};

    let paymentMethod = typeof paymentMethodParam === "string" ? paymentMethodParam : undefined;
    let mandateData = mandateParam as FormObject | undefined;
    const element = elements?.getElement("payment");
    if (element) {
      const created = await element.createPaymentMethod(paymentMethodData?.billing_details ?? undefined);
      if (created.error || !created.paymentMethod) return { error: created.error ?? noFrameAnswer };
      paymentMethod = created.paymentMethod.id;
      mandateData ??= mandateDataFor(created.paymentMethod.type);
    }
    return confirmIntent(ctx, {
      clientSecret,
      method,
      expected: kind,
      paymentMethod,
      params: { ...(params as FormObject), mandate_data: mandateData },
      handleActions: true,
    });
  }

  /**
   * confirmPayment / confirmSetup. redirect 'always' (the default) resolves only on failure: on success the page
   * leaves for return_url and the promise never settles. A redirect method (iDEAL) leaves the page in either mode.
   */
  async function confirmAndReturn(kind: IntentKind, options: ConfirmOptions): Promise<IntentResult> {
    const method = CONFIRM_METHOD[kind];
    const redirect = options.redirect ?? "always";
    const returnUrl = options.confirmParams?.return_url;
    if (redirect === "always" && !returnUrl) {
      throw new Error(
        `stripe.${method}(): the \`confirmParams.return_url\` argument is required unless passing \`redirect: 'if_required'\``,
      );
    }
    if (returnUrl) new URL(returnUrl); // Stripe.js rejects a relative return_url up front

    const key = options.clientSecret ?? asSandboxElements(options.elements, method)?.clientSecret ?? "";
    const running = inFlight.get(key) ?? confirmWithElements(kind, options).finally(() => inFlight.delete(key));
    inFlight.set(key, running);
    const result = await running;

    const intent = intentOf(result);
    if (result.error || !intent || redirect === "if_required" || !returnUrl) return result;
    location.assign(returnUrlFor(returnUrl, intent));
    return new Promise<never>(() => undefined);
  }

  /** confirmCardPayment / confirmCardSetup with a PaymentMethod id (or one already on the intent). */
  function confirmWithPaymentMethod(
    kind: IntentKind,
    method: string,
    clientSecret: string,
    data: ConfirmCardPaymentData | ConfirmCardSetupData | undefined,
    handleActions = true,
  ): Promise<IntentResult> {
    const { payment_method: paymentMethod, ...params } = data ?? {};
    if (paymentMethod !== undefined && typeof paymentMethod !== "string")
      return Promise.resolve(unsupported(`card Elements in ${method} (pass a PaymentMethod id)`));
    return confirmIntent(ctx, { clientSecret, method, expected: kind, paymentMethod, params: params as FormObject, handleActions });
  }

  const stripe = {
    elements: (options?: StripeElementsOptions) => new SandboxElements({ ...ctx, loadIntent }, options) as unknown as StripeElements,

    confirmPayment: async (options: ConfirmOptions): Promise<PaymentIntentResult> =>
      asPaymentResult(await confirmAndReturn("payment_intent", options)),

    confirmSetup: async (options: ConfirmOptions): Promise<SetupIntentResult> =>
      asSetupResult(await confirmAndReturn("setup_intent", options)),

    confirmCardPayment: async (
      clientSecret: string,
      data?: ConfirmCardPaymentData,
      options?: ConfirmCardPaymentOptions,
    ): Promise<PaymentIntentResult> =>
      asPaymentResult(await confirmWithPaymentMethod("payment_intent", "confirmCardPayment", clientSecret, data, options?.handleActions)),

    confirmCardSetup: async (
      clientSecret: string,
      data?: ConfirmCardSetupData,
      options?: ConfirmCardSetupOptions,
    ): Promise<SetupIntentResult> =>
      asSetupResult(await confirmWithPaymentMethod("setup_intent", "confirmCardSetup", clientSecret, data, options?.handleActions)),

    /** For a PaymentIntent's or a SetupIntent's secret, as Stripe.js's handleNextAction. */
    async handleNextAction({ clientSecret }: { clientSecret: string }): Promise<IntentResult> {
      const { kind } = parseClientSecret(clientSecret, "handleNextAction");
      const retrieved = await retrieveIntent(ctx, clientSecret, "handleNextAction");
      const intent = intentOf(retrieved);
      if (!intent) return retrieved;
      // Stripe.js refuses intents that have no action pending.
      if (intent.status !== "requires_action") {
        return {
          error: errorAbout(intent, {
            type: "invalid_request_error",
            code: `${kind}_unexpected_state`,
            message: `handleNextAction: the ${kind === "setup_intent" ? "SetupIntent" : "PaymentIntent"} has status ${intent.status}, not requires_action.`,
          }),
        };
      }
      return handleNextAction(ctx, intent, clientSecret);
    },

    retrievePaymentIntent: async (clientSecret: string): Promise<PaymentIntentResult> =>
      asPaymentResult(await retrieveIntent(ctx, clientSecret, "retrievePaymentIntent", "payment_intent")),

    retrieveSetupIntent: async (clientSecret: string): Promise<SetupIntentResult> =>
      asSetupResult(await retrieveIntent(ctx, clientSecret, "retrieveSetupIntent", "setup_intent")),

    async createPaymentMethod(options: CreatePaymentMethodFromElements): Promise<PaymentMethodResult> {
      const element = asSandboxElements(options.elements, "createPaymentMethod")?.getElement("payment");
      if (!element) return unsupported("createPaymentMethod without a Payment Element");
      const { paymentMethod, error } = await element.createPaymentMethod(options.params?.billing_details ?? undefined);
      return paymentMethod ? ({ paymentMethod } as PaymentMethodResult) : { error: error ?? noFrameAnswer };
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
