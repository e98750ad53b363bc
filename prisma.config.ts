import { defineConfig } from "prisma/config";

// DATABASE_URL is only needed by commands that talk to a database (migrate, studio);
// `prisma generate` runs without it during install.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
