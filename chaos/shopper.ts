// A shopper as the browser drives the shop: Server Actions posted to the page with the Next-Action header
// and the cart cookie, the payment confirmed against Stripe as the Payment Element does, then (for most) the
// return page. Connection errors and 5xx answers are retried like a person pressing the button again, with a
// bounded number of attempts and a deadline.
import type { ActionIds } from "./build";
import type { SandboxClient } from "./sandbox";
import { sleep } from "./util";

export type Line = { productId: string; slug: string; quantity: number };
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

/** The shop's out-of-stock messages (lib/inventory.ts, lib/cart.ts): a refusal, not a failure. */
const SOLD_OUT = /sold out|left in stock|only \d+ .*left/i;

const MAX_ATTEMPTS = 12;
const REQUEST_DEADLINE_MS = 90_000;

export class RequestFailed extends Error {}

/** One browser: a cookie jar, and the instances it may reach (a load balancer without sticky sessions). */
export class Browser {
  private readonly cookies = new Map<string, string>();
  retries = 0;
  private turn = 0;

  constructor(private readonly origins: () => string[]) {}

  cookie(name: string): string | null {
    return this.cookies.get(name) ?? null;
  }

  private origin(): string {
    const list = this.origins();
    return list[this.turn++ % list.length]!;
  }

  private async send(path: string, init: RequestInit): Promise<{ status: number; text: string }> {
    const started = Date.now();
    let lastProblem = "";
    for (let attempt = 1; attempt <= MAX_ATTEMPTS && Date.now() - started < REQUEST_DEADLINE_MS; attempt++) {
      if (attempt > 1) {
        this.retries += 1;
        await sleep(Math.min(500 * (attempt - 1), 3_000));
      }
      const origin = this.origin();
      try {
        const response = await fetch(`${origin}${path}`, {
          ...init,
          redirect: "manual",
          headers: { ...(init.headers as Record<string, string>), Origin: origin, Cookie: this.cookieHeader() },
          signal: AbortSignal.timeout(30_000),
        });
        const text = await response.text();
        for (const line of response.headers.getSetCookie()) {
          const [pair] = line.split(";");
          const eq = pair!.indexOf("=");
          if (eq > 0) this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
        }
        if (response.status >= 500) {
          lastProblem = `HTTP ${response.status}`;
          continue;
        }
        return { status: response.status, text };
      } catch (error) {
        lastProblem = error instanceof Error ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ""}` : String(error);
      }
    }
    throw new RequestFailed(`${init.method ?? "GET"} ${path} failed after retries: ${lastProblem}`);
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  /** A Server Action call: the args are the JSON array React's encodeReply sends for plain objects. */
  action(pagePath: string, actionId: string, args: unknown[]): Promise<{ status: number; text: string }> {
    return this.send(pagePath, {
      method: "POST",
      body: JSON.stringify(args),
      headers: { "Next-Action": actionId, "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component" },
    });
  }

  get(path: string): Promise<{ status: number; text: string }> {
    return this.send(path, { method: "GET", headers: { Accept: "text/html" } });
  }
}

/** The action's return value is the flight row holding a JSON object with `ok` (as e2e/support/actions.ts reads it). */
function actionResult(text: string): { ok: boolean | null; error: string | null; clientSecret: string | null } {
  for (const line of text.split("\n")) {
    const row = /^[0-9a-f]+:(\{.*)$/.exec(line);
    if (!row) continue;
    try {
      const value = JSON.parse(row[1]!) as { ok?: unknown; error?: unknown; clientSecret?: unknown };
      if (typeof value.ok !== "boolean") continue;
      return {
        ok: value.ok,
        error: typeof value.error === "string" ? value.error : null,
        clientSecret: typeof value.clientSecret === "string" ? value.clientSecret : null,
      };
    } catch {
      // not a JSON row
    }
  }
  return { ok: null, error: null, clientSecret: null };
}

export type ShopperContext = {
  actions: ActionIds;
  sandbox: SandboxClient;
  origins: () => string[];
  /** Awaited between checkout and payment: a slow shopper, or a barrier a scenario opens when it is ready. */
  beforePay?: (plan: ShopperPlan) => Promise<void>;
};

export async function runShopper(plan: ShopperPlan, ctx: ShopperContext): Promise<ShopperResult> {
  const browser = new Browser(ctx.origins);
  const result = (outcome: ShopperOutcome, detail: string, paymentIntentId: string | null = null): ShopperResult => ({
    id: plan.id,
    outcome,
    detail,
    cartId: browser.cookie("cart_id"),
    paymentIntentId,
    retries: browser.retries,
  });
  try {
    for (const line of plan.lines) {
      // The Add to cart button lives on the product page, so the browser posts the action there.
      const added = actionResult((await browser.action(`/products/${line.slug}`, ctx.actions.addToCart, [{ productId: line.productId, quantity: line.quantity }])).text);
      if (added.ok !== true) {
        const error = added.error ?? "no result";
        return result(SOLD_OUT.test(error) ? "refused" : "failed", `addToCart: ${error}`);
      }
    }
    const checkout = actionResult((await browser.action("/checkout", ctx.actions.startCheckoutAction, [CHECKOUT_DETAILS])).text);
    if (!checkout.clientSecret) {
      const error = checkout.error ?? "no result";
      return result(SOLD_OUT.test(error) ? "refused" : "failed", `checkout: ${error}`);
    }
    const secret = checkout.clientSecret;
    const intentId = secret.slice(0, secret.indexOf("_secret_"));
    if (plan.payment === "abandon") return result("abandoned", "never paid", intentId);
    await ctx.beforePay?.(plan);

    let paid = await ctx.sandbox.confirm(intentId, plan.payment === "visa" ? "pm_card_visa" : "pm_card_chargeDeclined");
    if (paid.status === "declined" && plan.payment === "decline-then-visa") paid = await ctx.sandbox.confirm(intentId, "pm_card_visa");
    if (paid.status === "declined") return result("declined", paid.detail, intentId);
    if (paid.status !== "succeeded") return result(/status of canceled/.test(paid.detail) ? "expired" : "failed", `confirm: ${paid.detail}`, intentId);

    if (plan.secondTab) {
      const { productId, slug, quantity } = plan.secondTab;
      const added = actionResult((await browser.action(`/products/${slug}`, ctx.actions.addToCart, [{ productId, quantity }])).text);
      const again = actionResult((await browser.action("/checkout", ctx.actions.startCheckoutAction, [CHECKOUT_DETAILS])).text);
      return result("paid", `paid, then second tab: add ${added.ok ? "ok" : added.error}, checkout ${again.clientSecret ? "payable again" : again.error}`, intentId);
    }

    // Stripe redirects the browser to the return page, which syncs the order from the intent (racing the webhook).
    if (plan.visitReturnPage) {
      const query = new URLSearchParams({ payment_intent: intentId, payment_intent_client_secret: secret, redirect_status: "succeeded" });
      await browser.get(`/checkout/complete?${query}`);
    }
    return result("paid", "succeeded", intentId);
  } catch (error) {
    if (error instanceof RequestFailed) return result("failed", error.message);
    throw error;
  }
}
