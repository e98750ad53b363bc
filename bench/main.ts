// The benchmark itself; started by bench/run.ts (see there for why it is a separate process).
// `tsx bench/run.ts [--short] [--no-build] [--dist-dir DIR] [--only a,b]`:
// Starts a throw-away stack (embedded PostgreSQL + Stripe sandbox), builds the shop into its own dist dir
// (NEXT_DIST_DIR, default .next-bench, so a developer's .next is left alone), runs `next start`, and measures:
//   1 catalog  2 shopping  3 webhooks  4 page-weight  5 lighthouse  6 sandbox  7 instances
// Figures are printed as tables and written to bench/results/latest.{json,md}; the full log goes to
// bench/results/latest.log. Timings are never asserted; correctness checks fail the run (exit code 1),
// and a section that fails is reported while the others still run.
import { execFileSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  ActionManifest,
  cleanupAll,
  onCleanup,
  portIsFree,
  startShop,
  stopOnSignals,
  stopping,
  type RunningShop,
} from "@tidewater/harness";
import pg from "pg";
import { ROOT, startStack } from "../scripts/stack";
import { buildApp, existingBuild, type BuildInfo } from "./lib/app";
import { BENCH_PRODUCTS, DEFAULT_VARIANT_JOIN, type BenchContext, type Product } from "./lib/context";
import { destroyAgents } from "./lib/load";
import { failed, renderMarkdown, renderText, section, type SectionResult } from "./lib/report";
import { catalog } from "./sections/catalog";
import { instances } from "./sections/instances";
import { lighthouseScores } from "./sections/lighthouse";
import { pageWeight } from "./sections/page-weight";
import { sandboxThroughput } from "./sections/sandbox";
import { shopping } from "./sections/shopping";
import { webhooks } from "./sections/webhooks";

// ------------------------------------------------------------------------------------------ options
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const option = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
if (flag("--help")) {
  console.log(
    "usage: tsx bench/run.ts [--short] [--no-build] [--dist-dir .next-bench] [--only catalog,shopping,webhooks,page-weight,lighthouse,sandbox,instances]",
  );
  process.exit(0);
}
const short = flag("--short");
const noBuild = flag("--no-build");
const distDir = option("--dist-dir") ?? process.env.NEXT_DIST_DIR ?? ".next-bench";
const only = option("--only")?.split(",");

const SECTIONS: Array<{ id: string; run: (ctx: BenchContext) => Promise<SectionResult>; needsApp: boolean }> = [
  { id: "catalog", run: catalog, needsApp: true },
  { id: "shopping", run: shopping, needsApp: true },
  { id: "webhooks", run: webhooks, needsApp: true },
  { id: "page-weight", run: pageWeight, needsApp: true },
  { id: "lighthouse", run: lighthouseScores, needsApp: true },
  { id: "sandbox", run: sandboxThroughput, needsApp: false },
  // After the sandbox alone: the app starts again, with a second instance beside it.
  { id: "instances", run: instances, needsApp: true },
];
const unknown = only?.filter((id) => !SECTIONS.some((s) => s.id === id)) ?? [];
if (unknown.length) {
  console.error(`unknown section(s) ${unknown.join(", ")}; known: ${SECTIONS.map((s) => s.id).join(", ")}`);
  process.exit(2);
}
const selected = SECTIONS.filter((s) => !only || only.includes(s.id));

// ------------------------------------------------------------------------------------------ logging
const RESULTS = path.join(ROOT, "bench", "results");
await mkdir(RESULTS, { recursive: true });
const logFile = createWriteStream(path.join(RESULTS, "latest.log"));
const log = (line: string) => logFile.write(`${line}\n`);
const say = (line: string) => {
  console.log(line);
  log(line);
};

// ------------------------------------------------------------------------------------------ clean-up
// Everything started below is on the harness's clean-up list (next start, Chromium, the sandbox bench, the
// stack); Ctrl-C, which reaches this process twice (from the terminal and relayed by bench/run.ts), runs it once.
stopOnSignals("bench");
onCleanup("keep-alive agents", destroyAgents);
// Libraries under test can reject promises nobody awaits (Lighthouse when Chromium goes away): log them;
// the section that owns the work fails on its own.
process.on("unhandledRejection", (reason) => {
  if (!stopping()) say(`unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}`);
});

// ------------------------------------------------------------------------------------------ run
const loadAtStart = os.loadavg();
const startedAt = new Date();
const results: SectionResult[] = [];
let build: BuildInfo | undefined;
let setupError: string | undefined;

// An exception thrown from an event handler (e.g. a child process that cannot spawn) fails the section
// that is running and the run goes on; outside a section it stops the run, cleaning up first.
let abortSection: ((error: unknown) => void) | undefined;
process.on("uncaughtException", (error) => {
  say(`uncaught exception: ${error.message}`);
  if (abortSection) abortSection(error);
  else void cleanupAll().finally(() => process.exit(1));
});

/** Generous limits: a section that hangs is reported as failed instead of stalling CI. */
const SECTION_LIMIT_SECONDS = short ? 300 : 900;

async function timed(id: string, run: () => Promise<SectionResult>): Promise<SectionResult> {
  const started = performance.now();
  say(`» ${id} …`);
  let result: SectionResult;
  let timer: NodeJS.Timeout | undefined;
  try {
    result = await Promise.race([
      run(),
      new Promise<never>((_, reject) => {
        abortSection = reject;
        timer = setTimeout(() => reject(new Error(`no result after ${SECTION_LIMIT_SECONDS} s`)), SECTION_LIMIT_SECONDS * 1000);
      }),
    ]);
  } catch (error) {
    result = section(id, id, []);
    result.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
  } finally {
    clearTimeout(timer);
    abortSection = undefined;
  }
  result.seconds = (performance.now() - started) / 1000;
  say(`  ${id}: ${result.error ? "ERROR" : failed(result) ? "FAILED checks" : "done"} in ${result.seconds.toFixed(0)} s`);
  return result;
}

say(
  `bench: ${short ? "short" : "full"} run, dist dir ${distDir}${noBuild ? " (reusing the build)" : ""}; log in ${path.relative(ROOT, path.join(RESULTS, "latest.log"))}`,
);
try {
  const previous = noBuild ? await existingBuild(distDir) : undefined;
  // A reused build is served on the port it was built for when possible: its prerendered pages carry APP_URL.
  const appPort = previous?.appPort && (await portIsFree(previous.appPort)) ? previous.appPort : undefined;
  say("» starting PostgreSQL and the Stripe sandbox …");
  const stack = await startStack({ mode: "test", appPort, log });
  const db = new pg.Pool({ connectionString: stack.env.DATABASE_URL, max: 4 });
  onCleanup("bench database pool", () => db.end());
  // An idle connection dropped by the server (e.g. PostgreSQL stopping on Ctrl-C) is not a crash.
  db.on("error", (error) => log(`[bench db] ${error.message}`));
  // Plenty of stock for the shopping section's carts and checkouts.
  await db.query(
    `UPDATE "ProductVariant" v SET stock = 1000000 FROM "Product" p WHERE v."productId" = p.id AND v."optionKey" = '' AND p.slug = ANY($1)`,
    [BENCH_PRODUCTS],
  );
  const { rows } = await db.query<Product>(
    `SELECT p.id, v.id AS "variantId", p.slug, COALESCE(v.price, p.price) AS price, v.stock FROM "Product" p ${DEFAULT_VARIANT_JOIN}`,
  );
  const products = new Map(rows.map((p) => [p.slug, p]));

  if (noBuild) build = previous;
  else {
    say(`» next build (NEXT_DIST_DIR=${distDir}) …`);
    build = await buildApp(stack.env, distDir, stack.appPort, log);
    say(`  built in ${build.buildSeconds!.toFixed(0)} s`);
  }
  const actions = await ActionManifest.read(path.join(ROOT, distDir));
  const ctx: BenchContext = { short, url: stack.env.APP_URL!, env: stack.env, db, log, products, actions, distDir };
  let app: RunningShop | undefined;
  for (const s of selected) {
    if (s.needsApp && !app) {
      say(`» next start --port ${stack.appPort} …`);
      app = await startShop({ root: ROOT, distDir, port: stack.appPort, env: stack.env, output: (line) => log(`[next] ${line}`) });
    }
    if (!s.needsApp && app) {
      // Nothing else runs while the sandbox is measured on its own.
      await app.stop();
      app = undefined;
    }
    results.push(await timed(s.id, () => s.run(ctx)));
  }
} catch (error) {
  setupError = error instanceof Error ? (error.stack ?? error.message) : String(error);
} finally {
  await cleanupAll();
}

// ------------------------------------------------------------------------------------------ report
function git(...args: string[]): string {
  try {
    return execFileSync("git", args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "unknown";
  }
}
const cpus = os.cpus();
const meta = {
  date: startedAt.toISOString(),
  mode: short ? "short" : "full",
  commit: `${git("rev-parse", "--short", "HEAD")}${git("status", "--porcelain", "--untracked-files=no") ? " (with uncommitted changes)" : ""}`,
  machine: {
    cores: cpus.length,
    cpu: cpus[0]?.model ?? "unknown",
    memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverageAtStart: loadAtStart.map((l) => Number(l.toFixed(2))),
    loadAverageAtEnd: os.loadavg().map((l) => Number(l.toFixed(2))),
  },
  distDir,
  build: build
    ? { reused: noBuild, seconds: build.buildSeconds === null ? null : Number(build.buildSeconds.toFixed(1)), builtAt: build.builtAt }
    : null,
  seconds: Number(((Date.now() - startedAt.getTime()) / 1000).toFixed(0)),
};
const ok = !setupError && results.length === selected.length && !results.some(failed);
const machineLine = `${meta.machine.cores} cores (${meta.machine.cpu}), ${meta.machine.memoryGiB} GiB, node ${meta.machine.node}, ${meta.machine.os}; load average ${meta.machine.loadAverageAtStart.join(" / ")} at start, ${meta.machine.loadAverageAtEnd.join(" / ")} at end`;
const buildLine = meta.build
  ? meta.build.reused
    ? `reused build from ${meta.build.builtAt}`
    : `built in ${meta.build.seconds} s`
  : "no build";

const text = [
  "",
  `Benchmark ${meta.mode} run, ${meta.date}, commit ${meta.commit}, ${meta.seconds} s, ${buildLine}`,
  `machine: ${machineLine}`,
  "",
  ...results.map((r) => `${renderText(r)}\n`),
  ...(setupError ? [`SETUP ERROR: ${setupError}\n`] : []),
  ok ? "RESULT: all sections ran and every check passed" : "RESULT: FAILED (see ERROR / FAIL above)",
].join("\n");
console.log(text);
log(text);

const markdown = [
  `## Benchmark (${meta.mode} run)`,
  "",
  `${meta.date.slice(0, 10)}, commit ${meta.commit}; ${machineLine}. Timings are from one run on a shared machine: compare ratios, not absolute figures.`,
  "",
  ...results.map((r) => `${renderMarkdown(r)}\n`),
  ...(setupError ? [`**Setup error:** ${setupError.split("\n")[0]}\n`] : []),
].join("\n");
await writeFile(
  path.join(RESULTS, "latest.json"),
  `${JSON.stringify({ ok, meta, setupError: setupError ?? null, sections: results }, null, 2)}\n`,
);
await writeFile(path.join(RESULTS, "latest.md"), markdown);
console.log(`wrote ${["latest.json", "latest.md", "latest.log"].map((f) => path.relative(ROOT, path.join(RESULTS, f))).join(", ")}`);
await new Promise<void>((resolve) => logFile.end(resolve));
process.exit(ok ? 0 : 1);
