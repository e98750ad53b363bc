// 1. Catalog serving: autocannon against `next start` for the prerendered catalog pages, each next to a
// static file from public/ served by the same server in the same run. One more row shows the ceiling of
// any response Next's App Router serves from its cache: /robots.txt, a prerendered route with a 100-byte
// body, goes through the same request pipeline as a page but renders nothing.
import autocannon, { type Result } from "autocannon";
import { STATIC_FILE, type BenchContext } from "../lib/context";
import { request } from "../lib/load";
import { check, section, type SectionResult } from "../lib/report";

const PAGES = [
  { name: "home", path: "/", expect: "Stoneware Mug" },
  { name: "category", path: "/categories/kitchen", expect: "Kitchen" },
  { name: "product", path: "/products/stoneware-mug", expect: "Stoneware Mug" },
  { name: "App Router ceiling", path: "/robots.txt", expect: "Sitemap" },
];

export async function catalog(ctx: BenchContext): Promise<SectionResult> {
  const result = section("catalog", "1. Catalog serving (autocannon, next start)", [
    { key: "page", label: "page" },
    { key: "path", label: "path" },
    { key: "connections", label: "conn" },
    { key: "perSecond", label: "req/s" },
    { key: "p50", label: "p50 ms", digits: 1 },
    { key: "p99", label: "p99 ms", digits: 1 },
    { key: "kb", label: "body KB", digits: 1 },
    { key: "ratio", label: "req/s ÷ static", digits: 3 },
  ]);
  const connections = 16;
  const duration = ctx.short ? 3 : 10;

  // Every page must answer 200 with its content before it is worth timing.
  const sizes = new Map<string, number>();
  for (const page of [{ name: "static", path: STATIC_FILE, expect: "" }, ...PAGES]) {
    const response = await request(ctx.url + page.path);
    sizes.set(page.path, Buffer.byteLength(response.body));
    check(
      result,
      `GET ${page.path}`,
      response.status === 200 && response.body.includes(page.expect),
      `status ${response.status}, ${response.body.length} chars`,
    );
  }

  const run = async (path: string, seconds: number): Promise<Result> => {
    const r = await autocannon({ url: ctx.url + path, connections, duration: seconds, timeout: 30 });
    return r;
  };
  // Warm-up: JIT, the cache handlers and keep-alive connections.
  for (const path of [STATIC_FILE, ...PAGES.map((p) => p.path)]) await run(path, 1);

  // The baseline runs before and after the pages; their mean is the denominator (the machine is shared).
  const measured: Array<{ name: string; path: string; r: Result }> = [];
  measured.push({ name: "static file (baseline, before)", path: STATIC_FILE, r: await run(STATIC_FILE, duration) });
  for (const page of PAGES) measured.push({ name: page.name, path: page.path, r: await run(page.path, duration) });
  measured.push({ name: "static file (baseline, after)", path: STATIC_FILE, r: await run(STATIC_FILE, duration) });

  const baselines = measured.filter((m) => m.path === STATIC_FILE);
  const baseline = baselines.reduce((sum, m) => sum + m.r.requests.average, 0) / baselines.length;
  for (const { name, path, r } of measured) {
    result.rows.push({
      page: name,
      path,
      connections,
      perSecond: r.requests.average,
      p50: r.latency.p50,
      p99: r.latency.p99,
      kb: (sizes.get(path) ?? 0) / 1024,
      ratio: path === STATIC_FILE ? null : r.requests.average / baseline,
    });
    check(
      result,
      `${name}: every response 2xx`,
      r.errors === 0 && r.timeouts === 0 && r.non2xx === 0,
      `${r["2xx"]} ok, ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`,
    );
  }
  result.notes.push(
    `${connections} connections, ${duration} s per row after a 1 s warm-up; ratio = req/s ÷ mean req/s of the two static-file runs (${STATIC_FILE}).`,
  );
  return result;
}
