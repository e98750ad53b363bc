// What must hold after the dust settles, checked against the database and Stripe's own records. Each
// violation names the order, intent, cart or product involved.
import { expectedStockLabel, productPageStock, sleep } from "@tidewater/harness";
import { PAID_STATUSES } from "../lib/order-status";
import { waitForEmptyInbox } from "../lib/payments/inbox-backlog";
import type { ShopDb } from "./db";
import type { SandboxClient } from "./sandbox";
import type { Log } from "./util";

const PAID: ReadonlySet<string> = new Set(PAID_STATUSES);
const OPEN: ReadonlySet<string> = new Set(["pending", "processing"]);

export type InvariantReport = {
  violations: string[];
  counts: {
    succeededIntents: number;
    paidOrders: number;
    pendingOrders: number;
    canceledOrders: number;
    reservedUnits: number;
    /** Open orders still holding stock after their reservation ran out (released only when a checkout starts). */
    heldPastExpiry: number;
    paidUnits: number;
    stripeEvents: number;
    minStock: number;
  };
};

export async function checkInvariants(db: ShopDb, sandbox: SandboxClient, initialStock: Map<string, number>): Promise<InvariantReport> {
  const violations: string[] = [];
  const [intents, orders, carts, recorded, events, products] = await Promise.all([
    sandbox.listIntents(),
    db.orders(),
    db.carts(),
    db.stripeEvents(),
    sandbox.listEvents(),
    db.products([...initialStock.keys()]),
  ]);
  const ordersByIntent = new Map<string, typeof orders>();
  for (const order of orders)
    if (order.paymentIntentId) ordersByIntent.set(order.paymentIntentId, [...(ordersByIntent.get(order.paymentIntentId) ?? []), order]);
  const intentsById = new Map(intents.map((i) => [i.id, i]));

  // 1. Every succeeded PaymentIntent has exactly one paid order, the one its metadata names, for the amount received.
  const succeeded = intents.filter((i) => i.status === "succeeded");
  for (const intent of succeeded) {
    const paid = (ordersByIntent.get(intent.id) ?? []).filter((o) => PAID.has(o.status));
    const metadataOrder = orders.find((o) => o.id === intent.metadata.order_id);
    if (paid.length !== 1) {
      violations.push(
        `succeeded intent ${intent.id} (order ${intent.metadata.order_id ?? "?"}, ${intent.amount_received} ${intent.currency}) has ${paid.length} paid orders` +
          ` (metadata order is ${metadataOrder ? `${metadataOrder.status}, paymentIntentId ${metadataOrder.paymentIntentId}` : "missing"})`,
      );
    } else if (paid[0]!.id !== intent.metadata.order_id) {
      violations.push(`succeeded intent ${intent.id} paid order ${paid[0]!.id} but its metadata names order ${intent.metadata.order_id}`);
    } else if (paid[0]!.total !== intent.amount_received) {
      violations.push(
        `order ${paid[0]!.id} total ${paid[0]!.total} differs from intent ${intent.id} amount_received ${intent.amount_received}`,
      );
    }
  }

  // 2. No order is paid without a succeeded intent; none needs a person's attention.
  for (const order of orders) {
    if (PAID.has(order.status)) {
      const intent = order.paymentIntentId ? intentsById.get(order.paymentIntentId) : undefined;
      if (intent?.status !== "succeeded")
        violations.push(`order ${order.id} is ${order.status} but its intent ${order.paymentIntentId} is ${intent?.status ?? "missing"}`);
      if (order.stockReserved) violations.push(`paid order ${order.id} still marks its stock as reserved`);
    }
    if (order.attention)
      violations.push(`order ${order.id} (${order.status}, intent ${order.paymentIntentId}) flagged: ${order.attention}`);
    if (order.stockReserved && !OPEN.has(order.status))
      violations.push(`order ${order.id} is ${order.status} but still holds a reservation`);
  }

  // 3. Stock = initial − units sold − units reserved by open orders, and never negative.
  const sold = new Map<string, number>();
  const reserved = new Map<string, number>();
  for (const order of orders) {
    const bucket = PAID.has(order.status) ? sold : order.stockReserved ? reserved : null;
    if (!bucket) continue;
    for (const item of order.items) bucket.set(item.productId, (bucket.get(item.productId) ?? 0) + item.quantity);
  }
  let minStock = Number.POSITIVE_INFINITY;
  for (const product of products) {
    minStock = Math.min(minStock, product.stock);
    const expected = initialStock.get(product.id)! - (sold.get(product.id) ?? 0) - (reserved.get(product.id) ?? 0);
    if (product.stock !== expected) {
      violations.push(
        `product ${product.slug} (${product.id}): stock ${product.stock}, expected ${expected} = initial ${initialStock.get(product.id)} − sold ${sold.get(product.id) ?? 0} − reserved ${reserved.get(product.id) ?? 0}`,
      );
    }
    if (product.stock < 0) violations.push(`product ${product.slug} has negative stock ${product.stock}`);
  }

  // 4. Every event Stripe sent is recorded exactly once and processed; every event was delivered in the end.
  const sent = new Set(events.map((e) => e.id));
  const deliveredOk = new Set(
    sandbox
      .attemptList()
      .filter((a) => a.outcome === "delivered")
      .map((a) => a.event_id),
  );
  for (const row of recorded) {
    if (row.count !== 1) violations.push(`StripeEvent ${row.id} recorded ${row.count} times`);
    if (!row.processed) violations.push(`StripeEvent ${row.id} (${row.type}) recorded but never processed`);
    if (!sent.has(row.id)) violations.push(`StripeEvent ${row.id} (${row.type}) is not an event Stripe sent`);
  }
  const recordedIds = new Set(recorded.map((r) => r.id));
  for (const id of deliveredOk) if (!recordedIds.has(id)) violations.push(`event ${id} was acknowledged with 2xx but is not recorded`);
  for (const id of sandbox.gaveUp()) violations.push(`Stripe gave up delivering event ${id}`);
  const stillPending = events.filter((e) => e.pending_webhooks > 0 && !sandbox.gaveUp().has(e.id));
  if (stillPending.length)
    violations.push(`${stillPending.length} events still waiting for delivery (first: ${stillPending[0]!.id} ${stillPending[0]!.type})`);

  // 5. No cart lost its items: unpaid carts are open with their items, paid carts are checked out.
  const ordersByCart = new Map<string, typeof orders>();
  for (const order of orders) ordersByCart.set(order.cartId, [...(ordersByCart.get(order.cartId) ?? []), order]);
  for (const cart of carts) {
    const cartOrders = ordersByCart.get(cart.id) ?? [];
    const paid = cartOrders.filter((o) => PAID.has(o.status));
    const open = cartOrders.filter((o) => OPEN.has(o.status));
    if (paid.length > 1) violations.push(`cart ${cart.id} has ${paid.length} paid orders: ${paid.map((o) => o.id).join(", ")}`);
    if (open.length > 1) violations.push(`cart ${cart.id} has ${open.length} open orders: ${open.map((o) => o.id).join(", ")}`);
    if (paid.length > 0 && cart.status !== "checked_out")
      violations.push(`cart ${cart.id} is paid (order ${paid[0]!.id}) but still ${cart.status}`);
    if (paid.length === 0 && cart.status !== "open") violations.push(`cart ${cart.id} is ${cart.status} without a paid order`);
    if (paid.length === 0 && cartOrders.length > 0 && cart.itemCount === 0)
      violations.push(`cart ${cart.id} with unpaid order ${cartOrders[0]!.id} lost its items`);
  }

  const units = (bucket: Map<string, number>) => [...bucket.values()].reduce((a, b) => a + b, 0);
  return {
    violations,
    counts: {
      succeededIntents: succeeded.length,
      paidOrders: orders.filter((o) => PAID.has(o.status)).length,
      pendingOrders: orders.filter((o) => OPEN.has(o.status)).length,
      canceledOrders: orders.filter((o) => o.status === "canceled").length,
      reservedUnits: units(reserved),
      heldPastExpiry: orders.filter((o) => o.heldPastExpiry).length,
      paidUnits: units(sold),
      stripeEvents: recorded.length,
      minStock: Number.isFinite(minStock) ? minStock : 0,
    },
  };
}

/**
 * Lets Stripe's retries finish (stops recording delivery attempts once they have), then lets the shop's
 * webhook inbox apply every event it recorded, then checks the invariants. Deliveries or inbox events still
 * outstanding after `timeoutMs` (each wait has its own) are violations of their own.
 */
export async function settleAndCheck(
  h: { db: ShopDb; sandbox: SandboxClient; log: Log },
  initialStock: Map<string, number>,
  timeoutMs: number,
): Promise<InvariantReport> {
  const drain = await h.sandbox.waitDrained(timeoutMs, h.log);
  h.sandbox.stopRecording();
  h.log(`webhooks ${drain.drained ? "drained" : "NOT drained"} after ${(drain.waitedMs / 1000).toFixed(1)} s`);
  // A 2xx means recorded, not applied: the app instances' drains apply the events in the background.
  const inbox = await waitForEmptyInbox(() => h.db.inboxBacklog(), { timeoutMs, intervalMs: 250 });
  h.log(`webhook inbox ${inbox.empty ? "empty" : "NOT empty"} after ${(inbox.waitedMs / 1000).toFixed(1)} s`);
  const invariants = await checkInvariants(h.db, h.sandbox, initialStock);
  if (!drain.drained)
    invariants.violations.push(`webhooks did not drain: ${drain.undelivered} events undelivered, ${drain.pending} retries pending`);
  if (!inbox.empty)
    invariants.violations.push(
      `the webhook inbox did not empty: ${inbox.backlog.pending} events unapplied, ${inbox.backlog.failing} of them failing`,
    );
  return invariants;
}

/**
 * Every instance's page of every product shows the stock state the database implies (lib/catalog.ts
 * stockState), within `withinMs`: pages are read until they agree, the database again before each read (an
 * expired reservation may be released meanwhile). Returns a violation per page that never agreed.
 */
export async function checkPagesShowStock(
  db: ShopDb,
  instances: Array<{ name: string; url: string }>,
  productIds: string[],
  withinMs: number,
): Promise<{ violations: string[]; pages: number; reads: number }> {
  let reads = 0;
  const one = async (instance: { name: string; url: string }, productId: string): Promise<string | null> => {
    const deadline = Date.now() + withinMs;
    let last = "";
    do {
      const [product] = await db.products([productId]);
      const want = expectedStockLabel(product!);
      const response = await fetch(`${instance.url}/products/${product!.slug}`, { signal: AbortSignal.timeout(10_000) });
      const shown = response.status === 200 ? productPageStock(await response.text()) : `HTTP ${response.status}`;
      reads++;
      if (shown === want) return null;
      last = `${instance.name} /products/${product!.slug} shows "${shown ?? "no stock label"}", the database's stock ${product!.stock} means "${want}"`;
      await sleep(100);
    } while (Date.now() < deadline);
    return `${last} (still after ${withinMs} ms)`;
  };
  const results = await Promise.all(instances.flatMap((instance) => productIds.map((id) => one(instance, id))));
  return { violations: results.filter((v): v is string => v !== null), pages: results.length, reads };
}
