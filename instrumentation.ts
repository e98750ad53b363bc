// Next.js calls register() once when a server instance starts. Every instance runs the shop's background
// work (lib/background.ts); the PostgreSQL job queue and the webhook inbox make sure each piece of work is
// done by exactly one of them. Not during `next build`, and not in the Edge runtime.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { startBackgroundWork } = await import("@/lib/background");
  await startBackgroundWork();
}
