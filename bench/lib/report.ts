// Results: one table per section, printed as aligned text and written as JSON and Markdown.

export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;
export type Column = { key: string; label: string; digits?: number };
/** A correctness check: a false `ok` fails the run (timings are never checked). */
export type Check = { name: string; ok: boolean; detail: string };

export type SectionResult = {
  id: string;
  title: string;
  columns: Column[];
  rows: Row[];
  checks: Check[];
  notes: string[];
  /** Set when the section could not finish; the run then exits non-zero. */
  error?: string;
  seconds?: number;
};

export function section(id: string, title: string, columns: Column[]): SectionResult {
  return { id, title, columns, rows: [], checks: [], notes: [] };
}

/** Records a check and returns whether it passed. */
export function check(result: SectionResult, name: string, ok: boolean, detail: string): boolean {
  result.checks.push({ name, ok, detail });
  return ok;
}

export function failed(result: SectionResult): boolean {
  return result.error !== undefined || result.checks.some((c) => !c.ok);
}

function format(value: Cell | undefined, digits = 0): string {
  if (value === null || value === undefined) return "–";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return "–";
    return digits === 0 ? Math.round(value).toLocaleString("en-US") : value.toFixed(digits);
  }
  return value;
}

function cells(result: SectionResult): string[][] {
  return result.rows.map((row) => result.columns.map((c) => format(row[c.key], c.digits)));
}

const isNumeric = (column: Column, result: SectionResult) => result.rows.some((r) => typeof r[column.key] === "number");

export function textTable(result: SectionResult): string {
  const header = result.columns.map((c) => c.label);
  const body = cells(result);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const numeric = result.columns.map((c) => isNumeric(c, result));
  const line = (r: string[]) =>
    r
      .map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

export function markdownTable(result: SectionResult): string {
  const numeric = result.columns.map((c) => isNumeric(c, result));
  const escape = (v: string) => v.replaceAll("|", "\\|");
  return [
    `| ${result.columns.map((c) => escape(c.label)).join(" | ")} |`,
    `| ${numeric.map((n) => (n ? "---:" : "---")).join(" | ")} |`,
    ...cells(result).map((r) => `| ${r.map(escape).join(" | ")} |`),
  ].join("\n");
}

function checkLines(result: SectionResult): string[] {
  return result.checks.map((c) => `${c.ok ? "ok  " : "FAIL"} ${c.name}: ${c.detail}`);
}

export function renderText(result: SectionResult): string {
  const status = result.error ? "ERROR" : failed(result) ? "FAILED" : "ok";
  const parts = [`== ${result.title} [${status}${result.seconds ? `, ${result.seconds.toFixed(0)} s` : ""}]`];
  if (result.rows.length) parts.push(textTable(result));
  parts.push(...result.notes.map((n) => `note: ${n}`));
  parts.push(...checkLines(result));
  if (result.error) parts.push(`error: ${result.error}`);
  return parts.join("\n");
}

export function renderMarkdown(result: SectionResult): string {
  const status = result.error ? " (error)" : failed(result) ? " (failed checks)" : "";
  const parts = [`### ${result.title}${status}`, ""];
  if (result.rows.length) parts.push(markdownTable(result), "");
  for (const note of result.notes) parts.push(`- ${note}`);
  for (const c of result.checks.filter((c) => !c.ok)) parts.push(`- ✘ FAILED ${c.name}: ${c.detail}`);
  if (result.error) parts.push(`- error: ${result.error.split("\n")[0]}`);
  const passed = result.checks.filter((c) => c.ok);
  // Passing checks fold away, so the tables stay readable when pasted into a README.
  if (passed.length) {
    parts.push("", `<details><summary>${passed.length} correctness check${passed.length === 1 ? "" : "s"} passed</summary>`, "");
    for (const c of passed) parts.push(`- ✔ ${c.name}: ${c.detail}`);
    parts.push("", "</details>");
  }
  return parts.join("\n").trimEnd();
}
