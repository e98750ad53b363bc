// Rendered image variants (WebP per sha256 and width), kept in this process's memory, least recently used out
// first once they hold more than a byte budget.
//
// Chosen over an ImageRender table: a variant is derived data that any instance redoes in tens of milliseconds,
// and its URL is immutable (a year of Cache-Control), so browsers and a CDN keep it and an instance renders each
// one about once. A table would need a migration and would read nearly as many bytes from PostgreSQL as the
// original it saves decoding.

export class RenderCache {
  private readonly entries = new Map<string, Uint8Array>();
  private readonly pending = new Map<string, Promise<Uint8Array | null>>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** The bytes kept for `key`, else what `render` makes of it. Concurrent misses share one render (a burst of
   * requests for a new image decodes it once); a null answer (no such image) is not kept. */
  async get(key: string, render: () => Promise<Uint8Array | null>): Promise<Uint8Array | null> {
    const kept = this.entries.get(key);
    if (kept) {
      // A Map iterates in insertion order: inserting again makes this the most recently used.
      this.entries.delete(key);
      this.entries.set(key, kept);
      return kept;
    }
    const running = this.pending.get(key);
    if (running) return running;
    const rendering = render()
      .then((bytes) => {
        if (bytes) this.keep(key, bytes);
        return bytes;
      })
      .finally(() => this.pending.delete(key));
    this.pending.set(key, rendering);
    return rendering;
  }

  /** Bytes held, for tests and diagnostics. */
  get heldBytes(): number {
    return this.bytes;
  }

  private keep(key: string, bytes: Uint8Array): void {
    if (bytes.byteLength > this.maxBytes) return;
    const previous = this.entries.get(key);
    if (previous) this.bytes -= previous.byteLength;
    this.entries.delete(key);
    this.entries.set(key, bytes);
    this.bytes += bytes.byteLength;
    for (const [oldest, held] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= held.byteLength;
    }
  }
}
