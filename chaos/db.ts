// Direct database access for the harness: setting up stock, reading what the shop wrote, and switching the
// shop's database off and on (scenario 2). Uses its own pools; the outage terminates them too, so every pool
// tolerates lost connections.
import pg from "pg";
import { onCleanup } from "@tidewater/harness";
import { INBOX_BACKLOG_SQL, type InboxBacklog } from "../lib/payments/inbox-backlog";

/**
 * A chaos product: a seeded product without options, so its one (default) variant carries its stock and price.
 * `variantId` is what carts add and what the stock is set on.
 */
export type ProductRow = { id: string; variantId: string; slug: string; name: string; price: number; stock: number };

/** A product's default variant (the one a product without options has): its stock and price live there. */
const DEFAULT_VARIANT = `JOIN "ProductVariant" v ON v."productId" = p.id AND v."optionKey" = ''`;
const PRODUCT_COLUMNS = `p.id, v.id AS "variantId", p.slug, p.name, COALESCE(v.price, p.price) AS price, v.stock`;
export type OrderRow = {
  id: string;
  cartId: string;
  status: string;
  paymentIntentId: string | null;
  total: number;
  stockReserved: boolean;
  attention: string | null;
  /** Still holding stock although its reservation time has passed. */
  heldPastExpiry: boolean;
  items: Array<{ productId: string; quantity: number }>;
};
export type CartRow = { id: string; status: string; itemCount: number };
export type EventRow = { id: string; type: string; count: number; processed: boolean };

export class ShopDb {
  readonly pool: pg.Pool;
  private readonly admin: pg.Pool;
  readonly database: string;

  constructor(url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 4 });
    const adminUrl = new URL(url);
    this.database = decodeURIComponent(adminUrl.pathname.slice(1));
    adminUrl.pathname = "/postgres";
    this.admin = new pg.Pool({ connectionString: adminUrl.toString(), max: 2 });
    // A terminated idle connection emits here; the pool replaces it on next use.
    this.pool.on("error", () => undefined);
    this.admin.on("error", () => undefined);
    onCleanup("harness database pools", async () => {
      await this.allowConnections().catch(() => undefined);
      await Promise.all([this.pool.end(), this.admin.end()]);
    });
  }

  async query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
    return (await this.pool.query<T>(text, values)).rows;
  }

  /** Empties carts, orders, recorded events and the email outbox; the catalog stays. */
  async resetShopData(): Promise<void> {
    // CASCADE: whatever hangs off orders (emails, access links, shipments, …) goes with them, or TRUNCATE refuses.
    await this.query(`TRUNCATE "EmailMessage", "StripeEvent", "OrderItem", "Order", "CartItem", "Cart" CASCADE`);
  }

  /** Puts exactly `stock` units of each product's default variant on the shelf, product and variant active; returns them. */
  async setStock(slugs: string[], stock: number): Promise<ProductRow[]> {
    await this.query(`UPDATE "Product" SET active = true, "updatedAt" = now() WHERE slug = ANY($1) AND NOT active`, [slugs]);
    await this.query(
      `UPDATE "ProductVariant" v SET stock = $2, active = true, "updatedAt" = now()
         FROM "Product" p WHERE v."productId" = p.id AND v."optionKey" = '' AND p.slug = ANY($1)`,
      [slugs, stock],
    );
    return this.query<ProductRow>(`SELECT ${PRODUCT_COLUMNS} FROM "Product" p ${DEFAULT_VARIANT} WHERE p.slug = ANY($1)`, [slugs]);
  }

  products(ids: string[]): Promise<ProductRow[]> {
    return this.query<ProductRow>(`SELECT ${PRODUCT_COLUMNS} FROM "Product" p ${DEFAULT_VARIANT} WHERE p.id = ANY($1)`, [ids]);
  }

  /** Changes a product's default variant's stock by `delta`, never below zero; the new stock, or null when refused. */
  async addStock(productId: string, delta: number): Promise<number | null> {
    const [row] = await this.query<{ stock: number }>(
      `UPDATE "ProductVariant" SET stock = stock + $2, "updatedAt" = now()
        WHERE "productId" = $1 AND "optionKey" = '' AND stock + $2 >= 0 RETURNING stock`,
      [productId, delta],
    );
    return row?.stock ?? null;
  }

  async orders(): Promise<OrderRow[]> {
    const rows = await this.query<Omit<OrderRow, "items">>(
      `SELECT id, "cartId", status::text AS status, "paymentIntentId", total, "stockReserved", attention,
              ("stockReserved" AND "reservedUntil" < now()) AS "heldPastExpiry" FROM "Order"`,
    );
    const items = await this.query<{ orderId: string; productId: string; quantity: number }>(
      `SELECT "orderId", "productId", quantity FROM "OrderItem"`,
    );
    const byOrder = new Map<string, OrderRow["items"]>();
    for (const item of items)
      byOrder.set(item.orderId, [...(byOrder.get(item.orderId) ?? []), { productId: item.productId, quantity: item.quantity }]);
    return rows.map((row) => ({ ...row, items: byOrder.get(row.id) ?? [] }));
  }

  carts(): Promise<CartRow[]> {
    return this.query<CartRow>(
      `SELECT c.id, c.status::text AS status, count(i.id)::int AS "itemCount" FROM "Cart" c LEFT JOIN "CartItem" i ON i."cartId" = c.id GROUP BY c.id`,
    );
  }

  stripeEvents(): Promise<EventRow[]> {
    return this.query<EventRow>(
      `SELECT id, min(type) AS type, count(*)::int AS count, bool_and("processedAt" IS NOT NULL) AS processed FROM "StripeEvent" GROUP BY id`,
    );
  }

  /** Events the shop recorded but its webhook inbox has not applied yet. */
  async inboxBacklog(): Promise<InboxBacklog> {
    const [row] = await this.query<InboxBacklog>(INBOX_BACKLOG_SQL);
    return row!;
  }

  async orderForCart(cartId: string): Promise<{ id: string; paymentIntentId: string | null; status: string } | undefined> {
    const [row] = await this.query<{ id: string; paymentIntentId: string | null; status: string }>(
      `SELECT id, "paymentIntentId", status::text AS status FROM "Order" WHERE "cartId" = $1 ORDER BY "createdAt" DESC LIMIT 1`,
      [cartId],
    );
    return row;
  }

  // ---------------------------------------------------------------- outage (scenario 2)

  /** New connections to the shop's database are refused ("database … is not currently accepting connections"). */
  async refuseConnections(): Promise<void> {
    await this.admin.query(`ALTER DATABASE "${this.database}" ALLOW_CONNECTIONS false`);
  }

  /** Drops every open connection to the shop's database (the app's pool included); returns how many. */
  async terminateConnections(): Promise<number> {
    const { rows } = await this.admin.query<{ n: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [this.database],
    );
    return rows[0]?.n ?? 0;
  }

  async allowConnections(): Promise<void> {
    await this.admin.query(`ALTER DATABASE "${this.database}" ALLOW_CONNECTIONS true`);
  }
}
