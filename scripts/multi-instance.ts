// `npm test`'s two-instance check (issue 11): two `next start` of one production build share one database,
// as a deployment behind a load balancer does. The last unit of a product is bought through instance A; B must
// show it sold out within 2 s, on its product page and on the listings that show it, and still on the first
// request after B restarts. Next keeps cache entries and tag invalidations in each process unless a shared
// cache handler carries them, so this fails when an instance can only learn of a change from its own requests.
//
// Alone, on its own throw-away database and sandbox: `tsx scripts/multi-instance.ts [--dist-dir DIR] [--no-build]`
// (default dist dir .next-multi-instance; --no-build reuses it).
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  ActionClient,
  ActionManifest,
  buildShop,
  cleanupAll,
  copyBuild,
  freePort,
  listingStock,
  productPageStock,
  sleep,
  startShop,
  stopOnSignals,
  type RunningShop,
  type StockLabel,
} from "@tidewater/harness";
import pg from "pg";
import { openSessionWithSql } from "../lib/auth/sessions";
import { PAID_STATUSES } from "../lib/order-status";
import type { CartErrorCode, CheckoutErrorCode, Failure } from "../lib/result";
import { ROOT, startStack, type Stack } from "./stack";

/** Featured (so on the home page), in Lighting, and bought by no other test. */
const PRODUCT = "paper-pendant-lamp";
/** The issue's bound: how soon the other instance must show a change. */
const WITHIN_MS = 2_000;
const SHOPPER = {
  email: "two-instances@example.com",
  name: "Two Instances",
  line1: "1 Market St",
  city: "San Francisco",
  state: "CA",
  postalCode: "94105",
  country: "US",
  shippingMethod: "standard",
};

export type CheckResult = { name: string; ok: boolean | "skipped"; detail: string };

const CHECKS = {
  setUp: `set-up: A and B both show ${PRODUCT} "Only 1 left" (product, category and home pages)`,
  checkout: "checkout through A reserves the last unit",
  onA: `A shows /products/${PRODUCT} "Sold out" within ${WITHIN_MS} ms`,
  onB: `B shows /products/${PRODUCT} "Sold out" within ${WITHIN_MS} ms`,
  onBCategory: `B shows ${PRODUCT} "Sold out" on its category page within ${WITHIN_MS} ms`,
  onBHome: `B shows ${PRODUCT} "Sold out" on the home page within ${WITHIN_MS} ms`,
  paid: "the shopper pays: the order is paid and the stock stays 0",
  restartedProduct: `B after a restart: its first /products/${PRODUCT} shows "Sold out"`,
  restartedCategory: `B after a restart: its first category page shows ${PRODUCT} "Sold out"`,
};

type Instance = { name: string; port: number; distDir: string; shop: RunningShop };

async function page(origin: string, pathname: string): Promise<string> {
  const response = await fetch(origin + pathname, { signal: AbortSignal.timeout(15_000) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${pathname}: HTTP ${response.status}`);
  return text;
}

/** Reads `pathname` until it shows `want`, or `deadline` passes. */
async function pollLabel(
  origin: string,
  pathname: string,
  read: (html: string) => StockLabel | null,
  want: StockLabel,
  since: number,
  deadline: number,
): Promise<{ ok: boolean; detail: string }> {
  let last: StockLabel | null = null;
  let reads = 0;
  do {
    last = read(await page(origin, pathname));
    reads++;
    if (last === want) return { ok: true, detail: `"${want}" after ${Date.now() - since} ms (${reads} reads)` };
    await sleep(50);
  } while (Date.now() < deadline);
  return { ok: false, detail: `still "${last ?? "no label"}" after ${Date.now() - since} ms (${reads} reads)` };
}

export async function twoInstanceCheck({
  stack,
  distDir,
  log = console.log,
}: {
  stack: Stack;
  distDir: string;
  log?: (line: string) => void;
}): Promise<CheckResult[]> {
  const env = { ...process.env, ...stack.env } as Record<string, string>;
  const db = new pg.Pool({ connectionString: env.DATABASE_URL, max: 2 });
  // `db.end()` resolves before its clients have closed; one still closing when the stack stops the database
  // reports the shutdown (57P01) here. Without a listener that report would crash the test runner.
  db.on("error", (error) => log(`  (database connection: ${error.message})`));
  const results: CheckResult[] = [];
  const record = (check: keyof typeof CHECKS, ok: boolean | "skipped", detail: string) => {
    results.push({ name: CHECKS[check], ok, detail });
    log(`  ${ok === "skipped" ? "-" : ok ? "✔" : "✘"} ${CHECKS[check]}: ${detail}`);
    return ok === true;
  };
  // A failed step makes the later checks impossible: they are reported as skipped, so the count stays the same.
  const skipRest = () => {
    const done = new Set(results.map((r) => r.name));
    for (const check of Object.keys(CHECKS) as Array<keyof typeof CHECKS>)
      if (!done.has(CHECKS[check])) record(check, "skipped", "an earlier step failed");
    return results;
  };
  const logDir = await mkdtemp(path.join(os.tmpdir(), "shop-two-instances-"));
  const instances: Instance[] = [];
  // Each instance runs its own copy of the build, as on its own machine (see copyBuild); a restart keeps it.
  const ownCopy = (name: string) => `${distDir}-instance-${name.toLowerCase()}`;
  const start = async (name: string, port: number): Promise<Instance> => {
    const own = ownCopy(name);
    const output = { file: path.join(logDir, `${name}.log`) };
    const shop = await startShop({ root: ROOT, distDir: own, port, env: stack.env, output, name: `next start ${name}` });
    return { name, port, distDir: own, shop };
  };
  try {
    const actions = await ActionManifest.read(path.join(ROOT, distDir));
    // The product has no options: its default variant (optionKey "") carries its stock and is what carts add.
    const [product] = (
      await db.query<{ variantId: string; category: string }>(
        `SELECT v.id AS "variantId", c.slug AS category FROM "Product" p JOIN "Category" c ON c.id = p."categoryId"
           JOIN "ProductVariant" v ON v."productId" = p.id AND v."optionKey" = '' WHERE p.slug = $1`,
        [PRODUCT],
      )
    ).rows;
    if (!product) throw new Error(`product ${PRODUCT} is not in the database`);
    const productPage = `/products/${PRODUCT}`;
    const categoryPage = `/categories/${product.category}`;

    // A on the stack's port (APP_URL, where the sandbox sends webhooks), B anywhere; same build, same env.
    for (const name of ["A", "B"]) await copyBuild({ root: ROOT, distDir, to: ownCopy(name) });
    instances.push(...(await Promise.all([start("A", stack.appPort), start("B", await freePort())])));
    const [a, b] = instances as [Instance, Instance];
    log(`  instances: A ${a.shop.url} (${a.distDir}), B ${b.shop.url} (${b.distDir}), copies of ${distDir}; logs in ${logDir}`);

    // Staff set the stock to 1 on each instance, so each has rendered the page with it whatever the build baked in.
    const session = await openSessionWithSql(db, env.ADMIN_EMAIL!, 3_600);
    const staff = (origin: string) => new ActionClient({ origin, actions, jar: new Map([["admin_session", session]]) });
    for (const instance of instances) {
      const answer = await staff(instance.shop.url).result<{ ok: boolean }>("/admin/products", "setStockAction", [
        { variantId: product.variantId, stock: 1 },
      ]);
      if (!answer.ok) throw new Error(`setStockAction on ${instance.name}: ${JSON.stringify(answer)}`);
    }
    const warm = await Promise.all(
      instances.flatMap((instance) => [
        pollLabel(instance.shop.url, productPage, productPageStock, "Only 1 left", Date.now(), Date.now() + 10_000),
        pollLabel(instance.shop.url, categoryPage, (html) => listingStock(html, PRODUCT), "Only 1 left", Date.now(), Date.now() + 10_000),
        pollLabel(instance.shop.url, "/", (html) => listingStock(html, PRODUCT), "Only 1 left", Date.now(), Date.now() + 10_000),
      ]),
    );
    if (
      !record(
        "setUp",
        warm.every((w) => w.ok),
        warm.map((w, i) => `${instances[Math.floor(i / 3)]!.name} ${[productPage, categoryPage, "/"][i % 3]} ${w.detail}`).join("; "),
      )
    ) {
      return skipRest();
    }

    // A shopper buys the last unit through A: the checkout reserves it (stock 0) and the shopper pays.
    const shopper = new ActionClient({ origin: a.shop.url, actions });
    const added = await shopper.result<{ ok: true } | Failure<CartErrorCode>>(productPage, "addToCart", [
      { variantId: product.variantId, quantity: 1 },
    ]);
    if (!added.ok) throw new Error(`addToCart on A: ${added.code} (${added.error})`);
    const checkout = await shopper.result<{ ok: true; clientSecret: string } | Failure<CheckoutErrorCode>>(
      "/checkout",
      "startCheckoutAction",
      [SHOPPER],
    );
    const soldAt = Date.now();
    const stock = async () =>
      (await db.query<{ stock: number }>(`SELECT stock FROM "ProductVariant" WHERE id = $1`, [product.variantId])).rows[0]!.stock;
    const stockAfterCheckout = await stock();
    if (
      !record(
        "checkout",
        checkout.ok && stockAfterCheckout === 0,
        checkout.ok ? `stock ${stockAfterCheckout}` : `${checkout.code} (${checkout.error})`,
      ) ||
      !checkout.ok
    ) {
      return skipRest();
    }

    const deadline = soldAt + WITHIN_MS;
    const [onA, onB, onBCategory, onBHome] = await Promise.all([
      pollLabel(a.shop.url, productPage, productPageStock, "Sold out", soldAt, deadline),
      pollLabel(b.shop.url, productPage, productPageStock, "Sold out", soldAt, deadline),
      pollLabel(b.shop.url, categoryPage, (html) => listingStock(html, PRODUCT), "Sold out", soldAt, deadline),
      pollLabel(b.shop.url, "/", (html) => listingStock(html, PRODUCT), "Sold out", soldAt, deadline),
    ]);
    record("onA", onA.ok, onA.detail);
    record("onB", onB.ok, onB.detail);
    record("onBCategory", onBCategory.ok, `${categoryPage}: ${onBCategory.detail}`);
    record("onBHome", onBHome.ok, onBHome.detail);

    const secret = checkout.clientSecret;
    const paid = await pay(env, secret.slice(0, secret.indexOf("_secret_")), db, shopper.jar.get("cart_id"));
    const stockAfterPayment = await stock();
    record("paid", paid.ok && stockAfterPayment === 0, `${paid.detail}, stock ${stockAfterPayment}`);

    // B restarts (same build, same port); its first answers must already know.
    const restartedAt = Date.now();
    await b.shop.stop();
    const b2 = await start("B", b.port);
    instances[1] = b2;
    const restart = `restarted in ${Date.now() - restartedAt} ms`;
    const firstProduct = productPageStock(await page(b2.shop.url, productPage));
    const firstCategory = listingStock(await page(b2.shop.url, categoryPage), PRODUCT);
    record("restartedProduct", firstProduct === "Sold out", `"${firstProduct ?? "no label"}" (${restart})`);
    record("restartedCategory", firstCategory === "Sold out", `${categoryPage}: "${firstCategory ?? "no label"}"`);
    if (results.some((r) => r.ok === false)) log(`  instance logs: ${logDir}`);
    return results;
  } finally {
    await Promise.all(instances.map((instance) => instance.shop.stop()));
    await db.end();
  }
}

/** Confirms the intent with Stripe's test card, as the Payment Element does, and waits for the order to be paid. */
async function pay(
  env: Record<string, string>,
  intentId: string,
  db: pg.Pool,
  cartId: string | undefined,
): Promise<{ ok: boolean; detail: string }> {
  const response = await fetch(`${env.STRIPE_API_BASE ?? "https://api.stripe.com"}/v1/payment_intents/${intentId}/confirm`, {
    method: "POST",
    headers: { Authorization: `Bearer ${env.STRIPE_SECRET_KEY}`, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ payment_method: "pm_card_visa", return_url: "http://localhost/unused" }),
  });
  const intent = (await response.json()) as { status?: string };
  if (intent.status !== "succeeded") return { ok: false, detail: `intent ${intentId} is ${intent.status ?? `HTTP ${response.status}`}` };
  const paidStatuses: readonly string[] = PAID_STATUSES;
  const deadline = Date.now() + 30_000;
  let status = "missing";
  while (Date.now() < deadline) {
    const { rows } = await db.query<{ status: string }>(`SELECT status::text AS status FROM "Order" WHERE "cartId" = $1`, [cartId]);
    status = rows[0]?.status ?? "missing";
    if (paidStatuses.includes(status)) return { ok: true, detail: `order ${status}` };
    await sleep(200);
  }
  return { ok: false, detail: `order still ${status} 30 s after the payment succeeded` };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  stopOnSignals("two instances");
  const argv = process.argv.slice(2);
  const distDir = argv.includes("--dist-dir") ? argv[argv.indexOf("--dist-dir") + 1]! : ".next-multi-instance";
  let code = 1;
  try {
    const stack = await startStack({ mode: "test", log: () => undefined });
    if (!argv.includes("--no-build")) await buildShop({ root: ROOT, distDir, env: stack.env, output: "ignore" });
    const results = await twoInstanceCheck({ stack, distDir });
    const failed = results.filter((r) => r.ok === false).length;
    console.log(
      `two instances: ${results.filter((r) => r.ok === true).length} passed, ${failed} failed, ${results.filter((r) => r.ok === "skipped").length} skipped`,
    );
    code = failed ? 1 : 0;
  } catch (error) {
    console.error(error);
  } finally {
    await cleanupAll();
  }
  process.exit(code);
}
