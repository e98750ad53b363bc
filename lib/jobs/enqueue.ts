import "server-only";
import PgBoss from "pg-boss";
import type { Tx } from "@/lib/db";

// Puts a job on the queue inside the caller's Prisma transaction: pg-boss's own INSERT, run on the
// transaction's connection, so the job exists exactly when the change that asked for it commits (an outbox
// row and its delivery job are one commit). The PgBoss object here never connects; it only writes the SQL.
// Failure mode: a queue (or pg-boss itself) that does not exist yet (the first instance is still starting
// pg-boss) gets no job; the returned null says so, and the queue's sweep (e.g. lib/jobs/send-email.ts) picks
// the work up once the queue runs.

const writer = new PgBoss({
  schema: "pgboss",
  db: {
    executeSql: () => {
      throw new Error("lib/jobs/enqueue.ts: pass a transaction");
    },
  },
});

// Whether pg-boss's tables exist; once seen, for good (pg-boss never drops them).
const known = globalThis as unknown as { shopJobTablesExist?: boolean };

async function jobTablesExist(tx: Tx): Promise<boolean> {
  if (known.shopJobTablesExist) return true;
  const [row] = await tx.$queryRaw<Array<{ exists: boolean }>>`SELECT to_regclass('pgboss.job') IS NOT NULL AS exists`;
  known.shopJobTablesExist = row?.exists === true;
  return known.shopJobTablesExist;
}

/**
 * The job's id, or null when its queue does not exist yet. Before pg-boss has ever started on this database
 * (its tables missing) nothing is written either, instead of failing the caller's transaction.
 */
export async function enqueueJob(tx: Tx, queue: string, data: object, options: PgBoss.SendOptions = {}): Promise<string | null> {
  if (!(await jobTablesExist(tx))) return null;
  const db = {
    executeSql: async (text: string, values: unknown[] = []) => {
      // pg-boss hands objects (the job's data) to node-postgres, which would write them as JSON; Prisma wants text.
      const params = values.map((value) =>
        value !== null && typeof value === "object" && !(value instanceof Date) ? JSON.stringify(value) : (value ?? null),
      );
      return { rows: await tx.$queryRawUnsafe<Array<{ id: string }>>(text, ...params) };
    },
  };
  return writer.send(queue, data, { ...options, db });
}
