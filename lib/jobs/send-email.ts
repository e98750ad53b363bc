import "server-only";
import { z } from "zod";
import { deliverEmail, deliverStragglers, SEND_EMAIL_QUEUE } from "@/lib/email/outbox";
import type { JobDefinition } from "./boss";

// Email delivery (lib/email/outbox.ts). One job per message, written with the message in the same
// transaction; pg-boss retries a failed send with backoff (the retry settings travel with each job, see
// scheduleDelivery), and the last failure marks the message failed. Workers look every second, so mail
// leaves within a second or two of the commit. Every minute a sweep sends pending messages whose job is
// missing.

const jobData = z.object({ emailId: z.string().min(1) });

export const sendEmailJob: JobDefinition = {
  name: SEND_EMAIL_QUEUE,
  // Many messages at once, each job on its own: nothing here limits a queue to one job.
  queue: { policy: "standard", retryLimit: 7, retryDelay: 2, retryBackoff: true, expireInSeconds: 30 },
  pollingIntervalSeconds: 1,
  // A send that hangs (until SMTP's or the database's timeouts) holds one worker; the others go on.
  workers: 4,
  run: async ({ data, retryCount, retryLimit }) => {
    const { emailId } = jobData.parse(data);
    return { outcome: await deliverEmail(emailId, { lastAttempt: retryCount >= retryLimit }) };
  },
};

export const emailSweepJob: JobDefinition = {
  name: "email-sweep",
  cron: "* * * * *",
  queue: { policy: "stately", retryLimit: 0, expireInSeconds: 5 * 60 },
  run: async () => ({ sent: await deliverStragglers() }),
};
