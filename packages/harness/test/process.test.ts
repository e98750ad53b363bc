import { describe, expect, it } from "vitest";
import { spawnGroup } from "../src/process";
import { cleanupAll, onCleanup } from "../src/teardown";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A shell that starts a grandchild in the background and prints its pid. */
function shellWithGrandchild(script: string) {
  const lines: string[] = [];
  const group = spawnGroup("test shell", "sh", ["-c", script], { cwd: process.cwd(), output: (line) => lines.push(line) });
  const grandchild = async () => {
    while (!lines.length) await new Promise((r) => setTimeout(r, 20));
    return Number(lines[0]);
  };
  return { group, grandchild };
}

describe("ProcessGroup", () => {
  it("stop() ends the whole group, grandchildren included, and waits for them", async () => {
    const { group, grandchild } = shellWithGrandchild("sleep 60 & echo $!; wait");
    const pid = await grandchild();
    expect(alive(pid)).toBe(true);
    await group.stop();
    expect(group.running).toBe(false);
    expect(alive(pid)).toBe(false);
  });

  it("stop() SIGKILLs what ignores SIGTERM once the grace period is over", async () => {
    const { group, grandchild } = shellWithGrandchild("trap '' TERM; sleep 60 & echo $!; while true; do sleep 0.1; done");
    const pid = await grandchild();
    const started = Date.now();
    await group.stop(500);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(alive(pid)).toBe(false);
    expect((await group.exited).signal).toBe("SIGKILL");
  });

  it("passes output line by line, the last line included, before it reports the exit", async () => {
    const lines: string[] = [];
    const group = spawnGroup("printf", "sh", ["-c", "printf 'one\\ntwo\\nthree'; exit 3"], {
      cwd: process.cwd(),
      output: (line) => lines.push(line),
    });
    expect(await group.exited).toEqual({ code: 3, signal: null });
    expect(lines).toEqual(["one", "two", "three"]);
  });

  it("is on the clean-up list while it runs", async () => {
    const order: string[] = [];
    onCleanup("first", () => void order.push("first"));
    const { group, grandchild } = shellWithGrandchild("sleep 60 & echo $!; wait");
    const pid = await grandchild();
    onCleanup("last", () => void order.push("last"));
    await cleanupAll();
    expect(order).toEqual(["last", "first"]);
    expect(group.running).toBe(false);
    expect(alive(pid)).toBe(false);
  });
});
