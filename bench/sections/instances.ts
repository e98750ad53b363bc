// 7. Two instances: stale product pages after a stock change. A second `next start` (B: a copy of the same build,
// as on another machine, on the same database) runs beside the bench's own (A). Shoppers buy through A, one unit
// at a time, so every checkout changes what the product page says ("Only 5 left" … "Sold out"); from the moment
// the change is visible in the database, A and B are polled until they show it. Figures: stale answers served
// after the change committed and how long each instance kept serving them. Baseline: A, the instance that made the change, polled the same way.
// At the end B restarts and its first answer for every product must already be right.
import {
  ActionClient,
  copyBuild,
  expectedStockLabel,
  freePort,
  productPageStock,
  sleep,
  startShop,
  type RunningShop,
  type StockLabel,
} from "@tidewater/harness";
import { openSessionWithSql } from "../../lib/auth/sessions";
import type { CartErrorCode, CheckoutErrorCode, Failure } from "../../lib/result";
import { ROOT } from "../../scripts/stack";
import { DEFAULT_VARIANT_JOIN, newShopper, type BenchContext } from "../lib/context";
import { percentile, request } from "../lib/load";
import { check, section, type SectionResult } from "../lib/report";

/** Bought by no other section. Each starts at 5 units, so each of its 5 checkouts changes its label. */
const PRODUCTS = ["canvas-daypack", "wool-picnic-blanket", "enamel-camp-mug", "insulated-bottle"];
const START_STOCK = 5;
/** How long an instance may take to show a change before it counts as not showing it at all. */
const WINDOW_MS = 5_000;
/** Reads after the first fresh one, to catch an instance going back to the old state. */
const READS_AFTER_FRESH = 3;
const SHIPPING = {
  email: "bench-instances@example.com",
  name: "Bench Shopper",
  line1: "1 Market St",
  city: "San Francisco",
  state: "CA",
  postalCode: "94105",
  country: "US",
  shippingMethod: "standard",
};

/** A seeded product without options and its default variant, which carries its stock. */
type Product = { id: string; variantId: string; slug: string };
/** What one instance served after one change. */
type Observation = { staleReads: number; reads: number; freshAfterMs: number | null; wentBack: number };

async function label(origin: string, slug: string): Promise<StockLabel | null> {
  const response = await request(`${origin}/products/${slug}`, { timeoutMs: 15_000 });
  if (response.status !== 200) throw new Error(`GET /products/${slug} on ${origin}: HTTP ${response.status}`);
  return productPageStock(response.body);
}

/**
 * Reads the product page from `since` until it shows `want` (then a few more reads), or `WINDOW_MS` passes.
 * Staleness: from `since` to the first read that showed `want`, 0 when the first read did.
 */
async function observe(origin: string, slug: string, want: StockLabel, since: number): Promise<Observation> {
  const seen: Observation = { staleReads: 0, reads: 0, freshAfterMs: null, wentBack: 0 };
  let readsAfterFresh = 0;
  while (Date.now() - since < WINDOW_MS) {
    const sent = Date.now();
    const shown = await label(origin, slug);
    seen.reads++;
    if (seen.freshAfterMs === null) {
      if (shown === want) seen.freshAfterMs = seen.staleReads === 0 ? 0 : sent - since;
      else seen.staleReads++;
    } else {
      if (shown !== want) seen.wentBack++;
      if (++readsAfterFresh >= READS_AFTER_FRESH) break;
    }
    await sleep(20);
  }
  return seen;
}

/** Reads the stock every few ms until it is no longer `before`: when the change became visible to everyone. */
async function committed(
  ctx: BenchContext,
  variantId: string,
  before: number,
  signal: AbortSignal,
): Promise<{ at: number; stock: number; label: StockLabel } | null> {
  while (!signal.aborted) {
    const { rows } = await ctx.db.query<{ stock: number }>(`SELECT stock FROM "ProductVariant" WHERE id = $1`, [variantId]);
    const stock = rows[0]!.stock;
    if (stock !== before) return { at: Date.now(), stock, label: expectedStockLabel({ stock }) };
    await sleep(5);
  }
  return null;
}

export async function instances(ctx: BenchContext): Promise<SectionResult> {
  const result = section("instances", "7. Two instances: stale product pages after a stock change (next start × 2, one database)", [
    { key: "instance", label: "instance" },
    { key: "changes", label: "changes" },
    { key: "fresh", label: `shown within ${WINDOW_MS / 1000} s` },
    { key: "stale", label: "stale answers" },
    { key: "perChange", label: "stale answers / change", digits: 1 },
    { key: "p50", label: "staleness p50 ms" },
    { key: "max", label: "staleness max ms" },
    { key: "reads", label: "reads" },
  ]);
  const products: Product[] = (
    await ctx.db.query<Product>(
      `SELECT p.id, v.id AS "variantId", p.slug FROM "Product" p ${DEFAULT_VARIANT_JOIN} WHERE p.slug = ANY($1) ORDER BY p.slug`,
      [PRODUCTS.slice(0, ctx.short ? 2 : PRODUCTS.length)],
    )
  ).rows;
  if (products.length < (ctx.short ? 2 : PRODUCTS.length)) throw new Error(`products ${PRODUCTS.join(", ")} are not all in the database`);

  const copy = `${ctx.distDir}-instance-b`;
  await copyBuild({ root: ROOT, distDir: ctx.distDir, to: copy });
  const port = await freePort();
  const startB = () =>
    startShop({ root: ROOT, distDir: copy, port, env: ctx.env, output: (line) => ctx.log(`[next B] ${line}`), name: "next start B" });
  let b: RunningShop = await startB();
  try {
    const origins = { A: ctx.url, B: b.url };
    // Staff set the starting stock through each instance, so both have rendered it whatever they knew before.
    const session = await openSessionWithSql(ctx.db, ctx.env.ADMIN_EMAIL!, 3_600);
    for (const origin of Object.values(origins)) {
      const staff = new ActionClient({ origin, actions: ctx.actions, jar: new Map([["admin_session", session]]) });
      for (const product of products) {
        const answer = await staff.result<{ ok: boolean }>("/admin/products", "setStockAction", [
          { variantId: product.variantId, stock: START_STOCK },
        ]);
        if (!answer.ok) throw new Error(`setStockAction on ${origin}: ${JSON.stringify(answer)}`);
      }
    }
    const start = expectedStockLabel({ stock: START_STOCK });
    const setUp = await Promise.all(
      products.flatMap((p) => Object.values(origins).map(async (origin) => ({ origin, slug: p.slug, shown: await label(origin, p.slug) }))),
    );
    const wrong = setUp.filter((s) => s.shown !== start);
    if (
      !check(
        result,
        `set-up: both instances show "${start}" for ${products.length} products`,
        wrong.length === 0,
        wrong.length ? wrong.map((s) => `${s.origin}/products/${s.slug}: "${s.shown}"`).join("; ") : "yes",
      )
    )
      return result;

    // Each change: one shopper buys one unit through A. From the moment the database shows the new stock, A and
    // B are read until they show it too (A's own checkout may still be answering).
    const seen: Record<"A" | "B", Observation[]> = { A: [], B: [] };
    const refused: string[] = [];
    for (let round = 0; round < START_STOCK; round++) {
      for (const product of products) {
        const before = START_STOCK - round;
        const shopper: ActionClient = newShopper(ctx);
        const added = await shopper.result<{ ok: true } | Failure<CartErrorCode>>(`/products/${product.slug}`, "addToCart", [
          { variantId: product.variantId, quantity: 1 },
        ]);
        if (!added.ok) {
          refused.push(`${product.slug}: addToCart ${added.code}`);
          continue;
        }
        const watching = new AbortController();
        const change = committed(ctx, product.variantId, before, watching.signal);
        const observed = change.then(
          (c) => c && Promise.all([observe(origins.A, product.slug, c.label, c.at), observe(origins.B, product.slug, c.label, c.at)]),
        );
        let checkout: { ok: true } | Failure<CheckoutErrorCode> | undefined;
        try {
          checkout = await shopper.result<{ ok: true } | Failure<CheckoutErrorCode>>("/checkout", "startCheckoutAction", [SHIPPING]);
        } finally {
          // The reservation commits before the action answers; a refused or failed checkout changes nothing.
          if (!checkout?.ok) watching.abort();
        }
        const stopWatching = setTimeout(() => watching.abort(), 5_000);
        const c = await change;
        clearTimeout(stopWatching);
        const seenNow = await observed;
        if (!checkout.ok || !c || !seenNow || c.stock !== before - 1) {
          refused.push(`${product.slug}: ${checkout.ok ? `stock ${c?.stock ?? before} after the checkout` : checkout.code}`);
          continue;
        }
        const [onA, onB] = seenNow;
        seen.A.push(onA);
        seen.B.push(onB);
      }
    }
    const changes = products.length * START_STOCK;
    check(
      result,
      `${changes} checkouts through A each took one unit`,
      refused.length === 0,
      refused.length ? refused.join("; ") : `stock ${START_STOCK} → 0 on each product`,
    );

    for (const [instance, list] of Object.entries(seen) as Array<["A" | "B", Observation[]]>) {
      const fresh = list.filter((o) => o.freshAfterMs !== null);
      const staleness = fresh.map((o) => o.freshAfterMs!).sort((x, y) => x - y);
      const stale = list.reduce((n, o) => n + o.staleReads, 0);
      result.rows.push({
        instance: instance === "A" ? "A: made the change (baseline)" : "B: the other instance",
        changes: list.length,
        fresh: `${fresh.length} of ${list.length}`,
        stale,
        perChange: list.length ? stale / list.length : null,
        p50: fresh.length === list.length ? percentile(staleness, 50) : null,
        max: fresh.length === list.length ? (staleness.at(-1) ?? null) : null,
        reads: list.reduce((n, o) => n + o.reads, 0),
      });
      check(
        result,
        `${instance} shows every change within ${WINDOW_MS / 1000} s`,
        fresh.length === list.length,
        `${fresh.length} of ${list.length} changes shown${fresh.length < list.length ? `; the others still showed the old stock after ${WINDOW_MS} ms` : ""}`,
      );
      const back = list.reduce((n, o) => n + o.wentBack, 0);
      check(
        result,
        `${instance} never goes back to the old stock once it showed the new`,
        back === 0,
        `${back} old answers after a new one`,
      );
    }

    // B restarts (same copy, same port); its first answer for each product must already be right.
    const restarting = Date.now();
    await b.stop();
    b = await startB();
    const restartMs = Date.now() - restarting;
    const after = [];
    for (const product of products) {
      const { rows } = await ctx.db.query<{ stock: number }>(`SELECT stock FROM "ProductVariant" WHERE id = $1`, [product.variantId]);
      after.push({ slug: product.slug, want: expectedStockLabel(rows[0]!), shown: await label(b.url, product.slug) });
    }
    const right = after.filter((a) => a.shown === a.want).length;
    result.rows.push({
      instance: `B restarted (${(restartMs / 1000).toFixed(1)} s): first answer per product`,
      changes: null,
      fresh: `${right} of ${after.length} right`,
      stale: after.length - right,
      perChange: null,
      p50: null,
      max: null,
      reads: after.length,
    });
    check(
      result,
      "B after a restart: its first answer for every product shows the database's stock",
      right === after.length,
      after.map((a) => `${a.slug} "${a.shown}" (database: "${a.want}")`).join("; "),
    );
    result.notes.push(
      `${products.length} products (${products.map((p) => p.slug).join(", ")}) set to ${START_STOCK} units through each instance, then bought one unit at a time through A (addToCart + startCheckoutAction), ${changes} changes, each one a new label. ` +
        `From the moment the database showed the new stock (read every 5 ms while the checkout ran), A and B were read (product page, 20 ms apart) until they showed its label or ${WINDOW_MS / 1000} s passed; staleness = from then to the first read that showed the change (0: the first read did); stale answers = reads that still showed the old label. ` +
        `B runs a copy of the build (${copy}) on port ${port}, as another machine would; p50 / max are left out when some change was never shown.`,
    );
    return result;
  } finally {
    await b.stop();
  }
}
