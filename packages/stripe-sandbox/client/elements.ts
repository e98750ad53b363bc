// `stripe.elements(options)`: the group that owns the Payment Element, its appearance and its intent
// (a PaymentIntent or a SetupIntent, by client secret, or deferred with {mode, currency}).
import type {
  Appearance,
  StripeElements,
  StripeElementsOptions,
  StripeElementsUpdateOptions,
  StripeError,
  StripePaymentElementOptions,
} from "@stripe/stripe-js";
import { Emitter } from "./emitter";
import { intentOf, parseClientSecret, type IntentKind, type IntentResult } from "./intents";
import { elementMethodTypes, type MethodType } from "./methods";
import { SandboxPaymentElement } from "./payment-element";

export interface ElementsHost {
  sandboxOrigin: string;
  publishableKey: string;
  /** Loads the intent behind a client secret; its error becomes the element's `loaderror`. */
  loadIntent(clientSecret: string): Promise<IntentResult>;
}

/** Deferred mode's paymentMethodTypes (camelCase, or the snake_case Stripe.js also reads); not in the installed types. */
function deferredMethodTypes(options: StripeElementsOptions): unknown[] | undefined {
  const record = options as { paymentMethodTypes?: unknown; payment_method_types?: unknown };
  const types = record.paymentMethodTypes ?? record.payment_method_types;
  return Array.isArray(types) ? types : undefined;
}

export class SandboxElements {
  private readonly emitter = new Emitter();
  private appearance: Appearance | undefined;
  private locale: string | undefined;
  private element: SandboxPaymentElement | null = null;
  private readonly loadError: Promise<StripeError | null>;
  private readonly methodTypes: Promise<MethodType[]>;
  readonly clientSecret: string | undefined;
  /** What the group confirms: set by the client secret's prefix or the deferred `mode` ("payment" when neither). */
  readonly kind: IntentKind;

  constructor(
    private readonly host: ElementsHost,
    options: StripeElementsOptions = {},
  ) {
    this.appearance = options.appearance;
    this.locale = options.locale;
    this.clientSecret = "clientSecret" in options ? options.clientSecret : undefined;
    if (this.clientSecret !== undefined) {
      // Stripe.js rejects a malformed client secret synchronously; a well-formed but unknown one becomes a loaderror.
      this.kind = parseClientSecret(this.clientSecret, "elements()").kind;
      const loaded = host.loadIntent(this.clientSecret);
      this.loadError = loaded.then((result) => result.error ?? null);
      this.methodTypes = loaded.then((result) => elementMethodTypes(intentOf(result)?.payment_method_types));
    } else {
      // Deferred intents ({mode, amount, currency}) have nothing to load until confirm gets a client secret; without
      // paymentMethodTypes the element offers card only.
      this.kind = "mode" in options && options.mode === "setup" ? "setup_intent" : "payment_intent";
      this.loadError = Promise.resolve(null);
      this.methodTypes = Promise.resolve(elementMethodTypes(deferredMethodTypes(options)));
    }
  }

  create(type: string, options?: StripePaymentElementOptions): SandboxPaymentElement {
    if (type !== "payment")
      throw new Error(`The Stripe sandbox implements only the Payment Element; elements.create('${type}') is not supported.`);
    // Stripe.js allows one Payment Element per Elements group.
    if (this.element) throw new Error("Can only create one Element of type payment.");
    this.element = new SandboxPaymentElement(
      {
        sandboxOrigin: this.host.sandboxOrigin,
        publishableKey: this.host.publishableKey,
        appearance: () => this.appearance,
        locale: () => this.locale,
        loadError: this.loadError,
        paymentMethodTypes: this.methodTypes,
        onDestroy: () => {
          this.element = null;
        },
      },
      options,
    );
    return this.element;
  }

  getElement(type: string): SandboxPaymentElement | null {
    return type === "payment" ? this.element : null;
  }

  /** Shallow-merges updates like Stripe.js; appearance reaches a mounted frame at once. */
  update(options: StripeElementsUpdateOptions): Promise<void> {
    if ("appearance" in options) {
      this.appearance = options.appearance;
      this.element?.applyAppearance(this.appearance);
    }
    if (options.locale) this.locale = options.locale;
    this.emitter.emit("update-end", undefined);
    return Promise.resolve();
  }

  on(type: "update-end", handler: () => void): void {
    this.emitter.on(type, handler);
  }

  /** Validates the Payment Element; Stripe.js answers {error} (validation_error) or {selectedPaymentMethod}. */
  async submit(): ReturnType<StripeElements["submit"]> {
    if (!this.element) throw new Error("elements.submit(): the Payment Element must be created and mounted first.");
    const error = await this.element.validate();
    return error ? { error } : { selectedPaymentMethod: this.element.selectedPaymentMethodType };
  }
}
