// Starts the sandbox in-process and the test shop next to it; their URLs reach the tests through the environment.
import { existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { startSandbox } from "../src/server";
import { startFixture } from "./fixture/server";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const FIXTURE_URL_ENV = "SANDBOX_E2E_FIXTURE_URL";
export const SANDBOX_URL_ENV = "SANDBOX_E2E_SANDBOX_URL";

/** Chromium may still be arriving from apt when the run starts; wait for it rather than fail. */
async function waitForChromium(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(CHROMIUM)) {
    if (Date.now() > deadline) throw new Error(`${CHROMIUM} did not appear within ${timeoutMs / 1000}s; install chromium first.`);
    await sleep(2_000);
  }
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  await waitForChromium(300_000);
  // Bank debits settle after asyncDelayMs: long enough for the page to show "processing", short enough for a test.
  const sandbox = await startSandbox({ port: 0, persist: false, asyncDelayMs: 1_500 });
  const fixture = await startFixture({ sandboxUrl: sandbox.url, secretKey: "sk_test_sandboxE2E", publishableKey: "pk_test_sandboxE2E" });
  process.env[FIXTURE_URL_ENV] = fixture.url;
  process.env[SANDBOX_URL_ENV] = sandbox.url;
  return async () => {
    await fixture.close();
    await sandbox.close();
  };
}
