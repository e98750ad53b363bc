// The bench's build of the shop, with a note of when and for which port it was built (for --no-build).
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { buildShop } from "@tidewater/harness";
import { ROOT } from "../../scripts/stack";

export type BuildInfo = { appPort: number; builtAt: string; buildSeconds: number | null };

export async function buildApp(
  env: Record<string, string>,
  distDir: string,
  appPort: number,
  log: (line: string) => void,
): Promise<BuildInfo> {
  const buildSeconds = await buildShop({ root: ROOT, distDir, env, output: (line) => log(`[build] ${line}`) });
  const info: BuildInfo = { appPort, builtAt: new Date().toISOString(), buildSeconds };
  await writeFile(path.join(ROOT, distDir, "bench-build.json"), JSON.stringify(info, null, 2));
  return info;
}

/** The previous bench build in `distDir`, for --no-build. */
export async function existingBuild(distDir: string): Promise<BuildInfo> {
  if (!existsSync(path.join(ROOT, distDir, "BUILD_ID")))
    throw new Error(`--no-build: there is no build in ${distDir} (run once without --no-build)`);
  const meta = await readFile(path.join(ROOT, distDir, "bench-build.json"), "utf8").catch(() => null);
  return meta ? { ...(JSON.parse(meta) as BuildInfo), buildSeconds: null } : { appPort: 0, builtAt: "unknown", buildSeconds: null };
}
