import "server-only";
import pg from "pg";
import PgBoss from "pg-boss";

// The shop's job queue: pg-boss on the shop's own PostgreSQL, in a schema of its own (`pgboss`, created and
// migrated by pg-boss itself when it starts, under an advisory lock, so instances starting together are
// fine; the shop's migrations never touch it). Every app instance starts one and runs every job's worker;
// the database decides who does what:
//  - schedules: each instance's clock monitor asks the database for the right to fire cron schedules, so
//    one instance per interval turns a due schedule into a job, once per minute slot at most;
//  - jobs: a worker takes a job with SELECT … FOR UPDATE SKIP LOCKED, so each is processed by one instance;
//  - queue policy `stately`: at most one job of a queue queued and one running, so a slow run is never
//    overlapped by the next one and never followed by a pile of them.
// A run that dies with its instance stays `active` until its expiry, then counts as failed (and is retried
// if its queue allows): every job here is safe to run again.

/** What a worker learns about the job it runs: its data and whether the queue will try it again. */
export type JobRun = { data: object; retryCount: number; retryLimit: number };

export type JobDefinition = {
  /** The queue's name, also the name of its schedule. */
  name: string;
  /** When it runs: a cron expression in UTC; none for a queue that only takes jobs sent to it (lib/jobs/enqueue.ts). */
  cron?: string;
  /** The queue's policy, retries and expiry (a run still going after expireInSeconds counts as failed). */
  queue: Omit<PgBoss.Queue, "name">;
  /** How often an idle worker of this queue looks for jobs; the queue-wide default when absent. */
  pollingIntervalSeconds?: number;
  /**
   * Workers of this queue on each instance (default 1), each taking one job at a time: with several, one slow
   * job (an SMTP server that hangs until its timeout) does not hold up the others.
   */
  workers?: number;
  /** The work; what it returns is kept as the job's output. Throwing fails the job (retried if the queue allows). */
  run: (job: JobRun) => Promise<object>;
};

export type JobQueueOptions = {
  connectionString: string;
  jobs: readonly JobDefinition[];
  /** pg-boss's schema; another one keeps tests apart from the shop's queue. */
  schema?: string;
  /** false: this instance works on jobs but never fires schedules (it still records them). */
  schedule?: boolean;
  /** How often idle workers look for jobs, and the clock monitor for due schedules (at most 45). */
  pollingIntervalSeconds?: number;
};

export type JobQueue = {
  boss: PgBoss;
  /** Stops taking jobs, waits up to 10 s for running ones, and closes the connections. */
  stop: () => Promise<void>;
};

// pg-boss's polling, its clock and cron monitors and its maintenance share these few connections; the jobs
// themselves use the shop's Prisma client.
const POOL_SIZE = 3;
const STOP_TIMEOUT_MS = 10_000;

/**
 * Starts pg-boss with its own small pool, then creates or updates every job's queue and schedule and
 * starts its worker. Throws if the database cannot be reached; nothing is left running then.
 *
 * Instances starting at the same moment take turns (an advisory lock on a connection of its own): pg-boss
 * 10 creates a queue's partition without a lock of its own, and two instances creating queues at once
 * deadlock on its tables.
 */
export async function startJobQueue(options: JobQueueOptions): Promise<JobQueue> {
  const { connectionString, jobs, schema = "pgboss", schedule = true, pollingIntervalSeconds = 5 } = options;
  // Bounded waits: a connection attempt or a query that never answers (the database going away mid-way) fails
  // after these, instead of holding a worker's poll for ever; pg-boss then polls again.
  const pool = new pg.Pool({
    connectionString,
    max: POOL_SIZE,
    application_name: "shop-jobs",
    connectionTimeoutMillis: 10_000,
    query_timeout: 30_000,
  });
  // A connection lost while idle (the database restarting) is reported here, not thrown.
  pool.on("error", (error) => console.error(`jobs: database connection lost: ${error.message}`));
  const boss = new PgBoss({
    db: { executeSql: (text, values) => pool.query(text, values) },
    schema,
    schedule,
    cronMonitorIntervalSeconds: pollingIntervalSeconds,
    cronWorkerIntervalSeconds: pollingIntervalSeconds,
  });
  // pg-boss reports failed polls and maintenance (e.g. while the database is unreachable) as events and
  // keeps going; without a listener an EventEmitter's "error" would end the process.
  boss.on("error", (error) => console.error(`jobs: ${error.message}`));

  let started = false;
  try {
    await oneAtATime(pool, `shop-jobs:${schema}`, async () => {
      await boss.start();
      started = true;
      for (const job of jobs) {
        // createQueue leaves an existing queue as it is; updateQueue brings it to this code's settings.
        await boss.createQueue(job.name, { name: job.name, ...job.queue });
        await boss.updateQueue(job.name, { name: job.name, ...job.queue });
        if (job.cron) await boss.schedule(job.name, job.cron, {}, { tz: "UTC" });
        for (let worker = 0; worker < (job.workers ?? 1); worker += 1)
          await boss.work(
            job.name,
            { pollingIntervalSeconds: job.pollingIntervalSeconds ?? pollingIntervalSeconds, batchSize: 1, includeMetadata: true },
            async ([run]) => job.run({ data: run?.data ?? {}, retryCount: run?.retryCount ?? 0, retryLimit: run?.retryLimit ?? 0 }),
          );
      }
    });
  } catch (error) {
    if (started) await boss.stop({ graceful: false, close: false }).catch(() => undefined);
    await pool.end().catch(() => undefined);
    throw error;
  }

  return {
    boss,
    stop: async () => {
      await boss.stop({ graceful: true, timeout: STOP_TIMEOUT_MS, close: false });
      await pool.end();
    },
  };
}

/** Runs `work` holding a session advisory lock named `name`, taken on a connection used for nothing else. */
async function oneAtATime(pool: pg.Pool, name: string, work: () => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtext($1))", [name]);
    await work();
  } finally {
    // Closing the connection ends its session and with it the lock, also when unlocking could not be sent.
    client.release(true);
  }
}
