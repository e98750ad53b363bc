// `stripe.elements(options)`: the group that owns the Payment Element, its appearance and its intent.
import type { Appearance, StripeElements, StripeElementsOptions, StripeElementsUpdateOptions, StripeError } from "@stripe/stripe-js";
import { Emitter } from "./emitter";
import { intentIdFromSecret } from "./intents";
import { SandboxPaymentElement } from "./payment-element";

export interface ElementsHost {
  sandboxOrigin: string;
  publishableKey: string;
  /** Loads the intent behind a client secret; its error becomes the element's `loaderror`. */
  checkClientSecret(clientSecret: string): Promise<StripeError | null>;
}

export class SandboxElements {
  private readonly emitter = new Emitter();
  private appearance: Appearance | undefined;
  private locale: string | undefined;
  private element: SandboxPaymentElement | null = null;
  private readonly loadError: Promise<StripeError | null>;
  readonly clientSecret: string | undefined;

  constructor(
    private readonly host: ElementsHost,
    options: StripeElementsOptions = {},
  ) {
    this.appearance = options.appearance;
    this.locale = options.locale;
    this.clientSecret = "clientSecret" in options ? options.clientSecret : undefined;
    // Stripe.js rejects a malformed client secret synchronously; a well-formed but unknown one becomes a loaderror.
    if (this.clientSecret !== undefined) intentIdFromSecret(this.clientSecret, "elements()");
    // Deferred intents ({mode, amount, currency}) have nothing to load until confirmPayment gets a client secret.
    this.loadError = this.clientSecret ? host.checkClientSecret(this.clientSecret) : Promise.resolve(null);
  }

  create(type: string, _options?: unknown): SandboxPaymentElement {
    if (type !== "payment")
      throw new Error(`The Stripe sandbox implements only the Payment Element; elements.create('${type}') is not supported.`);
    // Stripe.js allows one Payment Element per Elements group.
    if (this.element) throw new Error("Can only create one Element of type payment.");
    this.element = new SandboxPaymentElement({
      sandboxOrigin: this.host.sandboxOrigin,
      publishableKey: this.host.publishableKey,
      appearance: () => this.appearance,
      locale: () => this.locale,
      loadError: this.loadError,
      onDestroy: () => {
        this.element = null;
      },
    });
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
    return error ? { error } : { selectedPaymentMethod: "card" };
  }
}
