// `npm test`: every check and test suite, in the order of STEPS, then one closing line
// `total: N passed, N failed, N skipped` (also written to .test-summary), preceded by the name and first error
// line of every failed test, so that the last lines of a CI log say what broke. A failing step does not stop the
// others. A check (type-check, lint, knip, format) counts as one failed test when it
// fails and adds nothing when it passes; a test runner adds its own counts, plus one failed test when it
// exits non-zero without reporting a failure. `--skip-e2e` leaves out the end-to-end steps (the browser tests
// and the two-instance check); `--only <text>` runs only the steps whose name contains the text. The shop's e2e suite and the two-instance check share one production build.
// Every runner and server runs in its own process group and is stopped when its step ends, on Ctrl-C or
// SIGTERM, or when `npm` goes away.
import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { buildShop, cleanupAll, spawnBin, spawnGroup, startShop, stopOnSignals, type ProcessGroup } from "@tidewater/harness";
import { twoInstanceCheck } from "./multi-instance";
import { ROOT, startStack, TEST_ADMIN_PASSWORD, type Stack } from "./stack";

type Counts = { passed: number; failed: number; skipped: number };
/** Failed tests of every step, "step › test: first error line", printed before the closing line. */
const failures: string[] = [];
/** Tests that failed and then passed on the retry (CI only), printed with the failures. */
const flaky: string[] = [];
const firstLine = (message: string | undefined) =>
  (message ?? "")
    .replace(/\x1b\[[0-9;]*m/g, "")
    .split("\n")
    .find((line) => line.trim())
    ?.trim()
    .slice(0, 300) ?? "";
/** e2e: left out by --skip-e2e; browser: needs Chromium. */
type Step = { name: string; e2e?: boolean; browser?: boolean; run: () => Promise<Counts> };

const STEPS: Step[] = [
  { name: "typecheck: shop", run: () => check("tsc", ["--noEmit", "-p", "tsconfig.typecheck.json"]) },
  { name: "typecheck: @tidewater/stripe-sandbox", run: () => check("tsc", ["--noEmit", "-p", "packages/stripe-sandbox/tsconfig.json"]) },
  { name: "typecheck: @tidewater/harness", run: () => check("tsc", ["--noEmit", "-p", "packages/harness/tsconfig.json"]) },
  // Next's ESLint rules (core-web-vitals + TypeScript) on every package; warnings fail too.
  { name: "lint: eslint", run: () => check("eslint", [".", "--max-warnings", "0"]) },
  // Unused files, exports and dependencies across the workspace (knip.json).
  { name: "lint: knip", run: () => check("knip", []) },
  { name: "format: prettier --check", run: () => check("prettier", ["--check", ".", "--log-level", "warn"]) },
  // Unit and integration tests of the shop and of every workspace package (vitest.config.ts: projects).
  { name: "vitest", run: vitest },
  {
    name: "playwright: the Stripe.js stand-in",
    e2e: true,
    browser: true,
    run: () => playwright("packages/stripe-sandbox/e2e/playwright.config.ts"),
  },
  { name: "playwright: the shop, production build", e2e: true, browser: true, run: shopEndToEnd },
  // Issue 11: a change made through one instance reaches the other (scripts/multi-instance.ts).
  { name: "multi-instance: two next start on one database", e2e: true, run: multiInstance },
];

const FAILED_ONCE: Counts = { passed: 0, failed: 1, skipped: 0 };
const NONE: Counts = { passed: 0, failed: 0, skipped: 0 };

async function exitCode(group: ProcessGroup): Promise<number> {
  const { code } = await group.exited;
  return code ?? 1;
}

/** A command that passes or fails as a whole. */
async function check(bin: string, args: string[]): Promise<Counts> {
  return (await exitCode(spawnBin(ROOT, bin, args))) === 0 ? NONE : FAILED_ONCE;
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

/** A runner's counts from its JSON report; a non-zero exit with no failure in the report counts as one. */
function runnerCounts(code: number, counts: Counts | undefined): Counts {
  if (!counts) return code === 0 ? NONE : FAILED_ONCE;
  return code !== 0 && counts.failed === 0 ? { ...counts, failed: 1 } : counts;
}

async function vitest(): Promise<Counts> {
  const out = path.join(os.tmpdir(), `shop-vitest-${process.pid}.json`);
  await rm(out, { force: true });
  const code = await exitCode(spawnBin(ROOT, "vitest", ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`]));
  const report = await readJson<{
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    testResults?: {
      assertionResults?: { status: string; fullName: string; failureMessages?: string[] }[];
      name: string;
      message?: string;
    }[];
  }>(out);
  for (const file of report?.testResults ?? []) {
    const failed = (file.assertionResults ?? []).filter((test) => test.status === "failed");
    for (const test of failed) failures.push(`vitest › ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
    if (!failed.length && file.message) failures.push(`vitest › ${path.relative(ROOT, file.name)}: ${firstLine(file.message)}`);
  }
  return runnerCounts(
    code,
    report && { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + report.numTodoTests },
  );
}

async function playwright(config: string, env: Record<string, string> = {}): Promise<Counts> {
  const out = path.join(os.tmpdir(), `shop-playwright-${process.pid}-${config.replaceAll("/", "_")}.json`);
  await rm(out, { force: true });
  const code = await exitCode(
    spawnBin(ROOT, "playwright", ["test", "-c", config, "--reporter=list,json"], {
      env: { ...process.env, ...env, PLAYWRIGHT_JSON_OUTPUT_FILE: out },
    }),
  );
  const report = await readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number }; suites?: Suite[] }>(out);
  for (const failure of playwrightOutcomes(report?.suites ?? [], "unexpected")) failures.push(`playwright › ${failure}`);
  for (const flake of playwrightOutcomes(report?.suites ?? [], "flaky")) flaky.push(`playwright › ${flake}`);
  const stats = report?.stats;
  return runnerCounts(code, stats && { passed: stats.expected + stats.flaky, failed: stats.unexpected, skipped: stats.skipped });
}

type Suite = {
  title: string;
  suites?: Suite[];
  specs?: { title: string; file: string; tests: { status: string; results: { error?: { message?: string } }[] }[] }[];
};

/** "file › title: first error line" for every spec with this outcome (for a flaky one, its first failure). */
function playwrightOutcomes(suites: Suite[], outcome: "unexpected" | "flaky"): string[] {
  return suites.flatMap((suite) => [
    ...(suite.specs ?? []).flatMap((spec) =>
      spec.tests
        .filter((test) => test.status === outcome)
        .map((test) => `${spec.file} › ${spec.title}: ${firstLine(test.results.find((result) => result.error)?.error?.message)}`),
    ),
    ...playwrightOutcomes(suite.suites ?? [], outcome),
  ]);
}

/** The steps' production build: built once, on a throw-away database and sandbox that stay up until the end. */
let production: Promise<{ stack: Stack; distDir: string }> | undefined;
function productionBuild(): Promise<{ stack: Stack; distDir: string }> {
  production ??= (async () => {
    const stack = await startStack({ mode: "test" });
    const distDir = ".next";
    await buildShop({ root: ROOT, distDir, env: stack.env });
    return { stack, distDir };
  })();
  return production;
}

/** The shop's e2e suite against `next start` of the production build. */
async function shopEndToEnd(): Promise<Counts> {
  const { stack, distDir } = await productionBuild();
  const shop = await startShop({ root: ROOT, distDir, port: stack.appPort, env: stack.env });
  try {
    return await playwright("playwright.config.ts", {
      ...stack.env,
      NEXT_DIST_DIR: distDir,
      E2E_BASE_URL: stack.env.APP_URL!,
      E2E_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    });
  } finally {
    await shop.stop();
  }
}

/** Two `next start` of the production build on its database; each check counts as one test. */
async function multiInstance(): Promise<Counts> {
  const results = await twoInstanceCheck(await productionBuild());
  const count = (ok: boolean | "skipped") => results.filter((r) => r.ok === ok).length;
  return { passed: count(true), failed: count(false), skipped: count("skipped") };
}

/** The browser steps need a Chromium; Debian's package is installed when we can (root with apt-get). */
async function ensureChromium(): Promise<boolean> {
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (existsSync(chromium)) return true;
  if (process.getuid?.() === 0 && existsSync("/usr/bin/apt-get")) {
    console.log("Chromium is missing: installing Debian's chromium package");
    const apt = (...args: string[]) =>
      exitCode(spawnGroup("apt-get", "apt-get", args, { cwd: ROOT, env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } }));
    if ((await apt("update", "-qq")) === 0 && (await apt("install", "-y", "-qq", "chromium")) === 0) return existsSync(chromium);
  }
  console.error(`No Chromium at ${chromium}: install Debian's chromium package or set CHROMIUM_PATH.`);
  return false;
}

stopOnSignals("test");
const skipE2e = process.argv.includes("--skip-e2e");
const onlyAt = process.argv.indexOf("--only");
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
const total: Counts = { ...NONE };
const results: string[] = [];
let chromium: boolean | undefined;
for (const step of STEPS) {
  if ((step.e2e && skipE2e) || (only !== undefined && !step.name.includes(only))) continue;
  const started = Date.now();
  console.log(`\n» ${step.name}`);
  let counts: Counts;
  try {
    counts = step.browser && !(chromium ??= await ensureChromium()) ? FAILED_ONCE : await step.run();
  } catch (error) {
    console.error(`${step.name}: ${error instanceof Error ? error.message : String(error)}`);
    counts = FAILED_ONCE;
  }
  total.passed += counts.passed;
  total.failed += counts.failed;
  total.skipped += counts.skipped;
  results.push(
    `${counts.failed ? "FAIL" : "ok  "} ${step.name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped (${Math.round((Date.now() - started) / 1000)} s)`,
  );
}
await production?.then(({ stack }) => stack.stop()).catch(() => undefined);
await cleanupAll();
const summary = `total: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`;
const listed = (title: string, lines: string[]) => (lines.length ? `\n\n${title}:\n${lines.map((line) => `  ${line}`).join("\n")}` : "");
console.log(`\n${results.join("\n")}${listed("Flaky (passed on the retry)", flaky)}${listed("Failed", failures)}\n\n${summary}`);
await writeFile(path.join(ROOT, ".test-summary"), `${summary}\n`);
process.exit(total.failed ? 1 : 0);
