import { defineConfig } from "vitest/config";

// The sandbox's own unit and conformance tests (the browser tests are Playwright's: e2e/).
export default defineConfig({
  test: {
    name: "stripe-sandbox",
    include: ["test/**/*.test.ts", "client/**/*.test.ts"],
    testTimeout: 30_000,
  },
});
