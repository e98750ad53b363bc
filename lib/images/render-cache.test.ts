import { describe, expect, it } from "vitest";
import { RenderCache } from "./render-cache";

const bytes = (n: number) => new Uint8Array(n);

describe("the in-process cache of rendered images", () => {
  it("renders a variant once and answers later requests from memory", async () => {
    const cache = new RenderCache(100);
    let renders = 0;
    const render = async () => {
      renders += 1;
      return bytes(10);
    };
    const first = await cache.get("a/200", render);
    expect(await cache.get("a/200", render)).toBe(first);
    expect(renders).toBe(1);
  });

  it("lets concurrent requests for a new variant share one render", async () => {
    const cache = new RenderCache(100);
    let renders = 0;
    let finish!: (value: Uint8Array) => void;
    const render = () => {
      renders += 1;
      return new Promise<Uint8Array>((resolve) => (finish = resolve));
    };
    const waiting = [cache.get("a/400", render), cache.get("a/400", render), cache.get("a/400", render)];
    finish(bytes(5));
    const answers = await Promise.all(waiting);
    expect(renders).toBe(1);
    expect(new Set(answers).size).toBe(1);
  });

  it("drops the least recently used variants to stay within its byte budget", async () => {
    const cache = new RenderCache(30);
    const render = (n: number) => async () => bytes(n);
    await cache.get("a", render(10));
    await cache.get("b", render(10));
    await cache.get("a", render(10)); // a is now more recent than b
    await cache.get("c", render(15)); // over budget: b goes
    expect(cache.heldBytes).toBe(25);
    let rendered = false;
    await cache.get("a", async () => ((rendered = true), bytes(10)));
    expect(rendered).toBe(false);
    await cache.get("b", async () => ((rendered = true), bytes(10)));
    expect(rendered).toBe(true);
    expect(cache.heldBytes).toBeLessThanOrEqual(30);
  });

  it("keeps nothing for an unknown image or a render larger than the whole budget, and forgets a failed render", async () => {
    const cache = new RenderCache(10);
    expect(await cache.get("missing", async () => null)).toBeNull();
    await cache.get("huge", async () => bytes(11));
    expect(cache.heldBytes).toBe(0);
    await expect(cache.get("broken", async () => Promise.reject(new Error("decode failed")))).rejects.toThrow("decode failed");
    expect(await cache.get("broken", async () => bytes(3))).toHaveLength(3);
  });
});
