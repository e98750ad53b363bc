// One clean-up list per command: everything a command starts registers how to stop it, and the list runs once,
// newest first, at the end, on an error, on SIGINT/SIGTERM/SIGHUP, or when the command's launcher goes away.
import { readFileSync } from "node:fs";

type Teardown = { name: string; fn: () => Promise<void> | void };
const teardowns: Teardown[] = [];
let running: Promise<void> | null = null;

/** Registers a teardown; the returned function forgets it (the thing was stopped by other means). */
export function onCleanup(name: string, fn: () => Promise<void> | void): () => void {
  const entry = { name, fn };
  teardowns.push(entry);
  return () => {
    const index = teardowns.indexOf(entry);
    if (index >= 0) teardowns.splice(index, 1);
  };
}

/** True once clean-up began: errors from work torn down under it are expected. */
export function stopping(): boolean {
  return running !== null;
}

/** Runs every teardown once, newest first; each gets at most 20 s. */
export function cleanupAll(): Promise<void> {
  running ??= (async () => {
    while (teardowns.length) {
      const { name, fn } = teardowns.pop()!;
      try {
        await Promise.race([fn(), new Promise((resolve) => setTimeout(resolve, 20_000).unref())]);
      } catch (error) {
        console.error(`clean-up of ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  })();
  return running;
}

const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;

/**
 * On SIGINT, SIGTERM or SIGHUP (repeats ignored: Ctrl-C can arrive both from the terminal and relayed by a
 * parent), or when a launcher goes away, runs the clean-up and exits with 128 + the signal's number.
 */
export function stopOnSignals(label: string): void {
  let stopped = false;
  const stop = (reason: string, code: number) => {
    if (stopped) return;
    stopped = true;
    console.error(`\n[${label}] ${reason}: stopping everything it started…`);
    void cleanupAll().finally(() => process.exit(code));
  };
  for (const [signal, number] of Object.entries(SIGNALS)) process.on(signal, () => stop(signal, 128 + number));
  const launchers = launcherPids();
  if (launchers.length) {
    setInterval(() => {
      if (launchers.some((pid) => !alive(pid))) stop("its launcher exited", 128 + SIGNALS.SIGHUP);
    }, 1_000).unref();
  }
}

/**
 * The ancestors in this process's group (Linux): `npm run` and its `sh`, tsx's CLI. `kill -TERM <npm>` makes
 * npm signal only its `sh`, which dies and leaves us running with no signal, so their exit is watched.
 */
function launcherPids(): number[] {
  const own = procStat(process.pid);
  const pids: number[] = [];
  for (let pid = own?.ppid ?? 0; pid > 1;) {
    const stat = procStat(pid);
    if (!stat || stat.pgrp !== own!.pgrp) break;
    pids.push(pid);
    pid = stat.ppid;
  }
  return pids;
}

function procStat(pid: number): { ppid: number; pgrp: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(fields[1]), pgrp: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

/** Whether `pid` (or, negative, a process group) still exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
