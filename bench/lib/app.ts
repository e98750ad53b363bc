// The shop under test: a production build in its own dist dir and `next start` on the stack's port.
// Every child runs in its own process group, so stopping it (or Ctrl-C) takes its whole tree down.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { ROOT } from "../../scripts/stack";

const NEXT_BIN = createRequire(import.meta.url).resolve("next/dist/bin/next");

const children = new Set<ChildProcess>();

/** Sends SIGTERM to the process group of every child still running, then SIGKILL after `graceMs`. */
export async function killChildren(graceMs = 5_000): Promise<void> {
  const running = [...children].filter((child) => child.exitCode === null && child.signalCode === null);
  await Promise.all(
    running.map(
      (child) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            signalGroup(child, "SIGKILL");
            resolve();
          }, graceMs);
          child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          signalGroup(child, "SIGTERM");
        }),
    ),
  );
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function spawnNext(args: string[], env: Record<string, string>, onLine: (line: string) => void): ChildProcess {
  const child = spawn(process.execPath, [NEXT_BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  children.add(child);
  child.on("exit", () => children.delete(child));
  for (const stream of [child.stdout!, child.stderr!]) {
    let buffer = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      for (const line of lines) onLine(line);
    });
  }
  return child;
}

/** Files `next build` rewrites for its dist dir; put back afterwards so a bench build leaves no diff behind. */
const TOUCHED_BY_BUILD = ["tsconfig.json", "next-env.d.ts"];

/** Checks that next.config honours NEXT_DIST_DIR, so a bench build never overwrites a developer's .next. */
export async function assertDistDirConfigurable(distDir: string): Promise<void> {
  if (distDir === ".next") return;
  const config = ["next.config.mjs", "next.config.js", "next.config.ts"].map((f) => path.join(ROOT, f)).find(existsSync);
  const text = config ? await readFile(config, "utf8") : "";
  if (!text.includes("NEXT_DIST_DIR")) {
    throw new Error(
      `next.config does not read NEXT_DIST_DIR, so a build would overwrite .next. Add \`distDir: process.env.NEXT_DIST_DIR ?? ".next"\` ` +
        `to next.config.mjs, or pass --dist-dir .next to build into .next on purpose.`,
    );
  }
}

export type BuildInfo = { appPort: number; builtAt: string; buildSeconds: number | null };

export async function buildApp(env: Record<string, string>, distDir: string, appPort: number, log: (line: string) => void): Promise<BuildInfo> {
  const saved = new Map<string, string>();
  for (const file of TOUCHED_BY_BUILD) {
    const full = path.join(ROOT, file);
    if (existsSync(full)) saved.set(full, await readFile(full, "utf8"));
  }
  const started = performance.now();
  try {
    const tail: string[] = [];
    const child = spawnNext(["build"], { ...env, NEXT_DIST_DIR: distDir }, (line) => {
      tail.push(line);
      if (tail.length > 60) tail.shift();
      log(`[build] ${line}`);
    });
    const code = await new Promise<number>((resolve) => child.on("exit", (c, signal) => resolve(c ?? (signal ? 1 : 0))));
    if (code !== 0) throw new Error(`next build exited with ${code}:\n${tail.join("\n")}`);
  } finally {
    for (const [file, text] of saved) {
      if ((await readFile(file, "utf8").catch(() => null)) !== text) await writeFile(file, text);
    }
  }
  if (!existsSync(path.join(ROOT, distDir, "BUILD_ID"))) {
    throw new Error(`the build wrote no ${distDir}/BUILD_ID: does next.config use distDir: process.env.NEXT_DIST_DIR?`);
  }
  const info: BuildInfo = { appPort, builtAt: new Date().toISOString(), buildSeconds: (performance.now() - started) / 1000 };
  await writeFile(path.join(ROOT, distDir, "bench-build.json"), JSON.stringify(info, null, 2));
  return info;
}

/** The previous bench build in `distDir`, for --no-build. */
export async function existingBuild(distDir: string): Promise<BuildInfo> {
  if (!existsSync(path.join(ROOT, distDir, "BUILD_ID"))) throw new Error(`--no-build: there is no build in ${distDir} (run once without --no-build)`);
  const meta = await readFile(path.join(ROOT, distDir, "bench-build.json"), "utf8").catch(() => null);
  return meta ? { ...(JSON.parse(meta) as BuildInfo), buildSeconds: null } : { appPort: 0, builtAt: "unknown", buildSeconds: null };
}

export type RunningApp = { url: string; stop: () => Promise<void> };

export async function startApp(env: Record<string, string>, distDir: string, port: number, log: (line: string) => void): Promise<RunningApp> {
  const child = spawnNext(["start", "--port", String(port)], { ...env, NEXT_DIST_DIR: distDir }, (line) => log(`[next] ${line}`));
  const url = env.APP_URL!;
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) => reject(new Error(`next start exited with ${code} before answering`))),
  );
  exited.catch(() => undefined);
  await Promise.race([waitForHttp(`${url}/robots.txt`, 90_000), exited]);
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          signalGroup(child, "SIGKILL");
          resolve();
        }, 5_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        signalGroup(child, "SIGTERM");
      });
    },
  };
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}
