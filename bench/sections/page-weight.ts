// 4. Page weight: the JavaScript a first visit downloads, per route, from the production build as served:
// the route's HTML, its <script src> chunks fetched and gzipped, without the `<script noModule>` polyfills
// that browsers with modules never fetch (reported beside). Baseline: the not-found page of the same build
// (the root layout and nothing else). Stripe's code must load on /checkout and nowhere else: neither a chunk
// holding @stripe/stripe-js or @stripe/react-stripe-js, nor a script or preload of Stripe.js (js.stripe.com,
// or the sandbox's STRIPE_JS_URL).
import { gzipSync } from "node:zlib";
import { BENCH_PRODUCTS, newShopper, type BenchContext } from "../lib/context";
import { agentFor, request } from "../lib/load";
import { check, section, type SectionResult } from "../lib/report";

export const BASELINE_ROUTE = "/__bench_missing__";
const ROUTES = ["/", "/categories/kitchen", "/products/stoneware-mug", "/search?q=mug", "/cart", "/checkout", "/admin/sign-in"];
/** Strings that survive minification in @stripe/stripe-js and @stripe/react-stripe-js. */
const STRIPE_MARKERS = ["_registerWrapper", "js.stripe.com", "react-stripe-js"];

type Chunk = { raw: number; gzip: number; stripe: string[] };
type ScriptTag = { src: string; noModule: boolean };

/** Every `<script src>` of a page, once each, and whether it is a `noModule` fallback. */
function scriptTags(html: string): ScriptTag[] {
  const tags = new Map<string, ScriptTag>();
  for (const [, attributes] of html.matchAll(/<script\b([^>]*)>/gi)) {
    const src = attributes!.match(/\ssrc="([^"]+)"/)?.[1]?.replaceAll("&amp;", "&");
    if (src) tags.set(src, { src, noModule: /\snomodule\b/i.test(attributes!) });
  }
  return [...tags.values()];
}

/** Where the page's tags point at Stripe.js: script sources and script preloads. */
function stripeJsTags(html: string, origin: string, stripeJsUrl: string | undefined): string[] {
  const urls = [
    ...scriptTags(html).map((tag) => tag.src),
    ...[...html.matchAll(/<link\b[^>]*\shref="([^"]+)"[^>]*>/gi)]
      .filter(([tag]) => /\sas="script"|modulepreload/i.test(tag))
      .map((m) => m[1]!),
  ];
  return urls.filter((url) => {
    const absolute = new URL(url, origin);
    return absolute.hostname === "js.stripe.com" || (stripeJsUrl !== undefined && absolute.href === new URL(stripeJsUrl).href);
  });
}

export async function pageWeight(ctx: BenchContext): Promise<SectionResult> {
  const result = section("page-weight", "4. First-load JavaScript per route (production build, gzip)", [
    { key: "route", label: "route" },
    { key: "status", label: "HTTP" },
    { key: "scripts", label: "scripts" },
    { key: "raw", label: "JS KB", digits: 1 },
    { key: "gzip", label: "JS gzip KB", digits: 1 },
    { key: "delta", label: "Δ gzip KB vs baseline", digits: 1 },
    { key: "ratio", label: "gzip ÷ baseline", digits: 2 },
    { key: "noModule", label: "noModule gzip KB (not counted)", digits: 1 },
    { key: "stripe", label: "Stripe code" },
  ]);
  const agent = agentFor(1);

  // A shopper with something in the cart, so /cart and /checkout render their client components.
  const shopper = newShopper(ctx, agent);
  const product = ctx.products.get(BENCH_PRODUCTS[0]!)!;
  const added = await shopper.result<{ ok: boolean }>(`/products/${product.slug}`, "addToCart", [
    { variantId: product.variantId, quantity: 1 },
  ]);
  if (!added.ok || !shopper.jar.has("cart_id")) throw new Error("could not fill a cart for /cart and /checkout");

  const chunks = new Map<string, Promise<Chunk>>();
  const fetchChunk = (src: string) => {
    let chunk = chunks.get(src);
    if (!chunk) {
      chunk = request(new URL(src, ctx.url).href, { agent }).then((response) => {
        if (response.status !== 200) throw new Error(`GET ${src}: HTTP ${response.status}`);
        const bytes = Buffer.from(response.body);
        return { raw: bytes.length, gzip: gzipSync(bytes).length, stripe: STRIPE_MARKERS.filter((m) => response.body.includes(m)) };
      });
      chunks.set(src, chunk);
    }
    return chunk;
  };

  const measure = async (route: string) => {
    const response = await request(ctx.url + route, { agent, headers: { Cookie: `cart_id=${shopper.jar.get("cart_id")}` } });
    // Only the shop's own bundles: Stripe.js itself (the sandbox's or js.stripe.com) is third-party and loads from its origin.
    const own = scriptTags(response.body).filter((tag) => tag.src.startsWith("/_next/"));
    const files = await Promise.all(own.filter((tag) => !tag.noModule).map((tag) => fetchChunk(tag.src)));
    const fallbacks = await Promise.all(own.filter((tag) => tag.noModule).map((tag) => fetchChunk(tag.src)));
    const stripeJs = stripeJsTags(response.body, ctx.url, ctx.env.STRIPE_JS_URL);
    return {
      route,
      status: response.status,
      scripts: files.length,
      raw: files.reduce((s, f) => s + f.raw, 0) / 1024,
      gzip: files.reduce((s, f) => s + f.gzip, 0) / 1024,
      noModule: fallbacks.reduce((s, f) => s + f.gzip, 0) / 1024,
      stripe: [...new Set([...files, ...fallbacks].flatMap((f) => f.stripe)), ...stripeJs.map((url) => `Stripe.js ${url}`)],
    };
  };

  const baseline = await measure(BASELINE_ROUTE);
  check(
    result,
    `baseline ${BASELINE_ROUTE} is the not-found page`,
    baseline.status === 404 && baseline.scripts > 0,
    `HTTP ${baseline.status}, ${baseline.scripts} scripts`,
  );
  const rows = [baseline];
  for (const route of ROUTES) {
    const row = await measure(route);
    check(result, `GET ${route}`, row.status === 200 && row.scripts > 0, `HTTP ${row.status}, ${row.scripts} scripts`);
    rows.push(row);
  }
  for (const row of rows) {
    const isBaseline = row.route === BASELINE_ROUTE;
    result.rows.push({
      route: isBaseline ? `${row.route} (not-found, baseline)` : row.route,
      status: row.status,
      scripts: row.scripts,
      raw: row.raw,
      gzip: row.gzip,
      delta: isBaseline ? null : row.gzip - baseline.gzip,
      ratio: isBaseline ? null : row.gzip / baseline.gzip,
      noModule: row.noModule,
      stripe: row.stripe.length ? row.stripe.join(", ") : "no",
    });
  }
  const elsewhere = rows.filter((r) => r.route !== "/checkout" && r.stripe.length);
  check(
    result,
    "Stripe code (stripe-js, react-stripe-js, a Stripe.js script or preload) loads on no route but /checkout",
    elsewhere.length === 0,
    elsewhere.length
      ? `found on ${elsewhere.map((r) => `${r.route} (${r.stripe.join(", ")})`).join("; ")}`
      : `none of ${rows.length - 1} other routes`,
  );
  const checkout = rows.find((r) => r.route === "/checkout")!;
  check(
    result,
    "Stripe code is in /checkout's first load (detector sanity)",
    checkout.stripe.length > 0,
    checkout.stripe.length
      ? `markers ${checkout.stripe.join(", ")}`
      : "no Stripe marker found: markers outdated or Stripe moved to a lazy chunk",
  );
  result.notes.push(
    `Each route's HTML fetched with a cart cookie (one item), every /_next/ <script src> fetched and gzipped with zlib (level 6); <script noModule> polyfills, which browsers with ES modules skip, are left out of the JS columns and shown on their own. ` +
      `Stripe detected by the markers ${STRIPE_MARKERS.join(", ")} in any chunk, and by script tags or script preloads pointing at js.stripe.com or STRIPE_JS_URL (${ctx.env.STRIPE_JS_URL ?? "unset"}). ` +
      `Baseline: ${BASELINE_ROUTE}, which renders app/not-found.tsx inside the root layout (no route added). ${chunks.size} distinct chunks.`,
  );
  return result;
}
