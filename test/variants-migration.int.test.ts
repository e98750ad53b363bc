// The variants migration (20261130160000_product_variants) on a database that has lived: applied to a copy
// of everything before it with products, carts, a checkout holding a reservation and a paid order, it must
// give every product one default variant with its stock, move every cart line to it and keep every order
// item, its reservation and the totals.
import { randomBytes } from "node:crypto";
import { cp, mkdtemp, readdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, MIGRATIONS_DIR } from "../scripts/db/migrate";

const VARIANTS = "20261130160000_product_variants";

async function scratchDatabase(): Promise<string> {
  const adminUrl = process.env.TEST_POSTGRES_ADMIN_URL!;
  const name = `variants_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The migrations directory up to (not including) `stop`. */
async function migrationsBefore(stop: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "migrations-"));
  for (const entry of await readdir(MIGRATIONS_DIR, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name < stop)
      await cp(path.join(MIGRATIONS_DIR, entry.name), path.join(dir, entry.name), { recursive: true });
  }
  return dir;
}

let db: pg.Client;
let url: string;

beforeAll(async () => {
  url = await scratchDatabase();
  await applyMigrations(url, await migrationsBefore(VARIANTS));
  db = new pg.Client({ connectionString: url });
  await db.connect();
  // A catalog, two carts (one checking out), a pending order holding stock and a paid order.
  await db.query(`
    INSERT INTO "Category" (id, slug, name, description, "updatedAt") VALUES ('cat', 'kitchen', 'Kitchen', 'Pots', now());
    INSERT INTO "Product" (id, slug, name, description, price, image, stock, "categoryId", "updatedAt") VALUES
      ('mug', 'mug', 'Mug', 'A mug', 1800, '/m.svg', 37, 'cat', now()),
      ('pan', 'pan', 'Pan', 'A pan', 5600, '/p.svg', 0, 'cat', now());
    INSERT INTO "Cart" (id, status, "updatedAt") VALUES ('cart-open', 'open', now()), ('cart-paying', 'open', now()), ('cart-paid', 'checked_out', now());
    INSERT INTO "CartItem" (id, "cartId", "productId", quantity, "updatedAt") VALUES
      ('ci1', 'cart-open', 'mug', 2, now()), ('ci2', 'cart-open', 'pan', 1, now()), ('ci3', 'cart-paying', 'mug', 3, now());
    INSERT INTO "Order" (id, number, status, "cartId", email, "shippingName", "shippingLine1", "shippingCity", "shippingPostalCode",
        "shippingCountry", "shippingMethod", currency, subtotal, "shippingCost", total, "stockReserved", "reservedUntil", "reservedAt", "updatedAt") VALUES
      ('o-pending', 'SF-PEND01', 'pending', 'cart-paying', 'a@example.com', 'A', '1 St', 'Town', '12345', 'US', 'standard', 'usd', 5400, 500, 5900, true, now() + interval '20 minutes', now(), now()),
      ('o-paid', 'SF-PAID01', 'paid', 'cart-paid', 'b@example.com', 'B', '2 St', 'Town', '12345', 'US', 'standard', 'usd', 1800, 500, 2300, false, NULL, NULL, now());
    INSERT INTO "OrderItem" (id, "orderId", "productId", name, "unitPrice", quantity) VALUES
      ('oi1', 'o-pending', 'mug', 'Mug', 1800, 3), ('oi2', 'o-paid', 'mug', 'Mug', 1800, 1);
  `);
  await applyMigrations(url);
});

afterAll(async () => {
  await db?.end();
});

describe("the variants migration on a database with carts and orders", () => {
  it("gives every product one default variant carrying its stock", async () => {
    const { rows } = await db.query(
      `SELECT "productId", sku, stock, price, active, "optionKey" FROM "ProductVariant" ORDER BY "productId"`,
    );
    expect(rows).toEqual([
      { productId: "mug", sku: "mug", stock: 37, price: null, active: true, optionKey: "" },
      { productId: "pan", sku: "pan", stock: 0, price: null, active: true, optionKey: "" },
    ]);
    const columns = await db.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'Product' AND column_name = 'stock'`);
    expect(columns.rowCount).toBe(0);
  });

  it("moves every cart line to its product's variant, quantities unchanged", async () => {
    const { rows } = await db.query(
      `SELECT ci."cartId", v."productId", ci.quantity FROM "CartItem" ci JOIN "ProductVariant" v ON v.id = ci."variantId" ORDER BY ci.id`,
    );
    expect(rows).toEqual([
      { cartId: "cart-open", productId: "mug", quantity: 2 },
      { cartId: "cart-open", productId: "pan", quantity: 1 },
      { cartId: "cart-paying", productId: "mug", quantity: 3 },
    ]);
  });

  it("keeps every order item and reservation, each pointing at its variant", async () => {
    const { rows } = await db.query(
      `SELECT oi.id, o.status, o."stockReserved", oi.quantity, oi."unitPrice", oi.options, v."productId"
         FROM "OrderItem" oi JOIN "Order" o ON o.id = oi."orderId" JOIN "ProductVariant" v ON v.id = oi."variantId" ORDER BY oi.id`,
    );
    expect(rows).toEqual([
      { id: "oi1", status: "pending", stockReserved: true, quantity: 3, unitPrice: 1800, options: "", productId: "mug" },
      { id: "oi2", status: "paid", stockReserved: false, quantity: 1, unitPrice: 1800, options: "", productId: "mug" },
    ]);
  });

  it("still refuses negative stock, and a stock change still expires the product's cache tag", async () => {
    await expect(db.query(`UPDATE "ProductVariant" SET stock = -1 WHERE "productId" = 'mug'`)).rejects.toThrow(/stock_nonnegative/);
    await db.query(`UPDATE "ProductVariant" SET stock = 5 WHERE "productId" = 'mug'`);
    const { rows } = await db.query(`SELECT 1 FROM "CacheTag" WHERE tag = 'product:mug'`);
    expect(rows).toHaveLength(1);
  });
});
