// `npm test`: every suite, on a throw-away database and Stripe sandbox, then one closing count.
//   0. tsc over the whole repository.
//   1. Vitest: unit and integration tests (their own embedded PostgreSQL, see test/global-setup.ts).
//   2. The Stripe.js stand-in's browser tests (sandbox/e2e, their own sandbox).
//   3. A production build of the shop, started with `next start`, walked by Playwright (e2e/).
// Pass --skip-e2e to run only step 1.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ROOT, startStack, TEST_ADMIN_PASSWORD } from "./stack";

type Counts = { passed: number; failed: number; skipped: number };
const total: Counts = { passed: 0, failed: 0, skipped: 0 };
const add = (c: Counts) => {
  total.passed += c.passed;
  total.failed += c.failed;
  total.skipped += c.skipped;
};

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env } });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

async function vitest(): Promise<number> {
  const out = path.join(os.tmpdir(), `shop-vitest-${process.pid}.json`);
  const code = await run("npx", ["--no-install", "vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`]);
  const report = await readJson<{ numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number }>(out);
  if (report) add({ passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + report.numTodoTests });
  else if (code !== 0) add({ passed: 0, failed: 1, skipped: 0 });
  return code;
}

async function playwright(config: string, env: Record<string, string> = {}): Promise<number> {
  const out = path.join(os.tmpdir(), `shop-playwright-${process.pid}-${path.basename(path.dirname(path.resolve(ROOT, config)))}.json`);
  await rm(out, { force: true });
  const code = await run("npx", ["--no-install", "playwright", "test", "-c", config, "--reporter=list,json"], {
    ...env,
    PLAYWRIGHT_JSON_OUTPUT_FILE: out,
  });
  const report = await readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number } }>(out);
  if (report) add({ passed: report.stats.expected + report.stats.flaky, failed: report.stats.unexpected, skipped: report.stats.skipped });
  else if (code !== 0) add({ passed: 0, failed: 1, skipped: 0 });
  return code;
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

async function shopEndToEnd(): Promise<number> {
  const stack = await startStack({ mode: "test", log: (line) => console.log(line) });
  try {
    const buildCode = await run("npx", ["--no-install", "next", "build"], stack.env);
    if (buildCode !== 0) {
      add({ passed: 0, failed: 1, skipped: 0 });
      console.error("next build failed");
      return buildCode;
    }
    const server = spawn("npx", ["--no-install", "next", "start", "--port", String(stack.appPort)], {
      cwd: ROOT,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, ...stack.env },
    });
    try {
      await waitForHttp(stack.env.APP_URL!, 60_000);
      return await playwright("playwright.config.ts", { ...stack.env, E2E_BASE_URL: stack.env.APP_URL!, E2E_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD });
    } finally {
      server.kill("SIGTERM");
    }
  } finally {
    await stack.stop();
  }
}

/** The browser tests need a Chromium; Debian's package is installed when we can (root with apt-get). */
async function ensureChromium(): Promise<boolean> {
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (existsSync(chromium)) return true;
  if (process.getuid?.() === 0 && existsSync("/usr/bin/apt-get")) {
    console.log("Chromium is missing: installing Debian's chromium package");
    if ((await run("apt-get", ["update", "-qq"])) === 0 && (await run("apt-get", ["install", "-y", "-qq", "chromium"], { DEBIAN_FRONTEND: "noninteractive" })) === 0) {
      return existsSync(chromium);
    }
  }
  console.error(`No Chromium at ${chromium}: install Debian's chromium package or set CHROMIUM_PATH.`);
  return false;
}

async function typecheck(): Promise<number> {
  const code = await run("npx", ["--no-install", "tsc", "--noEmit", "-p", "tsconfig.typecheck.json"]);
  if (code !== 0) add({ passed: 0, failed: 1, skipped: 0 });
  else console.log("typecheck: no errors");
  return code;
}

const skipE2e = process.argv.includes("--skip-e2e");
const codes = [await typecheck(), await vitest()];
if (!skipE2e && !(await ensureChromium())) {
  codes.push(1);
  add({ passed: 0, failed: 1, skipped: 0 });
} else if (!skipE2e) {
  codes.push(await playwright("packages/stripe-sandbox/e2e/playwright.config.ts"));
  codes.push(await shopEndToEnd());
}
const failed = codes.some((code) => code !== 0);
// One closing line with the totals of every runner above (also kept in .test-summary for CI to repeat last).
const summary = `total: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`;
console.log(`\n${summary}`);
await writeFile(path.join(ROOT, ".test-summary"), `${summary}\n`);
process.exit(failed ? 1 : 0);
