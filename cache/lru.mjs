// @ts-check
// A size-bounded least-recently-used map: the handlers' eviction (Next never deletes from a handler).

/** @template V */
export class Lru {
  /** @param {number} maxBytes */
  constructor(maxBytes) {
    this.maxBytes = maxBytes;
    this.bytes = 0;
    /** @type {Map<string, { value: V, size: number }>} */
    this.map = new Map();
  }

  /** @param {string} key */
  get(key) {
    const item = this.map.get(key);
    if (!item) return undefined;
    // Re-inserted: a Map iterates in insertion order, so the first key is always the least recently used.
    this.map.delete(key);
    this.map.set(key, item);
    return item.value;
  }

  /** @param {string} key @param {V} value @param {number} size */
  set(key, value, size) {
    this.delete(key);
    if (size > this.maxBytes) return;
    this.map.set(key, { value, size });
    this.bytes += size;
    for (const [oldest, item] of this.map) {
      if (this.bytes <= this.maxBytes) break;
      this.map.delete(oldest);
      this.bytes -= item.size;
    }
  }

  /** @param {string} key */
  delete(key) {
    const item = this.map.get(key);
    if (!item) return;
    this.map.delete(key);
    this.bytes -= item.size;
  }
}
