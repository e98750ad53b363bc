// `npm run db:migrate` / `npm run db:seed` against DATABASE_URL (e.g. a managed Postgres in production).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../../lib/generated/prisma/client";
import { seed } from "../../prisma/seed";
import { applyMigrations } from "./migrate";

const command = process.argv[2];
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set: point it at the database to migrate.");
  process.exit(2);
}
if (command === "migrate") {
  const report = await applyMigrations(url);
  console.log(`applied: ${report.applied.join(", ") || "none"}; already applied: ${report.alreadyApplied.length}`);
  for (const name of report.modifiedAfterApply) console.warn(`warning: ${name} was modified after it was applied`);
} else if (command === "seed") {
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  await seed(prisma);
  await prisma.$disconnect();
  console.log("catalog seeded");
} else {
  console.error("usage: tsx scripts/db/cli.ts migrate|seed");
  process.exit(2);
}
