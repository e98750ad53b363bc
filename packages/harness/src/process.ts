// Child processes in their own process groups: stopping one signals the whole tree (next start's workers,
// Chromium, PostgreSQL under Vitest) and waits until every member is gone. Each running group is on the
// clean-up list, and is sent SIGTERM if this process exits without having stopped it.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, realpathSync } from "node:fs";
import path from "node:path";
import { alive, onCleanup } from "./teardown";

/** Where a child's stdout and stderr go: ours, nowhere, appended to a file, or line by line to a function. */
export type Output = "inherit" | "ignore" | { file: string } | ((line: string) => void);

export type SpawnOptions = { cwd: string; env?: NodeJS.ProcessEnv; output?: Output };

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

const live = new Set<ProcessGroup>();
let exitHookInstalled = false;

export class ProcessGroup {
  /** Resolves when the group's leader has exited. */
  readonly exited: Promise<Exit>;
  private leaderExit: Exit | null = null;

  constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    live.add(this);
    const forget = onCleanup(name, () => this.stop());
    this.exited = new Promise((resolve) => {
      const finish = (exit: Exit) => {
        this.leaderExit = exit;
        live.delete(this);
        forget();
        resolve(exit);
      };
      // "close" comes after "exit" once piped output has been read to its end.
      child.once("close", (code, signal) => finish({ code, signal }));
      // A command that cannot start (ENOENT) exits with 127, as a shell would say.
      child.once("error", () => {
        if (child.exitCode === null && child.pid === undefined) finish({ code: 127, signal: null });
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.leaderExit === null;
  }

  /** Sends `signal` to every process of the group. */
  signal(signal: NodeJS.Signals): void {
    if (this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // the group is gone
    }
  }

  /** SIGTERM to the group; SIGKILL to what is left after `graceMs`; resolves once every member is gone. */
  async stop(graceMs = 5_000): Promise<void> {
    this.signal("SIGTERM");
    const deadline = Date.now() + graceMs;
    while (this.groupAlive() && Date.now() < deadline) await sleep(50);
    await this.kill();
  }

  /** SIGKILL to the group (a crash, not a shutdown); resolves once every member is gone. */
  async kill(): Promise<void> {
    this.signal("SIGKILL");
    await this.exited;
    while (this.groupAlive()) await sleep(20);
  }

  private groupAlive(): boolean {
    return this.child.pid !== undefined && alive(-this.child.pid);
  }
}

/** Starts `command` as the leader of a new process group. */
export function spawnGroup(name: string, command: string, args: string[], options: SpawnOptions): ProcessGroup {
  const output = options.output ?? "inherit";
  const fd = typeof output === "object" ? openSync(output.file, "a") : undefined;
  const stdio: "inherit" | "ignore" | "pipe" | number = fd ?? (typeof output === "function" ? "pipe" : (output as "inherit" | "ignore"));
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["ignore", stdio, stdio],
    detached: true,
  });
  if (fd !== undefined) closeSync(fd);
  if (typeof output === "function") for (const stream of [child.stdout!, child.stderr!]) forwardLines(stream, output);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", () => {
      for (const group of live) group.signal("SIGTERM");
    });
  }
  return new ProcessGroup(name, child);
}

/** A package's executable from the repository's node_modules/.bin, run with this Node. */
export function spawnBin(root: string, bin: string, args: string[], options: Partial<SpawnOptions> & { name?: string } = {}): ProcessGroup {
  const script = realpathSync(path.join(root, "node_modules", ".bin", bin));
  return spawnGroup(options.name ?? `${bin} ${args[0] ?? ""}`.trim(), process.execPath, [script, ...args], {
    ...options,
    cwd: options.cwd ?? root,
  });
}

function forwardLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buffer = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    buffer += chunk;
    const lines = buffer.split("\n");
    buffer = lines.pop()!;
    for (const line of lines) onLine(line);
  });
  stream.on("end", () => {
    if (buffer) onLine(buffer);
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
