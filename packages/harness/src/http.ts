import { sleep } from "./process";

/**
 * Polls `url` until it answers below 500. Throws after `timeoutMs`, or at once when `signal` aborts (e.g. the
 * server exited), with the abort reason.
 */
export async function waitForHttp(url: string, options: { timeoutMs: number; signal?: AbortSignal }): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    options.signal?.throwIfAborted();
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000), redirect: "manual" });
      await response.arrayBuffer();
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  options.signal?.throwIfAborted();
  throw new Error(`${url} did not answer within ${options.timeoutMs} ms`);
}
