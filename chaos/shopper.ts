// A shopper as the browser drives the shop: Server Actions posted to the page with the Next-Action header
// and the cart cookie, the payment confirmed against Stripe as the Payment Element does, then (for most) the
// return page. Connection errors and 5xx answers are retried like a person pressing the button again, with a
// bounded number of attempts and a deadline. Refusals are told apart by their result code.
import { ActionClient, ActionResponseError, RequestFailed, type ActionManifest } from "@tidewater/harness";
import type { CartErrorCode, CheckoutErrorCode, Failure } from "../lib/result";
import type { SandboxClient } from "./sandbox";

/** One cart line: a variant (a chaos product's default variant) and the product page its button is on. */
export type Line = { variantId: string; slug: string; quantity: number };
export type PaymentPlan = "visa" | "decline" | "decline-then-visa" | "abandon";
export type ShopperPlan = {
  id: number;
  lines: Line[];
  payment: PaymentPlan;
  visitReturnPage: boolean;
  /**
   * After paying, before any webhook or return page has told the shop, the shopper (in a second tab) adds
   * this product and presses Pay again: the cart is still open, so the shop takes the change.
   */
  secondTab?: Line;
};
/** expired: the reservation ran out and the intent was canceled before the shopper paid. */
export type ShopperOutcome = "paid" | "declined" | "abandoned" | "refused" | "expired" | "failed";
export type ShopperResult = {
  id: number;
  outcome: ShopperOutcome;
  detail: string;
  cartId: string | null;
  paymentIntentId: string | null;
  /** Requests that had to be sent again after a connection error or a 5xx. */
  retries: number;
};

const CHECKOUT_DETAILS = {
  email: "chaos@example.com",
  name: "Chaos Shopper",
  line1: "1 Market St",
  line2: "",
  city: "San Francisco",
  state: "CA",
  postalCode: "94105",
  country: "US",
  shippingMethod: "standard",
};

type CartAnswer = { ok: true } | Failure<CartErrorCode>;
type CheckoutAnswer = { ok: true; clientSecret: string } | Failure<CheckoutErrorCode>;

/** Out of stock: a refusal, not a failure. */
const REFUSED = new Set<string>(["sold_out", "insufficient_stock"] satisfies Array<CartErrorCode & CheckoutErrorCode>);

/** A person pressing again: 12 attempts within 90 s. */
const RETRY = { attempts: 12, deadlineMs: 90_000 };

export type ShopperContext = {
  actions: ActionManifest;
  sandbox: SandboxClient;
  origins: () => string[];
  /** Awaited between checkout and payment: a slow shopper, or a barrier a scenario opens when it is ready. */
  beforePay?: (plan: ShopperPlan) => Promise<void>;
};

export async function runShopper(plan: ShopperPlan, ctx: ShopperContext): Promise<ShopperResult> {
  // One browser behind a load balancer without sticky sessions: each request goes to the next instance.
  let turn = 0;
  const origin = () => {
    const list = ctx.origins();
    return list[turn++ % list.length]!;
  };
  const browser = new ActionClient({ origin, actions: ctx.actions, retry: RETRY });
  const result = (outcome: ShopperOutcome, detail: string, paymentIntentId: string | null = null): ShopperResult => ({
    id: plan.id,
    outcome,
    detail,
    cartId: browser.jar.get("cart_id") ?? null,
    paymentIntentId,
    retries: browser.retries,
  });
  // The Add to cart button lives on the product page, so the browser posts the action there.
  const add = (line: Line) =>
    browser.result<CartAnswer>(`/products/${line.slug}`, "addToCart", [{ variantId: line.variantId, quantity: line.quantity }]);
  const checkout = () => browser.result<CheckoutAnswer>("/checkout", "startCheckoutAction", [CHECKOUT_DETAILS]);
  try {
    for (const line of plan.lines) {
      const added = await add(line);
      if (!added.ok) return result(REFUSED.has(added.code) ? "refused" : "failed", `addToCart: ${added.code} (${added.error})`);
    }
    const started = await checkout();
    if (!started.ok) return result(REFUSED.has(started.code) ? "refused" : "failed", `checkout: ${started.code} (${started.error})`);
    const secret = started.clientSecret;
    const intentId = secret.slice(0, secret.indexOf("_secret_"));
    if (plan.payment === "abandon") return result("abandoned", "never paid", intentId);
    await ctx.beforePay?.(plan);

    let paid = await ctx.sandbox.confirm(intentId, plan.payment === "visa" ? "pm_card_visa" : "pm_card_chargeDeclined");
    if (paid.status === "declined" && plan.payment === "decline-then-visa") paid = await ctx.sandbox.confirm(intentId, "pm_card_visa");
    if (paid.status === "declined") return result("declined", paid.detail, intentId);
    if (paid.status === "canceled") return result("expired", `confirm: ${paid.detail}`, intentId);
    if (paid.status !== "succeeded") return result("failed", `confirm: ${paid.detail}`, intentId);

    if (plan.secondTab) {
      const added = await add(plan.secondTab);
      const again = await checkout();
      return result(
        "paid",
        `paid, then second tab: add ${added.ok ? "ok" : added.code}, checkout ${again.ok ? "payable again" : again.code}`,
        intentId,
      );
    }

    // Stripe redirects the browser to the return page, which syncs the order from the intent (racing the webhook).
    if (plan.visitReturnPage) {
      const query = new URLSearchParams({ payment_intent: intentId, payment_intent_client_secret: secret, redirect_status: "succeeded" });
      await browser.get(`/checkout/complete?${query}`);
    }
    return result("paid", "succeeded", intentId);
  } catch (error) {
    if (error instanceof RequestFailed || error instanceof ActionResponseError) return result("failed", error.message);
    throw error;
  }
}
