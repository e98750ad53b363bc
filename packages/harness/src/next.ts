// The shop as its tests and measurements run it: `next build` into a dist dir of its own, then `next start`.
import { existsSync } from "node:fs";
import { cp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { waitForHttp } from "./http";
import { spawnBin, type Output, type ProcessGroup } from "./process";
import { onCleanup } from "./teardown";

/** `next build` with a non-default distDir rewrites these for it; they are put back afterwards. */
const TOUCHED_BY_BUILD = ["tsconfig.json", "next-env.d.ts"];

/** What `next build` and `next start` of the build in `distDir` run with. */
const nextEnv = (env: Record<string, string>, distDir: string): NodeJS.ProcessEnv => ({
  ...process.env,
  ...env,
  NEXT_DIST_DIR: distDir,
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
});

export type BuildOptions = {
  /** The shop's directory (where next.config.mjs is). */
  root: string;
  /** Relative to `root`; anything but .next needs next.config to read NEXT_DIST_DIR. */
  distDir: string;
  env: Record<string, string>;
  output?: Output;
};

/** Runs `next build`; throws with the build's last lines when it fails. Returns how long it took in seconds. */
export async function buildShop({ root, distDir, env, output = "inherit" }: BuildOptions): Promise<number> {
  if (distDir !== ".next") await assertDistDirConfigurable(root);
  const saved = new Map<string, string>();
  for (const file of TOUCHED_BY_BUILD) {
    const full = path.join(root, file);
    if (existsSync(full)) saved.set(full, await readFile(full, "utf8"));
  }
  const restore = async () => {
    for (const [file, text] of saved) {
      if ((await readFile(file, "utf8").catch(() => null)) !== text) await writeFile(file, text);
    }
  };
  // On the clean-up list too: an interrupted command exits once its clean-up is done.
  const forgetRestore = onCleanup("tsconfig.json and next-env.d.ts", restore);
  const tail: string[] = [];
  const keepTail = (line: string) => {
    tail.push(line);
    if (tail.length > 60) tail.shift();
    if (typeof output === "function") output(line);
  };
  const started = performance.now();
  try {
    const build = spawnBin(root, "next", ["build"], {
      env: nextEnv(env, distDir),
      output: typeof output === "function" ? keepTail : output,
    });
    const { code, signal } = await build.exited;
    if (code !== 0) throw new Error(`next build failed (${signal ?? `exit code ${code}`})${tail.length ? `:\n${tail.join("\n")}` : ""}`);
  } finally {
    forgetRestore();
    await restore();
  }
  if (!existsSync(path.join(root, distDir, "BUILD_ID"))) throw new Error(`next build wrote no ${distDir}/BUILD_ID`);
  return (performance.now() - started) / 1000;
}

async function assertDistDirConfigurable(root: string): Promise<void> {
  const config = ["next.config.mjs", "next.config.js", "next.config.ts"].map((f) => path.join(root, f)).find(existsSync);
  if (!config || !(await readFile(config, "utf8")).includes("NEXT_DIST_DIR")) {
    throw new Error(
      'next.config does not read NEXT_DIST_DIR, so a build would overwrite .next: add `distDir: process.env.NEXT_DIST_DIR ?? ".next"`',
    );
  }
}

/** What a copy of a build leaves behind: the compiler's cache and the pages `next start` regenerated at run time. */
const NOT_DEPLOYED = ["cache/turbopack", "server/route-cache"];

/**
 * Copies the build in `distDir` to `to` (both relative to `root`, `to` replaced), as a deployment puts the same
 * build on every machine: `next start` keeps the pages it regenerates in its dist dir, so two instances started
 * on one dist dir would share them through the disk, which instances on separate machines cannot.
 */
export async function copyBuild({ root, distDir, to }: { root: string; distDir: string; to: string }): Promise<void> {
  const from = path.join(root, distDir);
  if (!existsSync(path.join(from, "BUILD_ID"))) throw new Error(`there is no build in ${distDir}`);
  const target = path.join(root, to);
  await rm(target, { recursive: true, force: true });
  await cp(from, target, {
    recursive: true,
    filter: (source) => !NOT_DEPLOYED.some((skip) => `${path.relative(from, source)}/`.startsWith(`${skip}/`)),
  });
}

export type StartOptions = {
  root: string;
  distDir: string;
  port: number;
  env: Record<string, string>;
  /** Bind to this address only (default: every address, as `next start` does). */
  hostname?: string;
  output?: Output;
  /** For messages and the clean-up list. */
  name?: string;
};

export type RunningShop = {
  url: string;
  process: ProcessGroup;
  /** SIGTERM, then SIGKILL after 5 s; resolves when every process of the server is gone. */
  stop: () => Promise<void>;
  /** SIGKILL: a crash, in-flight requests and open transactions die with it. */
  kill: () => Promise<void>;
};

/** Runs `next start` in its own process group and resolves once it serves /robots.txt (no database needed). */
export async function startShop(options: StartOptions): Promise<RunningShop> {
  const { root, distDir, port, env, hostname, output = "inherit", name = "next start" } = options;
  const args = ["start", "--port", String(port), ...(hostname ? ["--hostname", hostname] : [])];
  const server = spawnBin(root, "next", args, {
    name,
    env: { ...nextEnv(env, distDir), PORT: String(port) },
    output,
  });
  const url = `http://${hostname ?? "localhost"}:${port}`;
  const where = typeof output === "object" ? `; see ${output.file}` : "";
  const exited = new AbortController();
  void server.exited.then(({ code, signal }) =>
    exited.abort(new Error(`${name} exited (${signal ?? `exit code ${code}`}) before answering${where}`)),
  );
  try {
    await waitForHttp(`${url}/robots.txt`, { timeoutMs: 90_000, signal: exited.signal });
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url, process: server, stop: () => server.stop(), kill: () => server.kill() };
}
