// 5. Lighthouse (its default mobile config, simulated throttling) in Debian's Chromium, localhost only.
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { onCleanup } from "@tidewater/harness";
import { BENCH_PRODUCTS, newShopper, type BenchContext } from "../lib/context";
import { check, section, type SectionResult } from "../lib/report";

const CHROME_FLAGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"] as const;

async function killBrowser(chrome: chromeLauncher.Launcher): Promise<void> {
  await Promise.resolve(chrome.kill()).catch(() => undefined);
  if (chrome.userDataDir) await rm(chrome.userDataDir, { recursive: true, force: true }).catch(() => undefined);
}

export async function lighthouseScores(ctx: BenchContext): Promise<SectionResult> {
  const result = section("lighthouse", "5. Lighthouse (mobile, simulated throttling, Chromium headless)", [
    { key: "page", label: "page" },
    { key: "path", label: "path" },
    { key: "performance", label: "perf" },
    { key: "accessibility", label: "a11y" },
    { key: "best-practices", label: "best-pr." },
    { key: "seo", label: "SEO" },
    { key: "fcp", label: "FCP ms" },
    { key: "lcp", label: "LCP ms" },
    { key: "tbt", label: "TBT ms" },
    { key: "cls", label: "CLS", digits: 3 },
  ]);
  // /cart and /checkout need a cart: filled over HTTP and handed to Chromium as a Cookie header.
  const shopper = newShopper(ctx);
  const product = ctx.products.get(BENCH_PRODUCTS[0]!)!;
  await shopper.result(`/products/${product.slug}`, "addToCart", [{ variantId: product.variantId, quantity: 1 }]);
  if (!shopper.jar.has("cart_id")) throw new Error("no cart cookie for /cart and /checkout");
  const cookie = { Cookie: `cart_id=${shopper.jar.get("cart_id")}` };

  const pages = ctx.short
    ? [{ page: "home", path: "/", headers: {} }]
    : [
        { page: "home", path: "/", headers: {} },
        { page: "product", path: "/products/stoneware-mug", headers: {} },
        { page: "cart", path: "/cart", headers: cookie },
        { page: "checkout", path: "/checkout", headers: cookie },
      ];

  let version = "";
  const chromePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(chromePath)) throw new Error(`no Chromium at ${chromePath}: install Debian's chromium package or set CHROMIUM_PATH`);
  // handleSIGINT: false, or chrome-launcher exits the process on Ctrl-C before the stack is stopped.
  const chrome = new chromeLauncher.Launcher({ chromePath, chromeFlags: CHROME_FLAGS, logLevel: "silent", handleSIGINT: false });
  // On the clean-up list from before launch() resolves, so Ctrl-C during start-up still finds the browser.
  const forget = onCleanup("Chromium (Lighthouse)", () => killBrowser(chrome));
  try {
    await chrome.launch();
    for (const { page, path, headers } of pages) {
      const runner = await lighthouse(ctx.url + path, {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: [...CATEGORIES],
        extraHeaders: headers,
        maxWaitForLoad: 60_000,
      });
      if (!runner) throw new Error(`lighthouse returned nothing for ${path}`);
      const { lhr } = runner;
      version = lhr.lighthouseVersion;
      const score = (id: string) => {
        const value = lhr.categories[id]?.score;
        return typeof value === "number" ? Math.round(value * 100) : null;
      };
      const metric = (id: string) => lhr.audits[id]?.numericValue ?? null;
      result.rows.push({
        page,
        path,
        ...Object.fromEntries(CATEGORIES.map((c) => [c, score(c)])),
        fcp: metric("first-contentful-paint"),
        lcp: metric("largest-contentful-paint"),
        tbt: metric("total-blocking-time"),
        cls: metric("cumulative-layout-shift"),
      });
      const problem = lhr.runtimeError?.message ?? lhr.runWarnings.find((w) => /status code|did not load|navigat/i.test(w));
      check(
        result,
        `${path} audited`,
        !problem && CATEGORIES.every((c) => score(c) !== null),
        problem ?? `final URL ${lhr.finalDisplayedUrl}`,
      );
    }
  } finally {
    forget();
    await killBrowser(chrome);
  }
  result.notes.push(
    `Lighthouse ${version}, default (mobile) config, scores 0–100; flags ${CHROME_FLAGS.join(" ")}; /cart and /checkout with a one-item cart cookie.` +
      (ctx.short ? " Short mode: home only." : ""),
  );
  return result;
}
