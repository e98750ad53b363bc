import "server-only";
import PgBoss from "pg-boss";
import type { Tx } from "@/lib/db";

// Puts a job on the queue inside the caller's Prisma transaction: pg-boss's own INSERT, run on the
// transaction's connection, so the job exists exactly when the change that asked for it commits (an outbox
// row and its delivery job are one commit). The PgBoss object here never connects; it only writes the SQL.
// Failure mode: a queue that does not exist yet (the first instance is still starting pg-boss) inserts no
// job; the returned null says so, and the queue's sweep (e.g. lib/jobs/send-email.ts) picks the work up.

const writer = new PgBoss({
  schema: "pgboss",
  db: {
    executeSql: () => {
      throw new Error("lib/jobs/enqueue.ts: pass a transaction");
    },
  },
});

/** The job's id, or null when its queue does not exist yet. */
export async function enqueueJob(tx: Tx, queue: string, data: object, options: PgBoss.SendOptions = {}): Promise<string | null> {
  const db = {
    executeSql: async (text: string, values: unknown[] = []) => {
      // pg-boss hands objects (the job's data) to node-postgres, which would write them as JSON; Prisma wants text.
      const params = values.map((value) => (value !== null && typeof value === "object" && !(value instanceof Date) ? JSON.stringify(value) : (value ?? null)));
      return { rows: await tx.$queryRawUnsafe<Array<{ id: string }>>(text, ...params) };
    },
  };
  return writer.send(queue, data, { ...options, db });
}
