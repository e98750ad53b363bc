// @ts-check
// Next's server cache for whole responses: prerendered pages, their RSC payloads and route handler
// bodies (next.config `cacheHandler`). Like ./use-cache-handler.mjs, entries live in this process's memory
// and invalidation comes from ./tag-store.mjs, shared by every instance through PostgreSQL: a page whose
// tags (Next lists them in the entry's x-next-cache-tags header: the 'use cache' tags it read plus its
// path's soft tags) were invalidated after it began rendering is a miss, so Next renders it afresh and
// blocks the request on that render instead of serving stale stock.
//
// When did an entry begin rendering? Next hands the finished entry to set() without saying, and the time
// of set() is too late: a render that read the stock before a sale but finished after the sale's
// notification would look fresh. So each key remembers the first get() since its last set(): any render
// of that key started after that get, and that moment becomes the entry's age. At worst an entry looks
// older than it is and is rendered once more.
import { Lru } from "./lru.mjs";
import { isExpired, refreshTags, startTagSync } from "./tag-store.mjs";

const MAX_BYTES = 100 * 1024 * 1024;
const TAGS_HEADER = "x-next-cache-tags";

/** @typedef {{ value: any, lastModified: number, cacheControl?: unknown, tags: string[] }} StoredResponse */

/** @param {any} value */
function tagsOf(value, /** @type {{ tags?: string[] }} */ ctx) {
  const header = value?.headers?.[TAGS_HEADER];
  if (typeof header === "string" && header) return header.split(",");
  return ctx?.tags ?? [];
}

/** A rough byte size for the LRU: the bodies dominate. @param {any} value */
function sizeOf(value) {
  if (!value) return 0;
  let size = 0;
  for (const part of [value.html, value.rscData, value.body, value.data?.body]) {
    if (typeof part === "string") size += part.length;
    else if (part && typeof part.byteLength === "number") size += part.byteLength;
  }
  if (value.segmentData instanceof Map) for (const segment of value.segmentData.values()) size += segment?.byteLength ?? 0;
  return size + 1024;
}

startTagSync();

export default class PageCacheHandler {
  /** @type {Lru<StoredResponse>} */
  static entries = new Lru(MAX_BYTES);
  /** @type {Map<string, number>} key → first get() since the key's last set() */
  static askedSince = new Map();

  /** @param {unknown} _options Next's constructor options (file system, dist dir…), not needed in memory. */
  constructor(_options) {}

  /** @param {string} key @param {unknown} _ctx */
  async get(key, _ctx) {
    const { entries, askedSince } = PageCacheHandler;
    if (!askedSince.has(key)) askedSince.set(key, Date.now());
    // A page served whole reads no 'use cache' entry, so Next would not refresh the tags for it.
    await refreshTags();
    const entry = entries.get(key);
    if (!entry) return null;
    if (isExpired(entry.tags, entry.lastModified)) {
      entries.delete(key);
      return null;
    }
    return { value: entry.value, lastModified: entry.lastModified, cacheControl: entry.cacheControl };
  }

  /** @param {string} key @param {any} data @param {{ tags?: string[], cacheControl?: unknown, fetchCache?: boolean }} ctx */
  async set(key, data, ctx) {
    const { entries, askedSince } = PageCacheHandler;
    const lastModified = askedSince.get(key) ?? Date.now();
    askedSince.delete(key);
    if (!data) {
      entries.delete(key);
      return;
    }
    const cacheControl = ctx?.fetchCache ? undefined : ctx?.cacheControl;
    entries.set(key, { value: data, lastModified, cacheControl, tags: tagsOf(data, ctx) }, sizeOf(data) + key.length);
  }

  // Invalidation is recorded by the 'use cache' handler's updateTags, which Next calls for the same tags
  // on the same revalidateTag(); recording it twice would only cost a second database write.
  async revalidateTag() {}

  resetRequestCache() {}
}
