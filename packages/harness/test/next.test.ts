import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { copyBuild } from "../src/next";

async function write(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}

describe("copyBuild", () => {
  it("copies a build as deployed: without the compiler's cache or the pages regenerated at run time", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "harness-copy-build-"));
    const build = (file: string) => path.join(root, ".next-x", file);
    for (const file of [
      "BUILD_ID",
      "server/app/index.html",
      "cache/fetch-cache/1",
      "cache/turbopack/x",
      "server/route-cache/APP_PAGE/k/$/index.html",
    ])
      await write(build(file), file);
    await write(path.join(root, ".next-y", "stale"), "from an earlier copy");

    await copyBuild({ root, distDir: ".next-x", to: ".next-y" });

    const copy = (file: string) => path.join(root, ".next-y", file);
    expect(await readFile(copy("BUILD_ID"), "utf8")).toBe("BUILD_ID");
    expect(existsSync(copy("server/app/index.html"))).toBe(true);
    expect(existsSync(copy("cache/fetch-cache/1"))).toBe(true);
    expect(existsSync(copy("cache/turbopack"))).toBe(false);
    expect(existsSync(copy("server/route-cache"))).toBe(false);
    expect(existsSync(copy("stale"))).toBe(false);
  });

  it("refuses a directory that holds no build", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "harness-copy-build-"));
    await expect(copyBuild({ root, distDir: ".next-none", to: ".next-y" })).rejects.toThrow(/no build/);
  });
});
