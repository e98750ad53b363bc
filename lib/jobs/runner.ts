import "server-only";

// Placeholder: replaced by the job queue (pg-boss) work.
export async function startJobs(): Promise<void> {}
