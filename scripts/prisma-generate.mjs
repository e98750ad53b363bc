// Runs `prisma generate` during install without network access.
// Prisma 7's CLI wants a schema-engine binary for every command and tries to download one when it is
// missing; `generate` never uses it, so pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file
// (this script itself) keeps it offline. Migrations are applied by scripts/db/migrate.ts instead.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? fileURLToPath(import.meta.url),
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  CHECKPOINT_DISABLE: "1",
};
const result = spawnSync("npx", ["--no-install", "prisma", "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
