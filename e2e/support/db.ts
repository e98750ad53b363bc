// Direct reads of the shop's database, to check what the browser flow left behind.
import pg from "pg";

let pool: pg.Pool | undefined;

export async function sql<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL must be set for e2e tests that inspect the database (npm test sets it)");
  if (!pool) {
    pool = new pg.Pool({ connectionString: url, max: 2 });
    // An idle connection the database drops (a restart, the run's end) is replaced on next use; no crash.
    pool.on("error", () => undefined);
  }
  return (await pool.query<T>(text, params)).rows;
}

/** Polls until `check` returns a value, e.g. until a webhook has been processed. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * A seeded product without options as carts and stock see it: its default variant (optionKey "") carries the
 * stock and, unless it has its own, the product's price.
 */
export async function defaultVariant(slug: string): Promise<{ id: string; productId: string; price: number; stock: number }> {
  const [row] = await sql<{ id: string; productId: string; price: number; stock: number }>(
    `SELECT v.id, p.id AS "productId", COALESCE(v.price, p.price) AS price, v.stock
       FROM "Product" p JOIN "ProductVariant" v ON v."productId" = p.id AND v."optionKey" = '' WHERE p.slug = $1`,
    [slug],
  );
  if (!row) throw new Error(`no product ${slug} with a default variant in the database`);
  return row;
}
