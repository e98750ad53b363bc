// Scenario 4: two app instances (each its own copy of the build) on one PostgreSQL while stock keeps changing
// under a checkout storm: shoppers alternate between the instances, the warehouse restocks and writes off
// units straight in the database, and staff set another product's stock through either instance. Halfway
// through, B is shut down (SIGTERM) and started again, and stock changes while it is down. Besides the usual
// invariants, once everything has settled each instance's page of every product must show the stock the
// database implies within 2 s: a change made anywhere (one instance, the other, the database itself, or while
// an instance was down) has to reach every instance's cached pages.
import { ActionClient, sleep } from "@tidewater/harness";
import { openSessionWithSql } from "../../lib/auth/sessions";
import { countAppLogs, markAppLogs } from "../app-log";
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
import { checkPagesShowStock, settleAndCheck } from "../invariants";
import { runShopper } from "../shopper";
import { mapLimit } from "../util";

/** Nobody buys it: only staff change its stock, so its expected stock is the last value they set. */
const STAFF_PRODUCT = "storm-lantern";
/** The issue's bound for a change to reach every instance. */
const PAGES_WITHIN_MS = 2_000;

export async function stockAcrossInstances(h: Harness): Promise<ScenarioReport> {
  const started = Date.now();
  const settings = h.short
    ? { shoppers: 30, concurrency: 8, stock: 10, editEveryMs: 700 }
    : { shoppers: 120, concurrency: 16, stock: 30, editEveryMs: 400 };
  await resetWorld(h);
  const second = await h.newApp("B");
  const instances = [h.app, second];
  h.proxy.setTargets(instances.map((a) => a.url));
  h.proxy.mirrorShare = 0;
  h.proxy.resetStats();
  const products = await h.db.setStock(CHAOS_PRODUCTS, settings.stock);
  const [staffProduct] = await h.db.setStock([STAFF_PRODUCT], 3);
  // Expected stock = initial + what the warehouse added or wrote off − sold − reserved (invariant 3).
  const initialStock = new Map([...products, staffProduct!].map((p) => [p.id, p.stock]));
  const plans = makePlans(h.random, products, settings.shoppers, {
    visa: 65,
    decline: 10,
    declineThenVisa: 5,
    abandon: 20,
    returnPage: 0.5,
  });
  h.log(
    `${settings.shoppers} shoppers over ${instances.map((a) => `${a.name} ${a.url}`).join(" and ")}; stock edited every ${settings.editEveryMs} ms`,
  );

  const session = await openSessionWithSql(h.db.pool, h.env.ADMIN_EMAIL ?? process.env.ADMIN_EMAIL!, 3_600);
  const staffOn = (url: string) => new ActionClient({ origin: url, actions: h.actions, jar: new Map([["admin_session", session]]) });
  const edits = { warehouse: 0, staff: 0, staffRefused: 0, whileDown: 0 };
  /** A relative change straight in the database, never below zero; exact, so invariant 3 still balances. */
  const warehouse = async (restock = h.random() < 0.5) => {
    const product = products[Math.floor(h.random() * products.length)]!;
    const delta = restock ? 1 + Math.floor(h.random() * 4) : -(1 + Math.floor(h.random() * 3));
    if ((await h.db.addStock(product.id, delta)) === null) return;
    initialStock.set(product.id, initialStock.get(product.id)! + delta);
    edits.warehouse++;
  };
  /** Staff set the staff product's stock through one of the running instances (the admin stock form's action). */
  const staff = async (via = instances[Math.floor(h.random() * instances.length)]!) => {
    const stock = Math.floor(h.random() * 9);
    const answer = await staffOn(via.url)
      .result<{ ok: boolean }>("/admin/products", "setStockAction", [{ variantId: staffProduct!.variantId, stock }])
      .catch(() => ({ ok: false }));
    // A refused or failed request may still have committed: the database says what the stock is now.
    if (answer.ok) edits.staff++;
    else edits.staffRefused++;
    const [now] = await h.db.products([staffProduct!.id]);
    initialStock.set(staffProduct!.id, now!.stock);
  };

  const logMark = await markAppLogs(instances);
  h.sandbox.startRecording();
  await h.sandbox.setFaults({ duplicate: true, delayMs: 50 });
  let editing = true;
  let secondDown = false;
  const editor = (async () => {
    while (editing) {
      await sleep(settings.editEveryMs);
      if (!editing) break;
      // While B is down, staff use A (B's port refuses connections).
      if (h.random() < 0.7) await warehouse();
      else await staff(secondDown ? h.app : undefined);
    }
  })();

  let done = 0;
  let restarting: Promise<void> = Promise.resolve();
  const restartSecond = async () => {
    secondDown = true;
    const restarted = second.restart(1_500, "SIGTERM");
    // B misses these while it is down, and must know of them when it is back.
    await sleep(300);
    await warehouse(true);
    await staff(h.app);
    edits.whileDown += 2;
    await restarted;
    secondDown = false;
  };
  const results = await mapLimit(plans, settings.concurrency, async (plan) => {
    const result = await runShopper(plan, { actions: h.actions, sandbox: h.sandbox, origins: () => instances.map((a) => a.url) });
    done += 1;
    if (done === Math.floor(settings.shoppers / 2)) restarting = restartSecond();
    return result;
  });
  await restarting;
  editing = false;
  await editor;
  await h.sandbox.clearFaults();
  const invariants = await settleAndCheck(h, initialStock, h.short ? 120_000 : 240_000);
  const pages = await checkPagesShowStock(h.db, instances, [...initialStock.keys()], PAGES_WITHIN_MS);
  h.log(`pages: ${pages.pages - pages.violations.length} of ${pages.pages} show the database's stock (${pages.reads} reads)`);

  failedShopperNotes(results, h.log);
  const stats = h.proxy.stats;
  await second.stop();
  h.proxy.setTargets([h.app.url]);
  return {
    name: "4 two instances, stock changing everywhere, every instance's pages checked",
    counts: {
      ...shopperCounts(results),
      warehouseEdits: edits.warehouse,
      staffEdits: edits.staff,
      staffEditsFailed: edits.staffRefused,
      editsWhileBDown: edits.whileDown,
      proxiedRequests: stats.requests,
      proxyUpstreamErrors: stats.upstreamErrors,
      ...deliveryCounts(h),
      ...(await countAppLogs(instances, logMark)),
      ...invariants.counts,
      pagesChecked: pages.pages,
      pagesStale: pages.violations.length,
    },
    violations: [...invariants.violations, ...pages.violations],
    seconds: Math.round((Date.now() - started) / 1000),
  };
}
