import { existsSync, readdirSync, statSync } from "node:fs";
import type http from "node:http";
import path from "node:path";
import { ActionClient, type ActionManifest } from "@tidewater/harness";
import type pg from "pg";
import { ROOT } from "../../scripts/stack";
import { agentFor, transportFor } from "./load";

/** A seeded product and its default variant (every bench product has no options): carts add the variant. */
export type Product = { id: string; variantId: string; slug: string; price: number; stock: number };

/** Joins a product `p` to its default variant `v`, which carries its stock (and its price, when set). */
export const DEFAULT_VARIANT_JOIN = `JOIN "ProductVariant" v ON v."productId" = p.id AND v."optionKey" = ''`;

/** What every section gets: the running shop, its database and the run's size. */
export type BenchContext = {
  short: boolean;
  /** The shop's origin, e.g. http://localhost:41234. */
  url: string;
  /** The stack's environment (DATABASE_URL, STRIPE_WEBHOOK_SECRET, …). */
  env: Record<string, string>;
  db: pg.Pool;
  log: (line: string) => void;
  products: Map<string, Product>;
  /** The build's Server Actions. */
  actions: ActionManifest;
  /** The build's dist dir, relative to the repository (for starting more instances of it). */
  distDir: string;
};

/** A shopper with its own cookie jar, calling actions over the bench's keep-alive client. */
export function newShopper(ctx: BenchContext, agent: http.Agent = agentFor(1)): ActionClient {
  return new ActionClient({ origin: ctx.url, actions: ctx.actions, transport: transportFor(agent) });
}

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
