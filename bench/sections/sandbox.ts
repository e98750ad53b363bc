// 6. The Stripe sandbox on its own: bench/sandbox-throughput.ts is a top-level script (it starts a sandbox when
// imported), so it runs as a child process and its table is read back from its output.
import { spawnGroup } from "@tidewater/harness";
import { ROOT } from "../../scripts/stack";
import type { BenchContext } from "../lib/context";
import { check, section, type SectionResult } from "../lib/report";

const ROW = /^(.+?)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)$/;
const RATIO = /^ratio payment\/baseline at concurrency (\d+): ([\d.]+)$/;

export async function sandboxThroughput(ctx: BenchContext): Promise<SectionResult> {
  const result = section("sandbox", "6. Stripe sandbox alone (bench/sandbox-throughput.ts)", [
    { key: "operation", label: "operation" },
    { key: "concurrency", label: "conc" },
    { key: "perSecond", label: "ops/s" },
    { key: "p50", label: "p50 ms", digits: 2 },
    { key: "p99", label: "p99 ms", digits: 2 },
    { key: "ratio", label: "ops/s ÷ health", digits: 3 },
  ]);
  const args = ["--expose-gc", "--import", "tsx", "bench/sandbox-throughput.ts", ...(ctx.short ? ["--short"] : [])];
  const lines: string[] = [];
  const child = spawnGroup("bench/sandbox-throughput.ts", process.execPath, args, {
    cwd: ROOT,
    output: (line) => {
      lines.push(line);
      ctx.log(`[sandbox-throughput] ${line}`);
    },
  });
  const { code } = await child.exited;
  const output = lines.join("\n");
  if (code !== 0) throw new Error(`bench/sandbox-throughput.ts exited with ${code}:\n${output.slice(-1000)}`);
  const ratios = new Map<number, number>();
  for (const line of output.split("\n")) {
    const ratio = RATIO.exec(line.trim());
    if (ratio) ratios.set(Number(ratio[1]), Number(ratio[2]));
  }
  for (const line of output.split("\n")) {
    const row = ROW.exec(line.trim());
    if (!row) continue;
    const concurrency = Number(row[2]);
    const baseline = row[1]!.startsWith("GET");
    result.rows.push({
      operation: row[1]!.trim(),
      concurrency,
      perSecond: Number(row[3]),
      p50: Number(row[4]),
      p99: Number(row[5]),
      ratio: baseline ? null : (ratios.get(concurrency) ?? null),
    });
  }
  const memory = output.split("\n").find((l) => l.startsWith("memory per 100k"));
  if (memory) result.notes.push(memory.trim());
  result.notes.push(
    `Run as \`node --expose-gc --import tsx bench/sandbox-throughput.ts${ctx.short ? " --short" : ""}\` (its own in-process sandbox, stripe SDK over loopback).`,
  );
  check(result, "sandbox-throughput printed its table", result.rows.length >= 4, `${result.rows.length} rows parsed`);
  return result;
}
