import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import type pg from "pg";
import { ROOT } from "../../scripts/stack";

export type Product = { id: string; slug: string; price: number; stock: number };

/** What every section gets: the running shop, its database and the run's size. */
export type BenchContext = {
  short: boolean;
  /** The shop's origin, e.g. http://localhost:41234. */
  url: string;
  /** The stack's environment (DATABASE_URL, STRIPE_WEBHOOK_SECRET, …). */
  env: Record<string, string>;
  db: pg.Pool;
  /** The build's dist dir, relative to the repository root. */
  distDir: string;
  log: (line: string) => void;
  products: Map<string, Product>;
};

/**
 * A small file from public/ served by the same `next start`: the baseline for request/response overhead.
 * public/og.svg when it exists, else the smallest file in public/ (resolved once, when the module loads).
 */
export const STATIC_FILE: string = pickStaticFile();

function pickStaticFile(): string {
  const root = path.join(ROOT, "public");
  if (existsSync(path.join(root, "og.svg"))) return "/og.svg";
  const files = (readdirSync(root, { recursive: true }) as string[])
    .map((file) => ({ file, size: statSync(path.join(root, file)).size, isFile: statSync(path.join(root, file)).isFile() }))
    .filter((f) => f.isFile && f.size > 0)
    .sort((a, b) => a.size - b.size);
  if (!files.length) throw new Error("public/ holds no file to use as the static baseline");
  return `/${files[0]!.file.split(path.sep).map(encodeURIComponent).join("/")}`;
}

/** In stock in the seed (200 and 120) and topped up before the run, so carts and checkouts never run out. */
export const BENCH_PRODUCTS = ["washi-tape-set", "dot-grid-notebook"];
