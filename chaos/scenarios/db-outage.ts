// Scenario 2: PostgreSQL goes away while payments succeed. Shoppers check out, then the database refuses new
// connections and every open one is terminated; during the outage everyone pays, so Stripe's webhooks reach
// a shop that cannot commit. The handler must answer 5xx (never 2xx without the event recorded), and Stripe's
// retries, then the shop's webhook inbox, must complete every order once the database is back.
import { sleep } from "@tidewater/harness";
import { settleAndCheck } from "../invariants";
import {
  CHAOS_PRODUCTS,
  deliveryCounts,
  failedShopperNotes,
  makePlans,
  resetWorld,
  shoppersAtTheGate,
  shopperCounts,
  type Harness,
  type ScenarioReport,
} from "../harness";
import { countAppLogs, markAppLogs } from "../app-log";

export async function databaseOutage(h: Harness): Promise<ScenarioReport> {
  const started = Date.now();
  const settings = h.short ? { shoppers: 12, outageMs: 5_000 } : { shoppers: 40, outageMs: 10_000 };
  await resetWorld(h);
  h.proxy.setTargets([h.app.url]);
  const products = await h.db.setStock(CHAOS_PRODUCTS, 200);
  const initialStock = new Map(products.map((p) => [p.id, p.stock]));
  const plans = makePlans(h.random, products, settings.shoppers, { visa: 85, decline: 15, declineThenVisa: 0, abandon: 0, returnPage: 0 });
  const logMark = await markAppLogs([h.app]);
  h.sandbox.startRecording();

  // Every shopper checks out with the database up, then waits at the gate; the gate opens once it is down.
  const gate = await shoppersAtTheGate(h, plans);

  h.log(`database outage for ${settings.outageMs} ms while ${gate.waiting} shoppers pay`);
  const outageStart = Date.now();
  await h.db.refuseConnections();
  let terminated = await h.db.terminateConnections();
  const shoppers = gate.pay();
  // New connections are refused; keep cutting any that slipped through until the outage ends.
  while (Date.now() - outageStart < settings.outageMs) {
    await sleep(250);
    terminated += await h.db.terminateConnections();
  }
  await h.db.allowConnections();
  const outageEnd = Date.now();
  h.log(`database back after ${outageEnd - outageStart} ms (${terminated} connections terminated)`);

  const results = await shoppers;
  const invariants = await settleAndCheck(h, initialStock, h.short ? 120_000 : 180_000);

  const during = h.sandbox.attemptList().filter((a) => {
    const at = Date.parse(a.at);
    return at >= outageStart && at <= outageEnd + 1_000;
  });
  const answered5xx = during.filter((a) => (a.status_code ?? 0) >= 500).length;
  const answered2xxDuring = during.filter((a) => a.outcome === "delivered" && Date.parse(a.at) < outageEnd - 500).length;

  if (answered5xx === 0)
    invariants.violations.push(`no webhook attempt was answered 5xx during the outage (${during.length} attempts in the window)`);
  failedShopperNotes(results, h.log);
  return {
    name: "2 database outage during webhook delivery",
    counts: {
      ...shopperCounts(results),
      outageMs: outageEnd - outageStart,
      connectionsTerminated: terminated,
      attemptsDuringOutage: during.length,
      answered5xxDuringOutage: answered5xx,
      answered2xxDuringOutage: answered2xxDuring,
      ...deliveryCounts(h),
      ...(await countAppLogs([h.app], logMark)),
      ...invariants.counts,
    },
    violations: invariants.violations,
    seconds: Math.round((Date.now() - started) / 1000),
  };
}
