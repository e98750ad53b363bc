// What every scenario gets: the stack's environment, the database, the sandbox, the proxy in front of the
// app instances, the first instance, and the run's settings. Plus the plans shoppers follow.
import type { ActionManifest } from "@tidewater/harness";
import type { AppProcess } from "./app-process";
import type { ShopDb, ProductRow } from "./db";
import type { RoundRobinProxy } from "./proxy";
import type { SandboxClient } from "./sandbox";
import { runShopper, type PaymentPlan, type ShopperPlan, type ShopperResult } from "./shopper";
import { mapLimit, waitFor } from "./util";
import type { Log } from "./util";

export type Harness = {
  short: boolean;
  /** Whether scenario 1 sends second-tab shoppers (off with --no-second-tab). */
  secondTab: boolean;
  random: () => number;
  env: Record<string, string>;
  db: ShopDb;
  sandbox: SandboxClient;
  proxy: RoundRobinProxy;
  actions: ActionManifest;
  app: AppProcess;
  /** Makes another instance of the same build (its own copy of it), on its own port, with the same environment. */
  newApp: (name: string) => Promise<AppProcess>;
  log: Log;
};

export type ScenarioReport = { name: string; counts: Record<string, number | string>; violations: string[]; seconds: number };

/** The products every scenario sells: cheap enough that a cart stays under the free-shipping threshold. */
export const CHAOS_PRODUCTS = ["stoneware-mug", "dot-grid-notebook", "beeswax-candles"];

/** Clean slate: an empty Stripe account (no objects, deliveries or faults) and no carts, orders or events. */
export async function resetWorld(h: Harness): Promise<void> {
  await h.sandbox.reset();
  await h.db.resetShopData();
}

export type PlanMix = { visa: number; decline: number; declineThenVisa: number; abandon: number; returnPage: number };

/** Mostly one unit of one product; some carts take two units or two products. */
export function makePlans(random: () => number, products: ProductRow[], count: number, mix: PlanMix): ShopperPlan[] {
  const plans: ShopperPlan[] = [];
  for (let id = 1; id <= count; id++) {
    const shape = random();
    const first = products[Math.floor(random() * products.length)]!;
    const second = products[(products.indexOf(first) + 1) % products.length]!;
    const lines =
      shape < 0.7
        ? [{ variantId: first.variantId, slug: first.slug, quantity: 1 }]
        : shape < 0.9
          ? [{ variantId: first.variantId, slug: first.slug, quantity: 2 }]
          : [
              { variantId: first.variantId, slug: first.slug, quantity: 1 },
              { variantId: second.variantId, slug: second.slug, quantity: 1 },
            ];
    const roll = random() * (mix.visa + mix.decline + mix.declineThenVisa + mix.abandon);
    const payment: PaymentPlan =
      roll < mix.visa
        ? "visa"
        : roll < mix.visa + mix.decline
          ? "decline"
          : roll < mix.visa + mix.decline + mix.declineThenVisa
            ? "decline-then-visa"
            : "abandon";
    plans.push({ id, lines, payment, visitReturnPage: random() < mix.returnPage });
  }
  return plans;
}

/** Counts by outcome, plus reserved (got a payable checkout) and the retries shoppers made. */
export function shopperCounts(results: ShopperResult[]): Record<string, number> {
  const by = (outcome: string) => results.filter((r) => r.outcome === outcome).length;
  return {
    shoppers: results.length,
    reserved: results.filter((r) => r.paymentIntentId).length,
    refused: by("refused"),
    paid: by("paid"),
    declined: by("declined"),
    abandoned: by("abandoned"),
    expired: by("expired"),
    failed: by("failed"),
    shopperRetries: results.reduce((n, r) => n + r.retries, 0),
  };
}

/** Webhook delivery attempts seen by Stripe's side, for the report. */
export function deliveryCounts(h: Harness): Record<string, number> {
  const attempts = h.sandbox.attemptList();
  return {
    webhookAttempts: attempts.length,
    webhookRetries: attempts.filter((a) => a.attempt > 1).length,
    webhookDelivered: attempts.filter((a) => a.outcome === "delivered").length,
    webhookDropped: attempts.filter((a) => a.outcome === "dropped").length,
    webhook5xx: attempts.filter((a) => (a.status_code ?? 0) >= 500).length,
    webhookNoAnswer: attempts.filter((a) => a.outcome === "failed" && a.status_code === null).length,
  };
}

/** Shoppers that ended in "failed" are worth a look even when no invariant broke; show a few. */
export function failedShopperNotes(results: ShopperResult[], log: Log): void {
  for (const r of results.filter((x) => x.outcome === "failed").slice(0, 5)) log(`  shopper ${r.id} failed: ${r.detail}`);
}

/**
 * Every plan's shopper, all at once, checks out against the harness's app and then waits before paying. Resolves
 * once all of them are waiting (or ended before paying), with how many wait and `pay()`, which lets them pay and
 * resolves with their results: the scenarios that break something (the database, SMTP) do it between the two, so
 * that every payment falls inside the outage.
 */
export async function shoppersAtTheGate(
  h: Harness,
  plans: ShopperPlan[],
): Promise<{ waiting: number; pay: () => Promise<ShopperResult[]> }> {
  let atGate = 0;
  let finishedEarly = 0;
  let openGate!: () => void;
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  const shoppers = mapLimit(plans, plans.length, async (plan) => {
    const result = await runShopper(plan, {
      actions: h.actions,
      sandbox: h.sandbox,
      origins: () => [h.app.url],
      beforePay: async () => {
        atGate += 1;
        await gate;
      },
    });
    if (result.outcome !== "paid" && result.outcome !== "declined") finishedEarly += 1;
    return result;
  });
  await waitFor("every shopper to reach the payment step", 180_000, 200, async () =>
    atGate + finishedEarly >= plans.length ? true : undefined,
  );
  return {
    waiting: atGate,
    pay: () => {
      openGate();
      return shoppers;
    },
  };
}
