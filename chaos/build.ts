// The production build the chaos run drives, in its own dist dir so it never touches anyone's `.next`.
// Rebuilt when missing, when --rebuild is passed, or when a source file is newer than the build.
import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { ROOT } from "../scripts/stack";
import { onCleanup } from "./cleanup";
import type { Log } from "./util";

export const DIST_DIR = process.env.NEXT_DIST_DIR ?? ".next-chaos";
const SOURCES = ["app", "components", "lib", "next.config.mjs", "package-lock.json"];

export type ActionIds = { addToCart: string; startCheckoutAction: string };

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

/** next.config.mjs must honour NEXT_DIST_DIR, or `next build` would overwrite the shared `.next`. */
async function assertConfigHonoursDistDir(): Promise<void> {
  const config = await readFile(path.join(ROOT, "next.config.mjs"), "utf8");
  if (!config.includes("NEXT_DIST_DIR")) {
    throw new Error('next.config.mjs does not read NEXT_DIST_DIR; add `distDir: process.env.NEXT_DIST_DIR ?? ".next"` so the chaos build has its own directory');
  }
}

export async function ensureBuild(env: Record<string, string>, rebuild: boolean, log: Log): Promise<void> {
  await assertConfigHonoursDistDir();
  if (!rebuild && (await buildIsCurrent())) {
    log(`reusing the build in ${DIST_DIR} (sources unchanged; --rebuild forces one)`);
    return;
  }
  log(`next build into ${DIST_DIR} (prerendering needs the database: the chaos stack's)`);
  const started = Date.now();
  const restore = await keepFilesAsTheyAre(log);
  const forgetRestore = onCleanup("tsconfig.json and next-env.d.ts", restore);
  const code = await new Promise<number>((resolve, reject) => {
    // Its own process group, so an interrupted run can stop the build and its workers together.
    const child = spawn(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], {
      cwd: ROOT,
      detached: true,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, ...env, NEXT_DIST_DIR: DIST_DIR, NEXT_TELEMETRY_DISABLED: "1" },
    });
    const forgetChild = onCleanup("next build", () => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    });
    child.on("error", reject);
    child.on("exit", (exitCode, signal) => {
      forgetChild();
      resolve(exitCode ?? (signal ? 1 : 0));
    });
  }).finally(async () => {
    forgetRestore();
    await restore();
  });
  if (code !== 0) throw new Error(`next build failed with exit code ${code}`);
  log(`build done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

// `next build` with a non-default distDir adds `<distDir>/types/**` to tsconfig.json's include and points
// next-env.d.ts at it; those edits belong to nobody's change, so the files are put back as they were.
const TOUCHED_BY_BUILD = ["tsconfig.json", "next-env.d.ts"];

async function keepFilesAsTheyAre(log: Log): Promise<() => Promise<void>> {
  const before = new Map<string, string>();
  for (const file of TOUCHED_BY_BUILD) {
    const full = path.join(ROOT, file);
    if (existsSync(full)) before.set(file, await readFile(full, "utf8"));
  }
  return async () => {
    for (const [file, text] of before) {
      const full = path.join(ROOT, file);
      if ((await readFile(full, "utf8").catch(() => null)) !== text) {
        await writeFile(full, text);
        log(`restored ${file} (next build rewrites it for a custom distDir)`);
      }
    }
  };
}

/** Server Action ids, as the browser's bundle knows them, from the build's manifest. */
export async function readActionIds(): Promise<ActionIds> {
  const file = path.join(ROOT, DIST_DIR, "server/server-reference-manifest.json");
  const manifest = JSON.parse(await readFile(file, "utf8")) as { node: Record<string, { filename?: string; exportedName?: string }> };
  const find = (filename: string, exportedName: string) => {
    const entry = Object.entries(manifest.node).find(([, v]) => v.filename === filename && v.exportedName === exportedName);
    if (!entry) throw new Error(`${exportedName} (${filename}) is not in ${file}`);
    return entry[0];
  };
  return { addToCart: find("app/cart/actions.ts", "addToCart"), startCheckoutAction: find("app/checkout/actions.ts", "startCheckoutAction") };
}
