// Stripe's search query language (pure: no I/O). https://docs.stripe.com/search#search-query-language
// Clauses `field:value`, `field~"sub"`, `field>n`…, `-` negates, joined by AND (or space) or by OR, never both.

export type Op = ":" | "~" | ">" | "<" | ">=" | "<=";
export type FieldKind = "string" | "number" | "metadata";

export interface Clause {
  field: string;
  /** The key in `metadata['key']`. */
  key?: string;
  op: Op;
  /** null for `field:null` (the field is absent). */
  value: string | number | null;
  negated: boolean;
}

export interface Query {
  join: "AND" | "OR";
  clauses: Clause[];
}

export class SearchQueryError extends Error {}

const OPS: Op[] = [">=", "<=", ":", "~", ">", "<"];

class Reader {
  pos = 0;
  constructor(readonly text: string) {}
  get done() {
    return this.pos >= this.text.length;
  }
  peek(n = 1) {
    return this.text.slice(this.pos, this.pos + n);
  }
  skipSpace() {
    while (!this.done && /\s/.test(this.text[this.pos]!)) this.pos++;
  }
  fail(what: string): never {
    throw new SearchQueryError(`${what} at position ${this.pos} of query: ${this.text}`);
  }
}

/** A ' or " quoted string; a backslash takes the next character literally. */
function readQuoted(r: Reader): string {
  const quote = r.peek();
  r.pos++;
  let out = "";
  while (!r.done) {
    const ch = r.text[r.pos++]!;
    if (ch === "\\") {
      if (r.done) break;
      out += r.text[r.pos++];
    } else if (ch === quote) return out;
    else out += ch;
  }
  return r.fail("Unterminated string");
}

function readClause(r: Reader, fields: Record<string, FieldKind>): Clause {
  const negated = r.peek() === "-";
  if (negated) r.pos++;
  const field = /^[a-z_]+/.exec(r.text.slice(r.pos))?.[0];
  if (!field) r.fail("Expected a field name");
  r.pos += field.length;
  const kind = fields[field];
  if (!kind)
    throw new SearchQueryError(`Field \`${field}\` is an unsupported search field. Supported fields: ${Object.keys(fields).join(", ")}.`);
  let key: string | undefined;
  if (kind === "metadata") {
    if (r.peek() !== "[") r.fail("Expected ['key'] after metadata");
    r.pos++;
    if (r.peek() !== "'" && r.peek() !== '"') r.fail("Expected a quoted metadata key");
    key = readQuoted(r);
    if (r.peek() !== "]") r.fail("Expected ]");
    r.pos++;
  }
  const op = OPS.find((o) => r.peek(o.length) === o);
  if (!op) r.fail("Expected one of : ~ > < >= <=");
  r.pos += op.length;
  let value: string | number | null;
  if (r.peek() === "'" || r.peek() === '"') value = readQuoted(r);
  else {
    const bare = /^[^\s]+/.exec(r.text.slice(r.pos))?.[0] ?? "";
    if (!bare) r.fail("Expected a value");
    r.pos += bare.length;
    if (bare === "null") value = null;
    else if (/^-?\d+(\.\d+)?$/.test(bare)) value = Number(bare);
    else r.fail(`String values must be quoted (got ${bare})`);
  }
  if (!r.done && !/\s/.test(r.peek())) r.fail("Expected a space after the value");

  const numeric = kind === "number";
  if (value === null && op !== ":") r.fail("null can only be used with :");
  if ([">", "<", ">=", "<="].includes(op) && (!numeric || typeof value !== "number")) {
    throw new SearchQueryError(
      `The ${op} operator can only be used with a number on a numeric field (${field} is not one, or the value is not a number).`,
    );
  }
  if (op === "~") {
    if (numeric) throw new SearchQueryError(`The ~ operator cannot be used on the numeric field ${field}.`);
    if (typeof value !== "string" || value.length < 3)
      throw new SearchQueryError("The ~ operator needs a quoted value of at least 3 characters.");
  }
  if (numeric && op === ":" && value !== null && typeof value !== "number") {
    if (!/^-?\d+$/.test(value)) throw new SearchQueryError(`${field} must be compared with a number.`);
    value = Number(value);
  }
  return { field, key, op, value, negated };
}

export function parseQuery(text: string, fields: Record<string, FieldKind>): Query {
  const r = new Reader(text);
  if (/[()]/.test(text.replace(/(["'])(?:\\.|(?!\1).)*\1/g, "")))
    throw new SearchQueryError("Parentheses are not supported in search queries.");
  const clauses: Clause[] = [];
  let join: Query["join"] | null = null;
  r.skipSpace();
  if (r.done) throw new SearchQueryError("The query is empty.");
  for (;;) {
    clauses.push(readClause(r, fields));
    r.skipSpace();
    if (r.done) break;
    const word = /^(AND|OR)(?=\s)/.exec(r.text.slice(r.pos))?.[1] as "AND" | "OR" | undefined;
    const thisJoin = word ?? "AND"; // a bare space means AND
    if (word) {
      r.pos += word.length;
      r.skipSpace();
    }
    if (join && join !== thisJoin) throw new SearchQueryError("A query cannot combine AND and OR.");
    join = thisJoin;
  }
  return { join: join ?? "AND", clauses };
}

export type FieldReader = (field: string, key?: string) => string | number | null | undefined;

function test(c: Clause, read: FieldReader): boolean {
  const actual = read(c.field, c.key);
  if (c.value === null) return actual === null || actual === undefined;
  if (actual === null || actual === undefined) return false;
  switch (c.op) {
    case ":":
      return typeof c.value === "number" ? Number(actual) === c.value : String(actual).toLowerCase() === c.value.toLowerCase();
    case "~":
      return String(actual).toLowerCase().includes(String(c.value).toLowerCase());
    case ">":
      return Number(actual) > Number(c.value);
    case "<":
      return Number(actual) < Number(c.value);
    case ">=":
      return Number(actual) >= Number(c.value);
    case "<=":
      return Number(actual) <= Number(c.value);
  }
}

export function matches(q: Query, read: FieldReader): boolean {
  const results = q.clauses.map((c) => test(c, read) !== c.negated);
  return q.join === "AND" ? results.every(Boolean) : results.some(Boolean);
}
