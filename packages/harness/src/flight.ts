// The return value of a Server Action, read from Next's response body: a React Flight (RSC) stream whose root
// row 0 is `{"a":"$@<row>",…}` and whose row <row> holds the value. When the action set a cookie or revalidated,
// the same response also carries the re-rendered page (more rows, text rows among them), which is skipped.
// Rows are split the way React's client splits them (react-server-dom-webpack, processBinaryChunk): `<hex id>:`,
// then either a length-prefixed row (`T<hex length>,` and the binary tags: that many bytes, no newline) or a row
// that ends at a newline (a JSON model row, or one tagged with an upper-case letter, `#`, `r` or `x`). Hint rows
// (`:HL[…]`, no id) resolve no row and are skipped; otherwise the first row with an id is the one kept.

/** The response is not a Server Action's answer, or the action failed on the server. */
export class ActionResponseError extends Error {}

type Row = { tag: string; data: Uint8Array };

const LENGTH_PREFIXED = new Set("TAOobUSsLlGgMmV");
const NEWLINE = 10;
const COLON = 58;
const COMMA = 44;

function hexDigit(byte: number): number {
  return byte > 96 ? byte - 87 : byte - 48;
}

function rowsOf(bytes: Uint8Array): Map<number, Row> {
  const rows = new Map<number, Row>();
  let i = 0;
  while (i < bytes.length) {
    if (bytes[i] === NEWLINE) {
      i++;
      continue;
    }
    let id = 0;
    while (i < bytes.length && bytes[i] !== COLON) id = (id << 4) | hexDigit(bytes[i++]!);
    if (i >= bytes.length) throw new ActionResponseError("a row without a colon at the end of the response");
    i++;
    const tagChar = String.fromCharCode(bytes[i] ?? 0);
    if (LENGTH_PREFIXED.has(tagChar)) {
      i++;
      let length = 0;
      while (i < bytes.length && bytes[i] !== COMMA) length = (length << 4) | hexDigit(bytes[i++]!);
      const start = i + 1;
      if (start + length > bytes.length) throw new ActionResponseError(`row ${id.toString(16)} is cut short`);
      if (!rows.has(id)) rows.set(id, { tag: tagChar, data: bytes.subarray(start, start + length) });
      i = start + length;
    } else {
      const tagged = (tagChar >= "A" && tagChar <= "Z") || tagChar === "#" || tagChar === "r" || tagChar === "x";
      if (tagged) i++;
      let end = bytes.indexOf(NEWLINE, i);
      if (end < 0) end = bytes.length;
      if (tagChar !== "H" && !rows.has(id)) rows.set(id, { tag: tagged ? tagChar : "", data: bytes.subarray(i, end) });
      i = end + 1;
    }
  }
  return rows;
}

const decoder = new TextDecoder();

/** Decodes the value a Server Action returned. Throws ActionResponseError when there is none, or it threw. */
export function actionResult(body: string | Uint8Array): unknown {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const excerpt = () => JSON.stringify(decoder.decode(bytes.subarray(0, 300)));
  let rows: Map<number, Row>;
  try {
    rows = rowsOf(bytes);
  } catch (error) {
    throw new ActionResponseError(`not a React Flight response (${error instanceof Error ? error.message : String(error)}): ${excerpt()}`);
  }
  const root = rows.get(0);
  let ref: unknown;
  try {
    ref = root?.tag === "" ? (JSON.parse(decoder.decode(root.data)) as { a?: unknown }).a : undefined;
  } catch {
    ref = undefined;
  }
  if (typeof ref !== "string" || !ref.startsWith("$@")) throw new ActionResponseError(`no action result in the response: ${excerpt()}`);
  return new Reviver(rows, excerpt).row(Number.parseInt(ref.slice(2), 16));
}

/** Turns the rows a value spans into the value, as React's client does for the plain data an action returns. */
class Reviver {
  private readonly done = new Map<number, unknown>();
  private readonly busy = new Set<number>();

  constructor(
    private readonly rows: Map<number, Row>,
    private readonly excerpt: () => string,
  ) {}

  row(id: number): unknown {
    if (this.done.has(id)) return this.done.get(id);
    const row = this.rows.get(id);
    if (!row) throw new ActionResponseError(`the response has no row ${id.toString(16)}: ${this.excerpt()}`);
    if (this.busy.has(id)) throw new ActionResponseError(`row ${id.toString(16)} refers to itself`);
    this.busy.add(id);
    const text = decoder.decode(row.data);
    let value: unknown;
    if (row.tag === "T") value = text;
    else if (row.tag === "E") {
      const error = JSON.parse(text) as { message?: string; digest?: string };
      throw new ActionResponseError(
        `the action failed on the server: ${error.message ?? "no message"}${error.digest ? ` (digest ${error.digest})` : ""}`,
      );
    } else if (row.tag === "") value = this.value(JSON.parse(text));
    else throw new ActionResponseError(`row ${id.toString(16)} is a "${row.tag}" row, not data`);
    this.busy.delete(id);
    this.done.set(id, value);
    return value;
  }

  private value(value: unknown): unknown {
    if (typeof value === "string") return value.startsWith("$") ? this.special(value) : value;
    if (Array.isArray(value)) return value.map((item) => this.value(item));
    if (value && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        const revived = this.value(item);
        if (revived !== undefined) out[key] = revived;
      }
      return out;
    }
    return value;
  }

  /** The `$…` strings of React's parseModelString that plain data can contain. */
  private special(value: string): unknown {
    const rest = value.slice(2);
    switch (value[1]) {
      case "$":
        return value.slice(1);
      case "@":
      case "L":
        return this.row(Number.parseInt(rest, 16));
      case "u":
        return undefined;
      case "D":
        return new Date(Date.parse(rest));
      case "n":
        return BigInt(rest);
      case "I":
        return Infinity;
      case "-":
        return value === "$-0" ? -0 : -Infinity;
      case "N":
        return NaN;
    }
    // "$<hex id>" or "$<hex id>:<key>:<key>…": a value written once and referred to again.
    const outlined = /^\$([0-9a-f]+)((?::[^:]*)*)$/.exec(value);
    if (!outlined)
      throw new ActionResponseError(`the action's value holds ${JSON.stringify(value.slice(0, 12))}, which this client cannot decode`);
    let target = this.row(Number.parseInt(outlined[1]!, 16));
    for (const key of outlined[2] ? outlined[2].slice(1).split(":") : []) target = (target as Record<string, unknown>)[key];
    return target;
  }
}
