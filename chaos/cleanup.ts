// Everything the harness starts registers its teardown here; it runs once, newest first, on a normal end,
// an error, SIGINT or SIGTERM, so no PostgreSQL, sandbox, proxy or `next start` outlives the run.

type Teardown = { name: string; fn: () => Promise<void> | void };
const teardowns: Teardown[] = [];
let running: Promise<void> | null = null;

export function onCleanup(name: string, fn: () => Promise<void> | void): () => void {
  const entry = { name, fn };
  teardowns.push(entry);
  return () => {
    const index = teardowns.indexOf(entry);
    if (index >= 0) teardowns.splice(index, 1);
  };
}

/** True once teardown began: errors from work torn down under it are expected, not news. */
export function stopping(): boolean {
  return running !== null;
}

export function cleanupAll(): Promise<void> {
  running ??= (async () => {
    while (teardowns.length) {
      const { name, fn } = teardowns.pop()!;
      try {
        // A hung teardown must not keep the run alive: each gets 20 s.
        await Promise.race([fn(), new Promise((resolve) => setTimeout(resolve, 20_000).unref())]);
      } catch (error) {
        console.error(`[chaos] cleanup of ${name} failed: ${String(error)}`);
      }
    }
  })();
  return running;
}

/** SIGINT/SIGTERM and crashes tear everything down before the process exits. */
export function installSignalHandlers(): void {
  const stop = (code: number) => {
    void cleanupAll().finally(() => process.exit(code));
  };
  process.once("SIGINT", () => {
    console.error("\n[chaos] SIGINT: stopping everything");
    stop(130);
  });
  process.once("SIGTERM", () => stop(143));
  process.on("uncaughtException", (error) => {
    console.error("[chaos] uncaught exception:", error);
    stop(2);
  });
  process.on("unhandledRejection", (error) => {
    console.error("[chaos] unhandled rejection:", error);
    stop(2);
  });
}
