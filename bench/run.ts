// `tsx bench/run.ts [--short] [--no-build] [--dist-dir DIR] [--only catalog,shopping,…]`: the shop's benchmark.
// This file only starts bench/main.ts in a child process and waits for it. tsx's CLI SIGKILLs its script when
// the script does not acknowledge Ctrl-C within 30 ms, which a busy load generator or Lighthouse's trace
// processing cannot promise; that would orphan `next start`, Chromium and PostgreSQL. This launcher is
// always idle, so it acknowledges at once, and the child has all the time it needs to clean up.
import { spawn } from "node:child_process";
import path from "node:path";

const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "main.ts"), ...process.argv.slice(2)], {
  stdio: "inherit",
});
// The child shares the terminal's process group, so Ctrl-C reaches it directly; a signal sent to this
// process alone is passed on. The child ignores the repeat.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 128 + 2 : 1)));
