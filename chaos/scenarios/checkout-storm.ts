// Scenario 1: a rush of concurrent checkouts for a few products with limited stock, while Stripe delivers
// webhooks twice, out of order, late and after a lost first attempt, and the app is SIGKILLed and restarted.
import { checkInvariants } from "../invariants";
import { CHAOS_PRODUCTS, deliveryCounts, failedShopperNotes, makePlans, resetWorld, shopperCounts, type Harness, type ScenarioReport } from "../harness";
import type { Faults } from "../sandbox";
import { runShopper, type ShopperResult } from "../shopper";
import { mapLimit, sleep } from "../util";

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
    ? { shoppers: 40, concurrency: 8, stock: 12, killAt: [0.3, 0.65], slowPayers: 0 }
    : { shoppers: 200, concurrency: 16, stock: 50, killAt: [0.2, 0.45, 0.7], slowPayers: 6 };
  await resetWorld(h);
  h.proxy.setTargets([h.app.url]);
  const products = await h.db.setStock(CHAOS_PRODUCTS, settings.stock);
  const initialStock = new Map(products.map((p) => [p.id, p.stock]));
  const plans = makePlans(h.random, products, settings.shoppers, { visa: 60, decline: 12, declineThenVisa: 8, abandon: 20, returnPage: 0.5 });
  // A few shoppers take longer than the (1 minute) reservation to pay: their checkout may be released first.
  const slow = new Set(plans.filter((p) => p.payment === "visa").slice(0, settings.slowPayers).map((p) => p.id));
  h.log(`${settings.shoppers} shoppers, concurrency ${settings.concurrency}, ${products.length}×${settings.stock} units, ${slow.size} slow payers`);

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

  const results: ShopperResult[] = await mapLimit(plans, settings.concurrency, async (plan) => {
    const result = await runShopper(plan, {
      actions: h.actions,
      sandbox: h.sandbox,
      origins: () => [h.app.url],
      beforePay: slow.has(plan.id) ? () => sleep(65_000) : undefined,
    });
    done += 1;
    maybeKill();
    return result;
  });
  await killing;
  running = false;
  await rotator;

  // One more crash while Stripe's retries are still arriving.
  await h.app.restart(500);
  await h.sandbox.clearFaults();
  const drain = await h.sandbox.waitDrained(h.short ? 120_000 : 240_000, h.log);
  h.sandbox.stopRecording();
  h.log(`webhooks ${drain.drained ? "drained" : "NOT drained"} after ${(drain.waitedMs / 1000).toFixed(1)} s`);

  const invariants = await checkInvariants(h.db, h.sandbox, initialStock);
  if (!drain.drained) invariants.violations.push(`webhooks did not drain: ${drain.undelivered} events undelivered, ${drain.pending} retries pending`);
  failedShopperNotes(results, h.log);
  return {
    name: "1 checkout storm (faulty webhooks, app killed)",
    counts: { ...shopperCounts(results), kills: h.app.kills - killsBefore, faultPhases: phase + 1, ...deliveryCounts(h), ...invariants.counts },
    violations: invariants.violations,
    seconds: Math.round((Date.now() - started) / 1000),
  };
}
