// Playwright run of the Stripe.js stand-in under @stripe/react-stripe-js:
//   npx playwright test -c packages/stripe-sandbox/e2e/playwright.config.ts   (from the repository root)
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

// One results folder per run (workers inherit it through the environment), so concurrent runs never delete each other's traces.
process.env.SANDBOX_E2E_OUTPUT_DIR ??= mkdtempSync(path.join(os.tmpdir(), "sandbox-e2e-"));

export default defineConfig({
  testDir: ".",
  testMatch: "*.spec.ts",
  globalSetup: "./global-setup.ts",
  outputDir: process.env.SANDBOX_E2E_OUTPUT_DIR,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 2,
  reporter: [["list"]],
  use: {
    browserName: "chromium",
    trace: "retain-on-failure",
    launchOptions: {
      // The machine's Chromium (no downloads offline); flags keep it from calling home.
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
});
