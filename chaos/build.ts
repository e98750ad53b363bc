// The production build the chaos run drives, in its own dist dir so it never touches anyone's `.next`.
// Rebuilt when missing, when --rebuild is passed, or when a source file is newer than the build.
import { existsSync, statSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { buildShop } from "@tidewater/harness";
import { ROOT } from "../scripts/stack";
import type { Log } from "./util";

export const DIST_DIR = process.env.NEXT_DIST_DIR ?? ".next-chaos";
const SOURCES = ["app", "components", "lib", "cache", "instrumentation.ts", "security-headers.mjs", "next.config.mjs", "package-lock.json"];

async function newestSource(entry: string): Promise<number> {
  const full = path.join(ROOT, entry);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of await readdir(full, { withFileTypes: true })) {
    if (child.name === "generated" || child.name.startsWith(".")) continue;
    newest = Math.max(newest, await newestSource(path.join(entry, child.name)));
  }
  return newest;
}

async function buildIsCurrent(): Promise<boolean> {
  const buildId = path.join(ROOT, DIST_DIR, "BUILD_ID");
  if (!existsSync(buildId)) return false;
  const built = statSync(buildId).mtimeMs;
  for (const entry of SOURCES) if ((await newestSource(entry)) > built) return false;
  return true;
}

export async function ensureBuild(env: Record<string, string>, rebuild: boolean, log: Log): Promise<void> {
  if (!rebuild && (await buildIsCurrent())) {
    log(`reusing the build in ${DIST_DIR} (sources unchanged; --rebuild forces one)`);
    return;
  }
  log(`next build into ${DIST_DIR} (prerendering needs the database: the chaos stack's)`);
  const seconds = await buildShop({ root: ROOT, distDir: DIST_DIR, env });
  log(`build done in ${seconds.toFixed(0)} s`);
}
