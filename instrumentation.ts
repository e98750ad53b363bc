// Next.js calls register() once when a server instance starts. Every instance runs the shop's background
// work (lib/background.ts); the PostgreSQL job queue and the webhook inbox make sure each piece of work is
// done by exactly one of them. Not during `next build`, and not in the Edge runtime.
// It also stamps each request with its socket's address (lib/socket-address.ts) for per-client limits, and
// makes sure the owner named in the environment exists (lib/auth/staff.ts).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { stampSocketAddresses } = await import("@/lib/socket-address");
  stampSocketAddresses();
  const { ensureEnvOwner } = await import("@/lib/auth/staff");
  const { startBackgroundWork } = await import("@/lib/background");
  // A database not up yet must not stop the server: sign-in makes sure of the owner again (lib/auth/session.ts).
  const owner = ensureEnvOwner().catch((error: unknown) => console.error("[staff] could not ensure the owner from ADMIN_EMAIL:", error));
  await Promise.all([owner, startBackgroundWork()]);
}
