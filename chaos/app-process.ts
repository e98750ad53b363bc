// One `next start` of the chaos build, run as its own process group so SIGKILL takes the whole server down
// at once (a crash, not a shutdown) and it can be started again on the same port.
import { spawn, type ChildProcess } from "node:child_process";
import { openSync, closeSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../scripts/stack";
import { onCleanup } from "./cleanup";
import { sleep, type Log } from "./util";

const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");

export type AppOptions = { name: string; port: number; env: Record<string, string>; distDir: string; logFile: string; log: Log };

export class AppProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  kills = 0;
  starts = 0;

  constructor(private readonly options: AppOptions) {
    onCleanup(`app ${options.name}`, () => this.stop());
  }

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  get logFile(): string {
    return this.options.logFile;
  }

  get name(): string {
    return this.options.name;
  }

  get running(): boolean {
    return this.child !== null;
  }

  async start(): Promise<void> {
    if (this.child) throw new Error(`${this.options.name} is already running`);
    const fd = openSync(this.options.logFile, "a");
    const child = spawn(process.execPath, [NEXT_BIN, "start", "--port", String(this.options.port), "--hostname", "127.0.0.1"], {
      cwd: ROOT,
      detached: true,
      stdio: ["ignore", fd, fd],
      env: { ...process.env, ...this.options.env, NEXT_DIST_DIR: this.options.distDir, NODE_ENV: "production", PORT: String(this.options.port) },
    });
    closeSync(fd);
    this.child = child;
    this.starts += 1;
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    child.once("exit", () => {
      if (this.child === child) this.child = null;
    });
    await this.waitReady(90_000);
  }

  /** Answers once the server serves a route that needs no database. */
  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.child) throw new Error(`${this.options.name} exited during start-up; see ${this.options.logFile}`);
      try {
        const response = await fetch(`${this.url}/robots.txt`, { signal: AbortSignal.timeout(5_000) });
        await response.arrayBuffer();
        if (response.status < 500) return;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    throw new Error(`${this.options.name} did not answer within ${timeoutMs} ms; see ${this.options.logFile}`);
  }

  /** SIGKILL to the whole process group: in-flight requests and open transactions die with it. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    this.kills += 1;
    this.options.log(`SIGKILL ${this.options.name} (pid ${child.pid})`);
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
    await this.exited;
  }

  async restart(downMs: number): Promise<void> {
    await this.kill();
    await sleep(downMs);
    const started = Date.now();
    await this.start();
    this.options.log(`${this.options.name} back up after ${downMs} ms down + ${Date.now() - started} ms start`);
  }

  /** Graceful stop at the end; falls back to SIGKILL. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // gone
      }
    }, 5_000);
    await this.exited;
    clearTimeout(timer);
  }
}
