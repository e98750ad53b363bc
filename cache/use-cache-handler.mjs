// @ts-check
// Next's handler for 'use cache' (next.config `cacheHandlers.default`). Entries stay in this process's
// memory (a bounded LRU): they are cheap to recompute from the database, and a restarted instance starts
// empty instead of serving old bytes. What must agree across instances is invalidation, and that comes
// from ./tag-store.mjs: an entry carrying a tag (or rendered under a path, the "soft" tags) invalidated
// after its computation started is a miss, so Next recomputes it before answering.
import { Lru } from "./lru.mjs";
import { isExpired, latestExpiration, invalidateTags, refreshTags, startTagSync } from "./tag-store.mjs";

const MAX_BYTES = 50 * 1024 * 1024;

/** @typedef {import("next/dist/server/lib/cache-handlers/types").CacheEntry} CacheEntry */
/** @typedef {import("next/dist/server/lib/cache-handlers/types").CacheHandler} CacheHandler */
/** @typedef {Omit<CacheEntry, "value"> & { value: Uint8Array }} StoredEntry */

/** @type {Lru<StoredEntry>} */
const entries = new Lru(MAX_BYTES);
/** Sets still reading their value: a get for the same key waits for them (the interface requires it). */
const pending = new Map();

/** @param {Uint8Array} bytes */
function streamOf(bytes) {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

startTagSync();

/** @type {CacheHandler} */
const handler = {
  async get(cacheKey, softTags) {
    await pending.get(cacheKey);
    const entry = entries.get(cacheKey);
    if (!entry) return undefined;
    if (isExpired(entry.tags, entry.timestamp) || isExpired(softTags, entry.timestamp)) {
      entries.delete(cacheKey);
      return undefined;
    }
    return { ...entry, value: streamOf(entry.value) };
  },

  async set(cacheKey, pendingEntry) {
    /** @type {() => void} */
    let done = () => {};
    pending.set(
      cacheKey,
      new Promise((resolve) => {
        done = () => resolve(undefined);
      }),
    );
    try {
      const entry = await pendingEntry;
      // expire 0: a dynamic entry that must never be reused.
      if (entry.expire === 0) return;
      const value = new Uint8Array(await new Response(entry.value).arrayBuffer());
      entries.set(cacheKey, { ...entry, value }, value.byteLength + cacheKey.length);
    } catch (error) {
      // A render that failed half way: keep nothing, the next request computes it again.
      console.error(`cache: could not store ${cacheKey}:`, error);
    } finally {
      pending.delete(cacheKey);
      done();
    }
  },

  refreshTags,

  async getExpiration(tags) {
    return latestExpiration(tags);
  },

  async updateTags(tags) {
    await invalidateTags(tags);
  },
};

export default handler;
