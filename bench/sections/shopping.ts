// 2. Cart and checkout: the addToCart and startCheckoutAction Server Actions over HTTP, each shopper with
// its own cart cookie, at 1 and 32 concurrent shoppers; baseline: GET of a static file at the same concurrency.
import type { ActionClient } from "@tidewater/harness";
import type { CartErrorCode, CheckoutErrorCode, Failure } from "../../lib/result";
import { BENCH_PRODUCTS, newShopper, STATIC_FILE, type BenchContext } from "../lib/context";
import { agentFor, closedLoop, request, type Summary } from "../lib/load";
import { check, section, type SectionResult } from "../lib/report";

type CartResult = { ok: true; cart: { itemCount: number } } | Failure<CartErrorCode>;
type CheckoutResult =
  | { ok: true; clientSecret: string; summary: { total: number; totals: { subtotal: number; shippingCost: number; tax: number } } }
  | Failure<CheckoutErrorCode>;

const SHIPPING = {
  email: "bench-shopper@example.com",
  name: "Bench Shopper",
  line1: "1 Market St",
  city: "San Francisco",
  state: "CA",
  postalCode: "94105",
  country: "US",
  shippingMethod: "standard",
};
/**
 * A cart holds this many adds before the shopper starts a new one. A new cart's first add also asks
 * POST /api/cart for the cart's cookie first, as the browser's add button does; both are timed as that add.
 */
const ADDS_PER_CART = 6;

export async function shopping(ctx: BenchContext): Promise<SectionResult> {
  const result = section("shopping", "2. Cart and checkout (Server Actions over HTTP, next start + sandbox)", [
    { key: "operation", label: "operation" },
    { key: "concurrency", label: "shoppers" },
    { key: "count", label: "n" },
    { key: "perSecond", label: "ops/s", digits: 1 },
    { key: "p50", label: "p50 ms", digits: 1 },
    { key: "p99", label: "p99 ms", digits: 1 },
    { key: "ratio", label: "ops/s ÷ static", digits: 3 },
  ]);
  const products = BENCH_PRODUCTS.map((slug) => {
    const product = ctx.products.get(slug);
    if (!product) throw new Error(`product ${slug} is not in the database`);
    return product;
  });
  const since = new Date();

  const sizes = ctx.short
    ? { 1: { base: 100, add: 30, checkout: 15 }, 32: { base: 640, add: 160, checkout: 64 } }
    : { 1: { base: 500, add: 200, checkout: 100 }, 32: { base: 3200, add: 960, checkout: 320 } };
  let expectedOrders = 0;
  let expectedCarts = 0;

  for (const concurrency of [1, 32] as const) {
    const size = sizes[concurrency];
    const agent = agentFor(concurrency);
    const shoppers = Array.from({ length: concurrency }, () => ({ shopper: newShopper(ctx, agent), adds: 0 }));

    const staticGet = async () => {
      const response = await request(ctx.url + STATIC_FILE, { agent });
      if (response.status !== 200) throw new Error(`GET ${STATIC_FILE}: HTTP ${response.status}`);
    };
    // Every added unit must show up in the cart the server returns: the cart count is the add count.
    const add = async (worker: number, index: number) => {
      const state = shoppers[worker]!;
      if (state.adds >= ADDS_PER_CART || !state.shopper.jar.has("cart_id")) {
        state.shopper.jar.clear();
        state.adds = 0;
        expectedCarts++;
        const opened = await state.shopper.post("/api/cart");
        if (opened.status !== 200) throw new Error(`POST /api/cart: HTTP ${opened.status}`);
      }
      const product = products[index % products.length]!;
      const answer = await state.shopper.result<CartResult>(`/products/${product.slug}`, "addToCart", [
        { variantId: product.variantId, quantity: 1 },
      ]);
      state.adds++;
      if (!answer.ok) throw new Error(`addToCart refused: ${answer.code} (${answer.error})`);
      if (answer.cart.itemCount !== state.adds)
        throw new Error(`addToCart: cart holds ${answer.cart.itemCount} units after ${state.adds} adds`);
      if (!state.shopper.jar.has("cart_id")) throw new Error("POST /api/cart set no cart_id cookie");
    };
    // Carts for the checkouts are filled first (2 units each), so the timed loop runs checkouts only:
    // order, stock reservation and PaymentIntent through the sandbox.
    const fill = async (shopper: ActionClient, index: number) => {
      const product = products[index % products.length]!;
      const added = await shopper.result<CartResult>(`/products/${product.slug}`, "addToCart", [
        { variantId: product.variantId, quantity: 2 },
      ]);
      if (!added.ok) throw new Error(`addToCart before checkout refused: ${added.code} (${added.error})`);
      expectedCarts++;
    };
    const buyers = Array.from({ length: concurrency + size.checkout }, () => newShopper(ctx, agent));
    await closedLoop(buyers.length, concurrency, (_, i) => fill(buyers[i]!, i));
    let nextBuyer = 0;
    const checkout = async () => {
      const index = nextBuyer++;
      const shopper = buyers[index]!;
      const product = products[index % products.length]!;
      const answer = await shopper.result<CheckoutResult>("/checkout", "startCheckoutAction", [SHIPPING]);
      if (!answer.ok) throw new Error(`startCheckoutAction refused: ${answer.code} (${answer.error})`);
      if (!/^pi_.+_secret_/.test(answer.clientSecret)) throw new Error(`startCheckoutAction: not a client secret: ${answer.clientSecret}`);
      // A California address: the seeded 7.25% sales tax on the goods and the US standard rate (5.00 under 75.00).
      const { subtotal, shippingCost, tax } = answer.summary.totals;
      if (subtotal !== product.price * 2 || shippingCost !== 500 || tax <= 0 || answer.summary.total !== subtotal + shippingCost + tax)
        throw new Error(`checkout total ${answer.summary.total} for 2 × ${product.price} + 500 shipping + tax ${tax}`);
      expectedOrders++;
    };

    // Warm-up at this concurrency (its carts and orders are checked with the rest).
    await closedLoop(Math.min(concurrency * 2, size.base), concurrency, staticGet);
    await closedLoop(concurrency, concurrency, add);
    await closedLoop(concurrency, concurrency, checkout);

    const baseline = await closedLoop(size.base, concurrency, staticGet);
    const adds = await closedLoop(size.add, concurrency, add);
    const checkouts = await closedLoop(size.checkout, concurrency, checkout);
    const row = (operation: string, s: Summary, ratio: number | null) =>
      result.rows.push({ operation, concurrency, count: s.count, perSecond: s.perSecond, p50: s.p50, p99: s.p99, ratio });
    row(`GET ${STATIC_FILE} (baseline)`, baseline, null);
    row("addToCart", adds, adds.perSecond / baseline.perSecond);
    row("startCheckoutAction", checkouts, checkouts.perSecond / baseline.perSecond);
  }

  // What the database says the shoppers did.
  const { rows: orders } = await ctx.db.query<{ total: string; with_intent: string; reserved: string; intents: string; carts: string }>(
    `SELECT count(*) AS total, count("paymentIntentId") AS with_intent, count(*) FILTER (WHERE status = 'pending' AND "stockReserved") AS reserved,
            count(DISTINCT "paymentIntentId") AS intents, count(DISTINCT "cartId") AS carts
       FROM "Order" WHERE email = $1 AND "createdAt" >= $2`,
    [SHIPPING.email, since],
  );
  const o = orders[0]!;
  check(result, "one order per checkout", Number(o.total) === expectedOrders, `${o.total} orders for ${expectedOrders} checkouts`);
  check(
    result,
    "every order has its own PaymentIntent",
    Number(o.with_intent) === expectedOrders && Number(o.intents) === expectedOrders,
    `${o.with_intent} with an intent, ${o.intents} distinct`,
  );
  check(result, "every order pending with its stock reserved", Number(o.reserved) === expectedOrders, `${o.reserved} of ${o.total}`);
  check(result, "one order per cart", Number(o.carts) === expectedOrders, `${o.carts} carts for ${o.total} orders`);
  const { rows: carts } = await ctx.db.query<{ n: string }>(
    `SELECT count(*) AS n FROM "Cart" WHERE "createdAt" >= $1 AND EXISTS (SELECT 1 FROM "CartItem" i WHERE i."cartId" = "Cart".id)`,
    [since],
  );
  check(
    result,
    "one cart per new-cart cookie",
    Number(carts[0]!.n) === expectedCarts,
    `${carts[0]!.n} carts with items in the database, ${expectedCarts} started`,
  );
  result.notes.push(
    `addToCart: quantity 1, a new cart every ${ADDS_PER_CART} adds (its first add is POST /api/cart for the cookie, then the add, timed together); startCheckoutAction: each on its own cart of 2 units filled beforehand (untimed); products ${BENCH_PRODUCTS.join(", ")} (stock topped up); ratio = ops/s ÷ static-file GET/s at the same concurrency, same HTTP client.`,
  );
  return result;
}
