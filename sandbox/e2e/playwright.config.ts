// Playwright run of the Stripe.js stand-in under @stripe/react-stripe-js:
//   npx playwright test -c sandbox/e2e/playwright.config.ts
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

export default defineConfig({
  testDir: ".",
  testMatch: "*.spec.ts",
  globalSetup: "./global-setup.ts",
  outputDir: path.join(os.tmpdir(), "sandbox-e2e-results"),
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 2,
  reporter: [["list"]],
  use: {
    browserName: "chromium",
    trace: "retain-on-failure",
    launchOptions: {
      // The machine's Chromium (no downloads offline); flags keep it from calling home.
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
});
