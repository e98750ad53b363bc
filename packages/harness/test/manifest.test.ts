import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ActionManifest } from "../src/manifest";

// The shape of `.next/server/server-reference-manifest.json` (Next 16), trimmed to a few entries.
const worker = { moduleId: 97436, async: true };
const MANIFEST = {
  node: {
    "806da04644ab5852bee6b1e06c3bf94c7d3144e0ed": {
      workers: { "app/page": worker },
      filename: "lib/catalog.ts",
      exportedName: "$$RSC_SERVER_CACHE_1",
    },
    "40257aa707cc9a1b2c3d4e5f60718293a4b5c6d7e8": {
      workers: { "app/products/[slug]/page": worker },
      filename: "components/cart/actions.ts",
      exportedName: "addToCart",
    },
    "40678ee92555a1b2c3d4e5f60718293a4b5c6d7e8f": {
      workers: { "app/checkout/page": worker },
      filename: "components/checkout/actions.ts",
      exportedName: "startCheckoutAction",
    },
    "7fc98b50e28ba1b2c3d4e5f60718293a4b5c6d7e8f": {
      workers: { "app/admin/products/page": worker },
      filename: "components/admin/actions.ts",
      exportedName: "setStockAction",
    },
  },
  edge: {},
  encryptionKey: "process.env.NEXT_SERVER_ACTIONS_ENCRYPTION_KEY",
};

describe("ActionManifest", () => {
  it("finds an action by its exported name, wherever it is defined", () => {
    const manifest = new ActionManifest(MANIFEST, "test manifest");
    expect(manifest.id("addToCart")).toBe("40257aa707cc9a1b2c3d4e5f60718293a4b5c6d7e8");
    expect(manifest.id("setStockAction")).toBe("7fc98b50e28ba1b2c3d4e5f60718293a4b5c6d7e8f");
  });

  it("names the known actions when one is missing", () => {
    const manifest = new ActionManifest(MANIFEST, "test manifest");
    expect(() => manifest.id("removeFromCart")).toThrow(
      "no server action is exported as removeFromCart in test manifest (actions: addToCart, setStockAction, startCheckoutAction)",
    );
  });

  it("refuses a name two modules export", () => {
    const twice = {
      node: { ...MANIFEST.node, "60aa": { workers: {}, filename: "components/admin/stock-actions.ts", exportedName: "setStockAction" } },
    };
    expect(() => new ActionManifest(twice, "test manifest").id("setStockAction")).toThrow(
      "2 server actions are exported as setStockAction in test manifest (components/admin/actions.ts, components/admin/stock-actions.ts): rename one",
    );
  });

  it("reads a build's manifest, and says so when there is no build", async () => {
    const dist = await mkdtemp(path.join(os.tmpdir(), "harness-manifest-"));
    await expect(ActionManifest.read(dist)).rejects.toThrow(/cannot read the server actions of the build: .*is there a production build/);
    await mkdir(path.join(dist, "server"));
    await writeFile(path.join(dist, "server", "server-reference-manifest.json"), JSON.stringify(MANIFEST));
    expect((await ActionManifest.read(dist)).id("startCheckoutAction")).toBe("40678ee92555a1b2c3d4e5f60718293a4b5c6d7e8f");
  });
});
