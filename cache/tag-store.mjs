// @ts-check
// The shop's cache-tag state, shared by every `next start` instance through PostgreSQL.
//
// Each process keeps a map tag → the moment (its own clock, ms) from which entries carrying the tag are
// expired. The database keeps one row per tag ("CacheTag") and announces every invalidation on the
// channel `cache_tags` (migration 20261130140000_cache_tags: the function cache_invalidate(), also run by
// triggers when a product's shown stock, price or listing changes, so every code path and even psql
// invalidates). Each process LISTENs and marks a tag expired at the moment the notification arrives, so
// an entry is compared only with times of its own process's clock; an entry whose computation started
// before that moment is never served again.
//
// Failure modes, each handled below:
// - No DATABASE_URL or `next build`: memory only (a build has one process and nothing to coordinate).
// - The listener's connection drops: notifications sent meanwhile are lost, so until it is back
//   refresh() (Next calls it before a request's first cache read) re-reads the table at most every
//   POLL_MS, and every reconnect re-reads it too; a tag whose row moved is treated as expired now.
// - The database is down: the last known state is served; logged once a minute.
import pg from "pg";
import { keepListening } from "../lib/pg-listen.mjs";

const CHANNEL = "cache_tags";
const POLL_MS = 500;
const RECONNECT_MS = 1_000;
const LOG_EVERY_MS = 60_000;

/**
 * @typedef {{
 *   expired: Map<string, number>,
 *   seen: Map<string, number>,
 *   pool: pg.Pool | null,
 *   listening: boolean,
 *   started: boolean,
 *   loading: Promise<void> | null,
 *   lastLoad: number,
 *   lastLog: number,
 * }} TagState
 */

const KEY = Symbol.for("tidewater.cache-tag-state");

/** One state per process, whichever module copy asks (both handlers import this file). */
function state() {
  const holder = /** @type {Record<symbol, TagState | undefined>} */ (/** @type {unknown} */ (globalThis));
  holder[KEY] ??= {
    expired: new Map(),
    seen: new Map(),
    pool: null,
    listening: false,
    started: false,
    loading: null,
    lastLoad: 0,
    lastLog: 0,
  };
  return holder[KEY];
}

const now = () => Date.now();

/** @param {unknown} error */
function logProblem(error) {
  const s = state();
  if (now() - s.lastLog < LOG_EVERY_MS) return;
  s.lastLog = now();
  console.error("cache tags: database unreachable, serving the last known tag state:", error instanceof Error ? error.message : error);
}

/** @param {Iterable<string>} tags @param {number} at */
function markExpired(tags, at) {
  const { expired } = state();
  for (const tag of tags) expired.set(tag, Math.max(expired.get(tag) ?? 0, at));
}

function coordinated() {
  return Boolean(process.env.DATABASE_URL) && process.env.NEXT_PHASE !== "phase-production-build";
}

/**
 * Reads every tag row. On the first load a row's own time is kept (nothing is cached yet); afterwards a
 * row newer than what this process saw means a missed notification: expired from now on.
 */
async function load() {
  const s = state();
  if (!s.pool) return;
  const first = s.lastLoad === 0;
  s.lastLoad = now();
  const { rows } = await s.pool.query('SELECT tag, (extract(epoch FROM "expiredAt") * 1000)::float8 AS at FROM "CacheTag"');
  for (const { tag, at } of /** @type {{ tag: string, at: number }[]} */ (rows)) {
    const known = s.seen.get(tag) ?? 0;
    if (at <= known) continue;
    s.seen.set(tag, at);
    markExpired([tag], first ? at : now());
  }
}

function reload() {
  const s = state();
  s.loading ??= load()
    .catch(logProblem)
    .finally(() => {
      s.loading = null;
    });
  return s.loading;
}

/** Connects once per process (no-op without a database or during a build). */
export function startTagSync() {
  const s = state();
  if (s.started || !coordinated()) return;
  s.started = true;
  s.pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2, application_name: "cache-tags" });
  s.pool.on("error", logProblem);
  void reload();
  void keepListening({
    connectionString: /** @type {string} */ (process.env.DATABASE_URL),
    channel: CHANNEL,
    applicationName: "cache-tags",
    onNotification: (payload) => {
      if (payload) markExpired(payload.split(","), now());
    },
    onListening: () => {
      s.listening = true;
      // Anything sent before LISTEN took effect (or while it was down) is in the table.
      void reload();
    },
    onLost: (error) => {
      s.listening = false;
      logProblem(error);
    },
    backoffMs: () => RECONNECT_MS,
    wanted: () => true,
  });
}

/** Before a request reads the cache: nothing to do while notifications flow; otherwise re-read the table. */
export async function refreshTags() {
  const s = state();
  if (!s.started || s.listening) return;
  if (now() - s.lastLoad >= POLL_MS) await reload();
}

/**
 * True when any of `tags` was invalidated at or after `timestamp` (ms, this process's clock).
 * @param {readonly string[]} tags
 * @param {number} timestamp
 */
export function isExpired(tags, timestamp) {
  const { expired } = state();
  return tags.some((tag) => {
    const at = expired.get(tag);
    return at !== undefined && at >= timestamp;
  });
}

/**
 * The latest invalidation of any of `tags` (0: never).
 * @param {readonly string[]} tags
 */
export function latestExpiration(tags) {
  const { expired } = state();
  return Math.max(0, ...tags.map((tag) => expired.get(tag) ?? 0));
}

/**
 * Expires `tags` here at once and, through the database, on every other instance. This shop always
 * expires at once: a stale page could offer stock that is gone, so `revalidateTag(tag, profile)`'s
 * serve-stale window is not used.
 * @param {readonly string[]} tags
 */
export async function invalidateTags(tags) {
  if (tags.length === 0) return;
  markExpired(tags, now());
  const s = state();
  if (!s.pool) return;
  try {
    await s.pool.query("SELECT cache_invalidate($1::text[])", [tags]);
  } catch (error) {
    // The other instances learn nothing; their entries expire with their own life. Logged, not thrown:
    // the change that caused the invalidation is committed and must not be reported as failed.
    logProblem(error);
  }
}
