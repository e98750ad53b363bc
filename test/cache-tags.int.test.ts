// The database expires catalog cache tags by itself (migration 20261130140000_cache_tags, with triggers added
// by 20261130160000_product_variants and 20261130180000_catalog_admin), and every app instance follows through
// cache/tag-store.mjs. These tests drive both against the real PostgreSQL: the triggers fire exactly when what
// a page shows changes, NOTIFY arrives only after commit, and the tag store catches invalidations whether its
// listener is connected or not.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isExpired, refreshTags, startTagSync } from "../cache/tag-store.mjs";
import { shownStock } from "@/lib/catalog";
import { stockState } from "@/lib/stock-state";

const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
const suffix = randomBytes(4).toString("hex");
const categoryId = `cat_tags_${suffix}`;
const productId = `prod_tags_${suffix}`;
const variantId = `v_${productId}`;
/** A second product, for a variant (or image) moved between products. */
const otherProductId = `prod_tags_other_${suffix}`;
const blobId = `blob_tags_${suffix}`;

beforeAll(async () => {
  await db.connect();
  await db.query(
    `INSERT INTO "Category" (id, slug, name, description, "updatedAt") VALUES ($1, $2, 'Tag test', 'For cache tag tests', now())`,
    [categoryId, `tag-test-${suffix}`],
  );
  await db.query(
    `INSERT INTO "Product" (id, slug, name, description, price, image, "categoryId", "updatedAt")
     VALUES ($1, $2, 'Tag test lamp', 'A lamp', 1000, '/products/lamp.svg', $3, now())`,
    [productId, `tag-test-lamp-${suffix}`, categoryId],
  );
  // Its default variant carries the stock.
  await db.query(`INSERT INTO "ProductVariant" (id, "productId", sku, stock, "updatedAt") VALUES ($1, $2, $3, 10, now())`, [
    variantId,
    productId,
    `tag-test-lamp-${suffix}`,
  ]);
  await db.query(
    `INSERT INTO "Product" (id, slug, name, description, price, image, "categoryId", "updatedAt")
     VALUES ($1, $2, 'Tag test shade', 'A shade', 500, '/products/shade.svg', $3, now())`,
    [otherProductId, `tag-test-shade-${suffix}`, categoryId],
  );
  await db.query(`INSERT INTO "ImageBlob" (id, sha256, "contentType", width, height, bytes) VALUES ($1, $2, 'image/webp', 1, 1, '\\x00')`, [
    blobId,
    suffix.padEnd(64, "0"),
  ]);
});

afterAll(async () => {
  await db.query(`DELETE FROM "Product" WHERE id = ANY($1)`, [[productId, otherProductId]]);
  await db.query(`DELETE FROM "ImageBlob" WHERE id = $1`, [blobId]);
  await db.query(`DELETE FROM "Category" WHERE id = $1`, [categoryId]);
  await db.end();
});

/** When `tag` was last expired, as the database recorded it (null: never). */
async function expiredAt(tag: string): Promise<number | null> {
  const { rows } = await db.query<{ at: Date }>(`SELECT "expiredAt" AS at FROM "CacheTag" WHERE tag = $1`, [tag]);
  return rows[0]?.at.getTime() ?? null;
}

/** Runs `change` and says which of `tags` it expired. */
async function expiredBy(tags: string[], change: () => Promise<unknown>): Promise<string[]> {
  const before = await Promise.all(tags.map(expiredAt));
  await change();
  const after = await Promise.all(tags.map(expiredAt));
  return tags.filter((_, i) => after[i] !== before[i]);
}

/** A statement to run later, e.g. by expiredBy. */
function run(sql: string, ...params: unknown[]): () => Promise<unknown> {
  return () => db.query(sql, params);
}

const setStock = (stock: number) => db.query(`UPDATE "ProductVariant" SET stock = $2 WHERE id = $1`, [variantId, stock]);
const label = (stock: number) => stockState({ stock: shownStock(stock), active: true }).label;

describe("the catalog triggers", () => {
  it("expire a product's tag exactly when its variant's shown stock changes, whatever the threshold in lib/catalog.ts", async () => {
    await setStock(10);
    const steps = [9, 7, 6, 5, 4, 1, 0, 3, 8, 40, 6];
    let previous = 10;
    for (const stock of steps) {
      const expired = await expiredBy([`product:${productId}`], () => setStock(stock));
      expect({ from: previous, to: stock, expired: expired.length > 0 }).toEqual({
        from: previous,
        to: stock,
        expired: label(previous) !== label(stock),
      });
      previous = stock;
    }
  });

  it("expire the product on a price change, and its lists when it joins or leaves them", async () => {
    const tags = [`product:${productId}`, "products", `category:${categoryId}`, "categories"];
    expect(await expiredBy(tags, () => db.query(`UPDATE "Product" SET price = price + 100 WHERE id = $1`, [productId]))).toEqual([
      `product:${productId}`,
    ]);
    expect(await expiredBy(tags, () => db.query(`UPDATE "Product" SET active = false WHERE id = $1`, [productId]))).toEqual([
      `product:${productId}`,
      "products",
      `category:${categoryId}`,
    ]);
    expect(await expiredBy(tags, () => db.query(`UPDATE "Product" SET active = true WHERE id = $1`, [productId]))).toHaveLength(3);
    expect(await expiredBy(tags, () => db.query(`UPDATE "Product" SET "updatedAt" = now() WHERE id = $1`, [productId]))).toEqual([]);
    expect(await expiredBy(tags, () => db.query(`UPDATE "Category" SET name = 'Tag tests' WHERE id = $1`, [categoryId]))).toEqual([
      `category:${categoryId}`,
      "categories",
    ]);
  });

  it("expire the product when a variant's price, SKU or active flag changes, not when only its date does", async () => {
    const tags = [`product:${productId}`, "products", `category:${categoryId}`];
    const variantUpdate = (set: string) => () => db.query(`UPDATE "ProductVariant" SET ${set} WHERE id = $1`, [variantId]);
    expect(await expiredBy(tags, variantUpdate("price = 1500"))).toEqual([`product:${productId}`]);
    expect(await expiredBy(tags, variantUpdate("price = NULL"))).toEqual([`product:${productId}`]);
    expect(await expiredBy(tags, variantUpdate("sku = sku || '-2'"))).toEqual([`product:${productId}`]);
    expect(await expiredBy(tags, variantUpdate("active = false"))).toEqual([`product:${productId}`]);
    expect(await expiredBy(tags, variantUpdate("active = true"))).toEqual([`product:${productId}`]);
    expect(await expiredBy(tags, variantUpdate(`"updatedAt" = now()`))).toEqual([]);
  });

  it("expire the product when a variant's option values change, even with its option key unchanged", async () => {
    const tags = [`product:${productId}`, "products", `category:${categoryId}`];
    const [optionId, small, large] = ["size", "s", "l"].map((id) => `${id}_tags_${suffix}`);
    await db.query(`INSERT INTO "ProductOption" (id, "productId", name) VALUES ($1, $2, 'Size')`, [optionId, productId]);
    await db.query(`INSERT INTO "ProductOptionValue" (id, "optionId", value) VALUES ($1, $3, 'S'), ($2, $3, 'L')`, [
      small,
      large,
      optionId,
    ]);
    const expired = [`product:${productId}`];
    expect(
      await expiredBy(tags, run(`INSERT INTO "VariantOptionValue" ("variantId", "valueId") VALUES ($1, $2)`, variantId, small)),
    ).toEqual(expired);
    expect(await expiredBy(tags, run(`UPDATE "VariantOptionValue" SET "valueId" = $2 WHERE "variantId" = $1`, variantId, large))).toEqual(
      expired,
    );
    expect(await expiredBy(tags, run(`DELETE FROM "VariantOptionValue" WHERE "variantId" = $1`, variantId))).toEqual(expired);
    await db.query(`DELETE FROM "ProductOption" WHERE id = $1`, [optionId]);
  });

  it("expire both products when a variant moves from one to the other", async () => {
    const tags = [`product:${productId}`, `product:${otherProductId}`, "products"];
    const moving = `v_moving_${suffix}`;
    await db.query(
      `INSERT INTO "ProductVariant" (id, "productId", sku, stock, "optionKey", "updatedAt") VALUES ($1, $2, $1, 3, 'moving', now())`,
      [moving, productId],
    );
    const moveTo = (product: string) => run(`UPDATE "ProductVariant" SET "productId" = $2 WHERE id = $1`, moving, product);
    expect(await expiredBy(tags, moveTo(otherProductId))).toEqual([`product:${productId}`, `product:${otherProductId}`]);
    expect(await expiredBy(tags, moveTo(productId))).toEqual([`product:${productId}`, `product:${otherProductId}`]);
    await db.query(`DELETE FROM "ProductVariant" WHERE id = $1`, [moving]);
  });

  it("expire the product when one of its images is added, changed, moved to another product or removed", async () => {
    const tags = [`product:${productId}`, `product:${otherProductId}`, "products", `category:${categoryId}`];
    const image = `img_tags_${suffix}`;
    const insert = `INSERT INTO "ProductImage" (id, "productId", "blobId", alt) VALUES ($1, $2, $3, 'A lamp, lit')`;
    expect(await expiredBy(tags, run(insert, image, productId, blobId))).toEqual([`product:${productId}`]);
    expect(await expiredBy(tags, run(`UPDATE "ProductImage" SET alt = 'A lamp, unlit' WHERE id = $1`, image))).toEqual([
      `product:${productId}`,
    ]);
    expect(await expiredBy(tags, run(`UPDATE "ProductImage" SET position = 1 WHERE id = $1`, image))).toEqual([`product:${productId}`]);
    expect(await expiredBy(tags, run(`UPDATE "ProductImage" SET "productId" = $2 WHERE id = $1`, image, otherProductId))).toEqual([
      `product:${productId}`,
      `product:${otherProductId}`,
    ]);
    expect(await expiredBy(tags, run(`DELETE FROM "ProductImage" WHERE id = $1`, image))).toEqual([`product:${otherProductId}`]);
  });

  it("expire the navigation, the category and the whole-catalog lists when a category is archived or restored", async () => {
    const tags = [`product:${productId}`, "products", `category:${categoryId}`, "categories"];
    const setActive = (active: boolean) => run(`UPDATE "Category" SET active = $2 WHERE id = $1`, categoryId, active);
    expect(await expiredBy(tags, setActive(false))).toEqual(["products", `category:${categoryId}`, "categories"]);
    expect(await expiredBy(tags, setActive(true))).toEqual(["products", `category:${categoryId}`, "categories"]);
  });

  it("announce an invalidation only when its transaction commits, and not at all when it rolls back", async () => {
    const listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await listener.connect();
    const heard: string[] = [];
    listener.on("notification", (message) => heard.push(message.payload ?? ""));
    await listener.query("LISTEN cache_tags");
    const writer = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await writer.connect();
    try {
      const tag = `product:${productId}`;
      await writer.query("BEGIN");
      await writer.query(`UPDATE "Product" SET price = price + 1 WHERE id = $1`, [productId]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(heard.filter((payload) => payload.includes(tag))).toEqual([]);
      await writer.query("ROLLBACK");
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(heard.filter((payload) => payload.includes(tag))).toEqual([]);
      await writer.query(`UPDATE "Product" SET price = price + 1 WHERE id = $1`, [productId]);
      await expect.poll(() => heard.filter((payload) => payload.split(",").includes(tag)).length).toBe(1);
    } finally {
      await writer.end();
      await listener.end();
    }
  });
});

describe("the tag store (cache/tag-store.mjs)", () => {
  const invalidateFromElsewhere = (tag: string) => db.query("SELECT cache_invalidate($1::text[])", [[tag]]);

  it("hears another instance's invalidation, and still learns of them while its listener is disconnected", async () => {
    startTagSync();
    const pushed = `test:pushed:${suffix}`;
    await expect
      .poll(async () => {
        // Until the listener is up, the table is polled; either way the tag must become expired.
        await invalidateFromElsewhere(pushed);
        await refreshTags();
        return isExpired([pushed], Date.now() - 10_000);
      })
      .toBe(true);

    // Cut the listener's connection: notifications sent now are lost to it.
    const started = Date.now();
    await db.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'cache-tags' AND query LIKE 'LISTEN%'`);
    const missed = `test:missed:${suffix}`;
    await invalidateFromElsewhere(missed);
    // refresh() before a request's first cache read polls the table while the listener is down, and a
    // reconnect re-reads it: either way the missed invalidation is learned.
    await expect
      .poll(async () => {
        await refreshTags();
        return isExpired([missed], started);
      })
      .toBe(true);
    expect(isExpired([`test:never:${suffix}`], 0)).toBe(false);
  });
});
