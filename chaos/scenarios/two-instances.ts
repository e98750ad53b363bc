// Scenario 3: two app instances on different ports share one PostgreSQL. Shoppers' requests alternate between
// them (a load balancer without sticky sessions), webhooks are spread round-robin by the proxy, every event is
// sent twice (the copies go to different instances at the same moment) and a share is mirrored to both. One
// instance is SIGKILLed and restarted mid-run. Same invariants as scenario 1.
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
import { countAppLogs, markAppLogs } from "../app-log";
import { runShopper } from "../shopper";
import { mapLimit } from "../util";

export async function twoInstances(h: Harness): Promise<ScenarioReport> {
  const started = Date.now();
  const settings = h.short ? { shoppers: 30, concurrency: 8, stock: 10 } : { shoppers: 120, concurrency: 16, stock: 30 };
  await resetWorld(h);
  const second = await h.newApp("B");
  const instances = [h.app, second];
  h.proxy.setTargets(instances.map((a) => a.url));
  h.proxy.mirrorShare = 0.3;
  h.proxy.random = h.random;
  h.proxy.resetStats();
  const products = await h.db.setStock(CHAOS_PRODUCTS, settings.stock);
  const initialStock = new Map(products.map((p) => [p.id, p.stock]));
  const plans = makePlans(h.random, products, settings.shoppers, {
    visa: 65,
    decline: 10,
    declineThenVisa: 5,
    abandon: 20,
    returnPage: 0.5,
  });
  h.log(
    `${settings.shoppers} shoppers over instances ${instances.map((a) => `${a.name} ${a.url}`).join(" and ")}, webhooks via ${h.proxy.url}`,
  );

  const logMark = await markAppLogs(instances);
  h.sandbox.startRecording();
  await h.sandbox.setFaults({ duplicate: true, dropFirstAttempt: true, delayMs: 50 });
  let done = 0;
  let killing: Promise<void> = Promise.resolve();
  const results = await mapLimit(plans, settings.concurrency, async (plan) => {
    const result = await runShopper(plan, { actions: h.actions, sandbox: h.sandbox, origins: () => instances.map((a) => a.url) });
    done += 1;
    if (done === Math.floor(settings.shoppers / 2)) killing = second.restart(1_000);
    return result;
  });
  await killing;
  await h.sandbox.clearFaults();
  const invariants = await settleAndCheck(h, initialStock, h.short ? 120_000 : 240_000);

  failedShopperNotes(results, h.log);
  const stats = h.proxy.stats;
  await second.stop();
  h.proxy.setTargets([h.app.url]);
  h.proxy.mirrorShare = 0;
  return {
    name: "3 two instances, one database, webhooks spread and mirrored",
    counts: {
      ...shopperCounts(results),
      kills: second.kills,
      proxiedRequests: stats.requests,
      mirroredToBoth: stats.mirrored,
      ...Object.fromEntries(instances.map((a) => [`toInstance${a.name}`, stats.byTarget[a.url] ?? 0])),
      proxyUpstreamErrors: stats.upstreamErrors,
      ...deliveryCounts(h),
      ...(await countAppLogs(instances, logMark)),
      ...invariants.counts,
    },
    violations: invariants.violations,
    seconds: Math.round((Date.now() - started) / 1000),
  };
}
