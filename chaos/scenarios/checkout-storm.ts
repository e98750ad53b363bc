// Scenario 1: a rush of concurrent checkouts for a few products with limited stock, while Stripe delivers
// webhooks twice, out of order, late and after a lost first attempt, and the app is SIGKILLed and restarted.
import { sleep } from "@tidewater/harness";
import { settleAndCheck } from "../invariants";
import {
  CHAOS_PRODUCTS,
  deliveryCounts,
  failedShopperNotes,
  makePlans,
  resetWorld,
  shopperCounts,
  type Harness,
  type ScenarioReport,
} from "../harness";
import type { Faults } from "../sandbox";
import { countAppLogs, markAppLogs } from "../app-log";
import { runShopper, type ShopperContext, type ShopperResult } from "../shopper";
import { mapLimit } from "../util";

const FILLER_PRODUCT = "washi-tape-set";

// Fault sets rotated during the run, so events meet every mix (outOfOrder alone holds events until a quiet gap).
const FAULT_PHASES: Faults[] = [
  { duplicate: true, outOfOrder: false, delayMs: 150, dropFirstAttempt: true },
  { duplicate: true, outOfOrder: true, delayMs: 0, dropFirstAttempt: false },
  { duplicate: false, outOfOrder: true, delayMs: 300, dropFirstAttempt: true },
  { duplicate: true, outOfOrder: true, delayMs: 100, dropFirstAttempt: true },
];

export async function checkoutStorm(h: Harness): Promise<ScenarioReport> {
  const started = Date.now();
  const killsBefore = h.app.kills;
  const settings = h.short
    ? { shoppers: 40, concurrency: 8, stock: 12, killAt: [0.3, 0.65], slowPayers: 2, secondTabs: 3 }
    : { shoppers: 200, concurrency: 16, stock: 50, killAt: [0.2, 0.45, 0.7], slowPayers: 6, secondTabs: 8 };
  await resetWorld(h);
  h.proxy.setTargets([h.app.url]);
  const products = await h.db.setStock(CHAOS_PRODUCTS, settings.stock);
  // Late payers' nudges buy something else that is in stock: the chaos products may be sold out by then.
  const [filler] = await h.db.setStock([FILLER_PRODUCT], 1_000);
  const initialStock = new Map([...products, filler!].map((p) => [p.id, p.stock]));
  const plans = makePlans(h.random, products, settings.shoppers, {
    visa: 60,
    decline: 12,
    declineThenVisa: 8,
    abandon: 20,
    returnPage: 0.5,
  });
  const visa = plans.filter((p) => p.payment === "visa");
  // A few shoppers take longer than the (1 minute) reservation to pay: their checkout may be released first.
  const slow = new Set(visa.slice(0, settings.slowPayers).map((p) => p.id));
  // A few change the cart in a second tab right after paying (see ShopperPlan.secondTab).
  const secondTabs = h.secondTab ? visa.slice(settings.slowPayers, settings.slowPayers + settings.secondTabs) : [];
  for (const plan of secondTabs) {
    const other = products.find((p) => p.variantId !== plan.lines[0]!.variantId)!;
    plan.secondTab = { variantId: other.variantId, slug: other.slug, quantity: 1 };
    plan.visitReturnPage = false;
  }
  h.log(
    `${settings.shoppers} shoppers, concurrency ${settings.concurrency}, ${products.length}×${settings.stock} units, ${slow.size} slow payers, ${secondTabs.length} second tabs`,
  );

  const logMark = await markAppLogs([h.app]);
  h.sandbox.startRecording();
  let phase = 0;
  await h.sandbox.setFaults(FAULT_PHASES[0]!);
  let running = true;
  const rotator = (async () => {
    while (running) {
      await sleep(h.short ? 4_000 : 8_000);
      if (!running) break;
      phase += 1;
      await h.sandbox.setFaults(FAULT_PHASES[phase % FAULT_PHASES.length]!).catch(() => undefined);
    }
  })();

  // Kills are tied to progress, so each happens while checkouts and webhooks are in flight.
  let done = 0;
  const killsDue = [...settings.killAt];
  let killing: Promise<void> = Promise.resolve();
  const maybeKill = () => {
    if (killsDue.length && done >= killsDue[0]! * settings.shoppers) {
      killsDue.shift();
      killing = killing.then(() => h.app.restart(300 + Math.floor(h.random() * 1_500)));
    }
  };

  const ctx: ShopperContext = { actions: h.actions, sandbox: h.sandbox, origins: () => [h.app.url] };
  // A slow payer comes back after the reservation ran out, just as another shopper's checkout releases
  // expired reservations: the release (cancel the intent, then free the stock) races the payment.
  const nudges: Array<Promise<ShopperResult>> = [];
  const payLate = async () => {
    await sleep(62_000);
    const [nudge] = makePlans(h.random, [filler!], 1, { visa: 0, decline: 0, declineThenVisa: 0, abandon: 1, returnPage: 0 });
    nudges.push(runShopper({ ...nudge!, id: settings.shoppers + nudges.length + 1 }, ctx));
    await sleep(Math.floor(h.random() * 1_500));
  };

  const results: ShopperResult[] = await mapLimit(plans, settings.concurrency, async (plan) => {
    const result = await runShopper(plan, { ...ctx, beforePay: slow.has(plan.id) ? payLate : undefined });
    done += 1;
    maybeKill();
    return result;
  });
  results.push(...(await Promise.all(nudges)));
  await killing;
  running = false;
  await rotator;

  // One more crash while Stripe's retries are still arriving.
  await h.app.restart(500);
  await h.sandbox.clearFaults();
  const invariants = await settleAndCheck(h, initialStock, h.short ? 120_000 : 240_000);

  failedShopperNotes(results, h.log);
  for (const r of results.filter((x) => secondTabs.some((p) => p.id === x.id)))
    h.log(`  shopper ${r.id} (intent ${r.paymentIntentId}): ${r.detail}`);
  return {
    name: "1 checkout storm (faulty webhooks, app killed)",
    counts: {
      ...shopperCounts(results),
      slowPayers: slow.size,
      releaseNudges: nudges.length,
      secondTabs: secondTabs.length,
      kills: h.app.kills - killsBefore,
      faultPhases: phase + 1,
      ...deliveryCounts(h),
      ...(await countAppLogs([h.app], logMark)),
      ...invariants.counts,
    },
    violations: invariants.violations,
    seconds: Math.round((Date.now() - started) / 1000),
  };
}
