// A small closed-loop load generator for requests that need per-shopper state (cookies, signed bodies),
// which autocannon cannot carry: `concurrency` workers each run operations back to back until `total` ran.
import http from "node:http";
import type { Transport } from "@tidewater/harness";

export type Summary = { count: number; seconds: number; perSecond: number; p50: number; p99: number; mean: number; max: number };

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function summarize(latencies: number[], seconds: number): Summary {
  const sorted = [...latencies].sort((a, b) => a - b);
  const total = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    seconds,
    perSecond: sorted.length / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: total / sorted.length,
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/**
 * Runs `op(worker, index)` `total` times over `concurrency` workers and times each call that returns
 * normally. `op` throws on a wrong answer; the first error stops the run and is rethrown.
 */
export async function closedLoop(
  total: number,
  concurrency: number,
  op: (worker: number, index: number) => Promise<void | number>,
): Promise<Summary> {
  const latencies: number[] = [];
  let next = 0;
  let failure: unknown;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async (_, worker) => {
      while (next < total && failure === undefined) {
        const index = next++;
        const t = performance.now();
        try {
          // An op may time only part of its work and return that duration itself.
          const own = await op(worker, index);
          latencies.push(typeof own === "number" ? own : performance.now() - t);
        } catch (error) {
          failure ??= error;
        }
      }
    }),
  );
  if (failure !== undefined) throw failure;
  return summarize(latencies, (performance.now() - started) / 1000);
}

export type HttpResponse = { status: number; headers: http.IncomingHttpHeaders; body: string };

const agents = new Map<number, http.Agent>();
/** Keep-alive agents sized to the concurrency, so every measured request reuses a warm connection. */
export function agentFor(concurrency: number): http.Agent {
  let agent = agents.get(concurrency);
  if (!agent) {
    agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
    agents.set(concurrency, agent);
  }
  return agent;
}

export function destroyAgents(): void {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}

export function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; agent?: http.Agent; timeoutMs?: number } = {},
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    const req = http.request(
      url,
      {
        method: options.method ?? "GET",
        headers: { ...options.headers, ...(body ? { "Content-Length": String(body.length) } : {}) },
        agent: options.agent ?? agentFor(1),
        timeout: options.timeoutMs ?? 60_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${options.method ?? "GET"} ${url} timed out`)));
    req.on("error", reject);
    req.end(body);
  });
}

/** The harness's action client over these requests, so actions and the static baseline share one HTTP client. */
export function transportFor(agent: http.Agent): Transport {
  return async ({ url, method, headers, body }) => {
    const response = await request(url, { method, headers, body, agent });
    return {
      status: response.status,
      contentType: response.headers["content-type"] ?? "",
      setCookies: response.headers["set-cookie"] ?? [],
      body: response.body,
    };
  };
}
