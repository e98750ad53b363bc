import "server-only";
import { z } from "zod";
import { REFUND_RETRIES, REFUND_RETURN_QUEUE, refundPendingReturns, refundReturn } from "@/lib/admin/fulfilment";
import type { JobDefinition } from "./boss";

// Refunds for returns (lib/admin/fulfilment.ts). One job per return, written with the return in the same
// transaction; pg-boss retries a refund Stripe could not answer with backoff (the retry settings travel with
// each job, REFUND_RETRIES), and the last failure marks the return refund_failed. Every ten minutes a sweep
// refunds returns whose job is missing.

const jobData = z.object({ returnId: z.string().min(1) });

export const refundReturnJob: JobDefinition = {
  name: REFUND_RETURN_QUEUE,
  // Returns of different orders are independent: nothing here limits the queue to one job.
  queue: { policy: "standard", ...REFUND_RETRIES },
  run: async ({ data, retryCount, retryLimit }) => {
    const { returnId } = jobData.parse(data);
    return { outcome: await refundReturn(returnId, { lastAttempt: retryCount >= retryLimit }) };
  },
};

export const refundSweepJob: JobDefinition = {
  name: "refund-return-sweep",
  cron: "*/10 * * * *",
  queue: { policy: "stately", retryLimit: 0, expireInSeconds: 5 * 60 },
  run: async () => ({ refunded: await refundPendingReturns() }),
};
