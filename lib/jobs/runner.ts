import "server-only";
import { databaseEnv } from "@/lib/env";
import { startJobQueue, type JobDefinition, type JobQueue } from "./boss";
import { lowStockAlertsJob } from "./low-stock-alerts";
import { purgeAbandonedCartsJob } from "./purge-abandoned-carts";
import { purgeRateLimitRowsJob } from "./purge-rate-limit-rows";
import { refundReturnJob, refundSweepJob } from "./refund-return";
import { releaseExpiredReservationsJob } from "./release-expired-reservations";
import { emailSweepJob, sendEmailJob } from "./send-email";

// Starts the job queue on this server instance (lib/background.ts calls it from instrumentation.ts on every
// `next start`): the workers of every job below, and their schedules, which pg-boss fires once across all
// instances. To run a job now (tests, a shell), call the function its worker calls, e.g. purgeAbandonedCarts().

export const JOBS: readonly JobDefinition[] = [
  releaseExpiredReservationsJob,
  purgeAbandonedCartsJob,
  purgeRateLimitRowsJob,
  sendEmailJob,
  emailSweepJob,
  lowStockAlertsJob,
  refundReturnJob,
  refundSweepJob,
];

// Waits between attempts to start while the database cannot be reached: 2 s, doubling, at most a minute.
const FIRST_RETRY_MS = 2_000;
const LONGEST_RETRY_MS = 60_000;

// One queue per process, kept on globalThis so a second call (or a dev reload of this module) starts nothing.
const started = globalThis as unknown as { shopJobs?: Promise<JobQueue> };

/**
 * Starts the job queue in the background and returns at once: start-up never waits for it, and never fails
 * because of it. While the database is unreachable each attempt is logged and retried.
 */
export async function startJobs(): Promise<void> {
  started.shopJobs ??= keepTrying();
}

async function keepTrying(): Promise<JobQueue> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const queue = await startJobQueue({ connectionString: databaseEnv().DATABASE_URL, jobs: JOBS });
      stopOnExit(queue);
      return queue;
    } catch (error) {
      const waitMs = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempt - 1));
      const reason = error instanceof Error ? error.message : String(error);
      console.error(`jobs: could not start the job queue (attempt ${attempt}): ${reason}; trying again in ${waitMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, waitMs).unref());
    }
  }
}

/**
 * Stops the queue when the process is told to end, so running jobs can finish and the connections close.
 * Next's own handler ends the process (`next start`); where nobody else handles the signal, the signal is
 * raised again once the queue has stopped, so the process still ends as it would have.
 */
function stopOnExit(queue: JobQueue): void {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      const othersHandleIt = process.listenerCount(signal) > 0;
      void queue
        .stop()
        .catch((error: unknown) => console.error("jobs: stopping the job queue failed:", error))
        .finally(() => {
          if (!othersHandleIt) process.kill(process.pid, signal);
        });
    });
  }
}
