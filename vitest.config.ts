import path from "node:path";
import { defineConfig } from "vitest/config";

// One Vitest run for the repository: the shop's unit and integration tests, and each workspace package's own
// suite (its vitest.config.ts).
export default defineConfig({
  test: {
    projects: [
      {
        resolve: {
          alias: {
            "@": path.resolve(import.meta.dirname),
            // Server modules import "server-only"; under Vitest they run as plain Node code.
            "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
          },
        },
        test: {
          name: "shop",
          include: ["**/*.test.ts"],
          exclude: ["node_modules/**", "packages/**", "e2e/**", ".next/**", ".data/**"],
          globalSetup: ["test/global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      "packages/*",
    ],
  },
});
