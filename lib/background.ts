import "server-only";
import { startJobs } from "@/lib/jobs/runner";
import { startWebhookInbox } from "@/lib/payments/inbox";

// What each server instance runs beside serving requests: the job queue's workers and schedules, and the
// drain of the Stripe webhook inbox. BACKGROUND_WORK=off leaves an instance serving requests only.
export async function startBackgroundWork(): Promise<void> {
  if (process.env.BACKGROUND_WORK === "off") return;
  await Promise.all([startJobs(), startWebhookInbox()]);
}
