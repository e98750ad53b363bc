// Chaos harness for the shop: concurrent checkouts against a production build while Stripe misbehaves, the
// app crashes, the database disappears and two instances share the work. Prints counts per scenario and
// exits 1 if any invariant is violated (2 if the harness itself failed).
//
//   tsx chaos/run.ts [--short] [--seed N] [--only 1,2,3,4,5] [--rebuild] [--no-second-tab]
//
// --no-second-tab leaves out the shoppers who change their cart in a second tab right after paying (they
// reproduce a known shop bug; see chaos/README.md).
// --short is the CI size (a few minutes); the default is the full size, for measuring. Everything runs on
// 127.0.0.1: an embedded PostgreSQL, the Stripe sandbox, a round-robin proxy and `next start` children.
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ActionManifest, cleanupAll, copyBuild, freePort, stopOnSignals, stopping } from "@tidewater/harness";
import { ROOT, startStack } from "../scripts/stack";
import { AppProcess } from "./app-process";
import { DIST_DIR, ensureBuild } from "./build";
import { ShopDb } from "./db";
import type { Harness, ScenarioReport } from "./harness";
import { RoundRobinProxy } from "./proxy";
import { SandboxClient } from "./sandbox";
import { checkoutStorm } from "./scenarios/checkout-storm";
import { databaseOutage } from "./scenarios/db-outage";
import { smtpOutage } from "./scenarios/smtp-outage";
import { stockAcrossInstances } from "./scenarios/stock-across-instances";
import { twoInstances } from "./scenarios/two-instances";
import { makeLog, seededRandom } from "./util";

const SCENARIOS = { "1": checkoutStorm, "2": databaseOutage, "3": twoInstances, "4": stockAcrossInstances, "5": smtpOutage } as const;

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<number> {
  const short = process.argv.includes("--short");
  const seed = Number(option("--seed") ?? Date.now() % 1_000_000);
  const only = (option("--only") ?? Object.keys(SCENARIOS).join(",")).split(",").map((s) => s.trim()) as Array<keyof typeof SCENARIOS>;
  for (const id of only) if (!SCENARIOS[id]) throw new Error(`--only: unknown scenario ${id} (${Object.keys(SCENARIOS).join(", ")})`);
  const started = Date.now();
  const log = makeLog("", started);
  const logDir = await mkdtemp(path.join(os.tmpdir(), "shop-chaos-"));
  log(`${short ? "short" : "full"} run, seed ${seed}, scenarios ${only.join(",")}; app logs in ${logDir}`);

  // The proxy is the shop's public origin: the sandbox forwards webhooks to it, it forwards to the instances.
  const proxy = new RoundRobinProxy();
  await proxy.listen();
  const previousAppUrl = process.env.APP_URL;
  process.env.APP_URL = proxy.url;
  const stack = await startStack({ mode: "test", log: (line) => log(line) }).finally(() => {
    if (previousAppUrl === undefined) delete process.env.APP_URL;
    else process.env.APP_URL = previousAppUrl;
  });
  if (!stack.env.STRIPE_SANDBOX_URL) throw new Error("the chaos run needs the Stripe sandbox: unset STRIPE_SECRET_KEY");

  await ensureBuild(stack.env, process.argv.includes("--rebuild"), log);
  const actions = await ActionManifest.read(path.join(ROOT, DIST_DIR));
  // A one-minute reservation lets abandoned checkouts expire and be released during the run.
  const appEnv = { ...stack.env, CHECKOUT_RESERVATION_MINUTES: "1" };
  const newApp = async (name: string, port?: number) => {
    // A runs the build itself, every other instance its own copy, as on a machine of its own: `next start`
    // keeps the pages it regenerates in its dist dir, which instances must not share through the disk.
    const distDir = name === "A" ? DIST_DIR : `${DIST_DIR}-${name.toLowerCase()}`;
    if (distDir !== DIST_DIR) await copyBuild({ root: ROOT, distDir: DIST_DIR, to: distDir });
    const app = new AppProcess({
      name,
      port: port ?? (await freePort()),
      env: appEnv,
      distDir,
      logFile: path.join(logDir, `app-${name}.log`),
      log,
    });
    await app.start();
    return app;
  };
  const app = await newApp("A", stack.appPort);
  proxy.setTargets([app.url]);

  const harness: Harness = {
    short,
    secondTab: !process.argv.includes("--no-second-tab"),
    random: seededRandom(seed),
    env: appEnv,
    db: new ShopDb(stack.env.DATABASE_URL!),
    sandbox: new SandboxClient(stack.env.STRIPE_SANDBOX_URL, stack.env.STRIPE_SECRET_KEY!),
    proxy,
    actions,
    app,
    newApp: (name) => newApp(name),
    log,
  };

  const reports: ScenarioReport[] = [];
  for (const id of only) {
    log(`--- scenario ${id}`);
    const report = await SCENARIOS[id]({ ...harness, log: makeLog(`[s${id}] `, started) });
    reports.push(report);
    printReport(report);
  }

  const violations = reports.reduce((n, r) => n + r.violations.length, 0);
  console.log(
    `\nchaos ${short ? "short" : "full"} run (seed ${seed}) in ${Math.round((Date.now() - started) / 1000)} s: ${reports.length} scenarios, ${violations} invariant violations`,
  );
  console.log(`app logs: ${logDir}`);
  return violations > 0 ? 1 : 0;
}

function printReport(report: ScenarioReport): void {
  console.log(`\n=== scenario ${report.name} (${report.seconds} s)`);
  const entries = Object.entries(report.counts);
  const width = Math.max(...entries.map(([k]) => k.length));
  for (const [key, value] of entries) console.log(`  ${key.padEnd(width)}  ${value}`);
  if (report.violations.length === 0) console.log("  invariants: all hold");
  else {
    console.log(`  INVARIANT VIOLATIONS (${report.violations.length}):`);
    for (const v of report.violations.slice(0, 40)) console.log(`    - ${v}`);
    if (report.violations.length > 40) console.log(`    … and ${report.violations.length - 40} more`);
  }
}

stopOnSignals("chaos");
for (const event of ["uncaughtException", "unhandledRejection"] as const) {
  process.on(event, (error) => {
    // Work torn down under a clean-up fails as expected.
    if (stopping()) return;
    console.error(`[chaos] ${event}:`, error);
    void cleanupAll().finally(() => process.exit(2));
  });
}
let code = 2;
try {
  code = await main();
} catch (error) {
  if (!stopping()) console.error("[chaos] harness failed:", error);
} finally {
  await cleanupAll();
}
process.exit(code);
