// Brings a database to the current schema and catalog: migrations, then the idempotent seed.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../../lib/generated/prisma/client";
import { seed } from "../../prisma/seed";
import { applyMigrations, MigrationError } from "./migrate";

export async function prepareDatabase(url: string, log: (line: string) => void): Promise<void> {
  try {
    const report = await applyMigrations(url);
    if (report.applied.length) log(`applied migrations: ${report.applied.join(", ")}`);
    for (const name of report.modifiedAfterApply) {
      log(`warning: migration ${name} was modified after it was applied (checksum differs)`);
    }
  } catch (error) {
    if (error instanceof MigrationError) {
      throw new Error(`Database start-up stopped. ${error.message}`, { cause: error });
    }
    throw error;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  try {
    await seed(prisma);
  } finally {
    await prisma.$disconnect();
  }
}
