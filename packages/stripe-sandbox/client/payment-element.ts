// The Payment Element as the shop's page sees it: an iframe from the sandbox origin plus the element API around it.
import type { Appearance, StripeError, StripePaymentElementChangeEvent, StripePaymentElementOptions } from "@stripe/stripe-js";
import { Emitter, type Handler } from "./emitter";
import type { MethodType } from "./methods";
import {
  CHANNEL,
  isEnvelope,
  type BillingDetails,
  type Envelope,
  type FrameToParent,
  type ParentToFrame,
  type PublicPaymentMethod,
} from "./protocol";

export interface ElementHost {
  sandboxOrigin: string;
  publishableKey: string;
  appearance(): Appearance | undefined;
  locale(): string | undefined;
  /** Resolves with the error when the Elements group could not load its intent (bad client secret). */
  loadError: Promise<StripeError | null>;
  /** The tabs to show: from the intent's payment_method_types, or the deferred options' paymentMethodTypes. */
  paymentMethodTypes: Promise<MethodType[]>;
  onDestroy(): void;
}

type Reply = Extract<FrameToParent, { requestId: number }>;
type Request = Extract<ParentToFrame, { requestId: number }>;
type RequestBody<T extends Request> = T extends unknown ? Omit<T, "requestId"> : never;

const ELEMENT_TYPE = "payment";

export class SandboxPaymentElement {
  private readonly emitter = new Emitter();
  // getRandomValues, not randomUUID: the shop's page may be plain http on a non-localhost host (no secure context).
  private readonly frameId = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, "0")).join("");
  private readonly pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  private nextRequestId = 1;
  private iframe: HTMLIFrameElement | null = null;
  private container: HTMLElement | null = null;
  private frameReady: Promise<void> = Promise.resolve();
  private markReady: () => void = () => undefined;
  private destroyed = false;
  /** The tab the shopper has selected: a new frame's first tab, then the frame's change events. */
  private selectedType = "card";
  private readonly businessName: string | undefined;

  constructor(
    private readonly host: ElementHost,
    options?: StripePaymentElementOptions,
  ) {
    this.businessName = options?.business?.name;
  }

  /** elements.submit()'s selectedPaymentMethod and what confirm sends mandate_data for. */
  get selectedPaymentMethodType(): string {
    return this.selectedType;
  }

  mount(target: string | HTMLElement): void {
    if (this.destroyed) throw new Error("This Element has already been destroyed. Please create a new one.");
    if (this.iframe) throw new Error("This Element is already mounted. Use `unmount()` to unmount the Element before re-mounting.");
    const container = typeof target === "string" ? document.querySelector<HTMLElement>(target) : target;
    if (!container) {
      throw new Error(
        `The selector you specified (${String(target)}) applies to no DOM elements that are currently on the page.\nMake sure the element exists on the page before calling mount().`,
      );
    }

    const iframe = document.createElement("iframe");
    iframe.name = `__privateStripeFrame${this.frameId.slice(0, 8)}`;
    iframe.title = "Secure payment input frame"; // the title tests use to find Stripe's real element
    iframe.allow = "payment *";
    iframe.setAttribute("frameborder", "0");
    iframe.setAttribute("scrolling", "no");
    iframe.setAttribute("style", "border:0;width:100%;min-width:100%;height:240px;display:block;overflow:hidden;color-scheme:normal;");

    this.frameReady = new Promise((resolve) => (this.markReady = resolve));
    this.iframe = iframe;
    this.container = container;
    // Stripe.js marks the mount node with StripeElement state classes merchants style against.
    container.classList.add("StripeElement", "StripeElement--empty");
    window.addEventListener("message", this.onMessage);
    container.append(iframe);

    // The frame draws one tab per payment method type, known once the intent has loaded; until then it is blank.
    void this.host.paymentMethodTypes.then((types) => {
      if (this.iframe !== iframe) return;
      this.selectedType = types[0] ?? "card";
      const src = new URL("/elements/payment-frame.html", this.host.sandboxOrigin);
      src.search = new URLSearchParams({
        key: this.host.publishableKey,
        parentOrigin: location.origin,
        frameId: this.frameId,
        appearance: JSON.stringify(this.host.appearance() ?? {}),
        locale: this.host.locale() ?? "auto",
        paymentMethodTypes: types.join(","),
        ...(this.businessName ? { businessName: this.businessName } : {}),
      }).toString();
      iframe.src = src.toString();
    });

    void this.host.loadError.then((error) => {
      if (error && this.iframe === iframe) this.emitter.emit("loaderror", { elementType: ELEMENT_TYPE, error });
    });
  }

  unmount(): void {
    if (!this.iframe) return;
    window.removeEventListener("message", this.onMessage);
    this.iframe.remove();
    this.container?.classList.remove(
      "StripeElement",
      "StripeElement--empty",
      "StripeElement--complete",
      "StripeElement--focus",
      "StripeElement--invalid",
    );
    this.iframe = null;
    this.container = null;
    // A confirmation waiting on the frame must not hang forever once the frame is gone.
    for (const { reject } of this.pending.values()) reject(new Error("The Payment Element was unmounted while a request was in progress."));
    this.pending.clear();
  }

  destroy(): void {
    this.unmount();
    this.destroyed = true;
    this.host.onDestroy();
  }

  /** Accepted for compatibility: layout, wallets and field options change nothing in the stand-in's tabs. */
  update(_options: Partial<StripePaymentElementOptions>): this {
    return this;
  }

  focus(): void {
    void this.send({ type: "focus" });
  }

  blur(): void {
    void this.send({ type: "blur" });
  }

  clear(): void {
    void this.send({ type: "clear" });
  }

  on(type: string, handler: Handler): this {
    this.emitter.on(type, handler);
    return this;
  }

  once(type: string, handler: Handler): this {
    this.emitter.once(type, handler);
    return this;
  }

  off(type: string, handler?: Handler): this {
    this.emitter.off(type, handler);
    return this;
  }

  /** Pushes `elements.update({appearance})` into the frame. */
  applyAppearance(appearance: Appearance | undefined): void {
    void this.send({ type: "appearance", appearance });
  }

  /** elements.submit(): the frame shows field errors and returns the first as a validation_error. */
  async validate(): Promise<StripeError | null> {
    const reply = await this.request({ type: "validate" });
    if (reply.type !== "validated") return null;
    this.selectedType = reply.paymentMethodType;
    return reply.error;
  }

  /** The frame posts the card to /v1/payment_methods itself and hands back the PaymentMethod's public view. */
  async createPaymentMethod(
    billingDetails: BillingDetails | undefined,
  ): Promise<{ paymentMethod: PublicPaymentMethod | null; error: StripeError | null }> {
    const reply = await this.request({ type: "create-payment-method", billingDetails });
    return reply.type === "payment-method" ? reply : { paymentMethod: null, error: null };
  }

  private async send(message: ParentToFrame): Promise<void> {
    if (!this.iframe) return;
    await this.frameReady;
    // Target the sandbox origin only: the frame's messages and ours never reach another origin.
    this.iframe?.contentWindow?.postMessage(
      { ...message, channel: CHANNEL, frameId: this.frameId } satisfies Envelope<ParentToFrame>,
      this.host.sandboxOrigin,
    );
  }

  private request(body: RequestBody<Request>): Promise<Reply> {
    if (!this.iframe)
      return Promise.reject(
        new Error("The Payment Element is not mounted. Mount it before calling elements.submit() or stripe.confirmPayment()."),
      );
    const requestId = this.nextRequestId++;
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      void this.send({ ...body, requestId } as Request);
    });
  }

  private setState(state: string, on: boolean): void {
    this.container?.classList.toggle(`StripeElement--${state}`, on);
  }

  private readonly onMessage = (event: MessageEvent<unknown>): void => {
    // Accept only our own frame, from the sandbox origin.
    if (!this.iframe || event.source !== this.iframe.contentWindow || event.origin !== this.host.sandboxOrigin) return;
    if (!isEnvelope(event.data, this.frameId)) return;
    const message = event.data as Envelope<FrameToParent>;
    switch (message.type) {
      case "ready":
        this.markReady();
        this.emitter.emit("ready", { elementType: ELEMENT_TYPE });
        return;
      case "change": {
        this.selectedType = message.paymentMethodType;
        this.setState("empty", message.empty);
        this.setState("complete", message.complete);
        const change: StripePaymentElementChangeEvent = {
          elementType: ELEMENT_TYPE,
          empty: message.empty,
          complete: message.complete,
          collapsed: false,
          value: { type: message.paymentMethodType },
        };
        this.emitter.emit("change", change);
        return;
      }
      case "focus":
      case "blur":
        this.setState("focus", message.type === "focus");
        this.emitter.emit(message.type, { elementType: ELEMENT_TYPE });
        return;
      case "escape":
        this.emitter.emit("escape", { elementType: ELEMENT_TYPE });
        return;
      case "resize":
        this.iframe.style.height = `${message.height}px`;
        return;
      case "validated":
      case "payment-method": {
        this.setState("invalid", message.error?.type === "validation_error");
        const waiter = this.pending.get(message.requestId);
        this.pending.delete(message.requestId);
        waiter?.resolve(message);
        return;
      }
    }
  };
}
