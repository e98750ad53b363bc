// Stripe sandbox throughput: PaymentIntent create+confirm (pm_card_visa) over loopback with the stripe SDK.
// Run: npx tsx bench/sandbox-throughput.ts [--short]
// Bounded: a fixed number of requests to 127.0.0.1 only; the sandbox runs in this process with --no-persist.
import Stripe from "stripe";
import { startSandbox } from "@tidewater/stripe-sandbox";

const short = process.argv.includes("--short");
const N = short ? 300 : 3000;
const MEMORY_N = short ? 2000 : 20000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs `total` operations with `concurrency` workers; returns ops/s and latency percentiles in ms. */
async function measure(total: number, concurrency: number, op: () => Promise<unknown>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        const t = performance.now();
        await op();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: total / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

const sandbox = await startSandbox({ port: 0, persist: false });
const stripe = new Stripe("sk_test_bench", { host: "127.0.0.1", port: sandbox.port, protocol: "http", maxNetworkRetries: 0 });
// Card-only, so confirming needs no return_url (stripe-node 23's create type omits payment_method_types).
const cardOnly = { payment_method_types: ["card"] };
const payment = () =>
  stripe.paymentIntents.create({ amount: 2000, currency: "usd", ...cardOnly, payment_method: "pm_card_visa", confirm: true });
const health = () => fetch(`${sandbox.url}/_sandbox/health`).then((r) => r.arrayBuffer());

console.log(`Stripe sandbox throughput (${short ? "short" : "full"} run, ${N} operations per row, node ${process.version})`);
await measure(Math.min(200, N), 4, payment); // warm-up (JIT, keep-alive sockets)
await measure(Math.min(200, N), 4, health);
const rows: [string, number, Awaited<ReturnType<typeof measure>>][] = [];
for (const concurrency of [1, 16]) {
  rows.push(["GET /_sandbox/health (baseline)", concurrency, await measure(N, concurrency, health)]);
  rows.push(["PaymentIntent create+confirm", concurrency, await measure(N, concurrency, payment)]);
}
console.log("operation                         conc   ops/s    p50 ms   p99 ms");
for (const [name, c, r] of rows) {
  console.log(
    `${name.padEnd(33)} ${String(c).padStart(4)} ${r.perSecond.toFixed(0).padStart(7)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)}`,
  );
}
for (const c of [1, 16]) {
  const pay = rows.find(([n, cc]) => cc === c && n.startsWith("Payment"))![2].perSecond;
  const base = rows.find(([n, cc]) => cc === c && n.startsWith("GET"))![2].perSecond;
  console.log(`ratio payment/baseline at concurrency ${c}: ${(pay / base).toFixed(3)}`);
}

// Memory: heap and RSS growth while MEMORY_N more paid intents are created through the same HTTP path
// (each leaves an intent, a charge, a payment method and 4 events in the store), scaled to 100k intents.
global.gc?.();
const before = process.memoryUsage();
await measure(MEMORY_N, 16, payment);
global.gc?.();
const after = process.memoryUsage();
const scale = 100_000 / MEMORY_N;
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
console.log(
  `memory per 100k paid intents (extrapolated from ${MEMORY_N} created over HTTP${global.gc ? ", after gc" : ", no --expose-gc: heap includes garbage"}): ` +
    `heapUsed +${mb((after.heapUsed - before.heapUsed) * scale)} MB, RSS +${mb((after.rss - before.rss) * scale)} MB`,
);
await sandbox.close();
