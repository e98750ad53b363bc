// Decoder for Stripe's wire format: application/x-www-form-urlencoded with bracket notation
// (`a[b][c]=`, `x[0]=` as stripe-node sends arrays, `x[]=` as curl users write them).
import { invalidRequest } from "./errors.js";

export type FormValue = string | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

/** Marks arrays built from `x[]=` pushes so they are not mistaken for explicit-index objects. */
const PUSHED = Symbol("pushed");
type Building = FormObject & { [PUSHED]?: FormValue[] };

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    throw invalidRequest(`Invalid URL encoding in request: ${text}`);
  }
}

/** `a[b][]` → ["a", "b", ""]; text outside brackets after the first bracket is ignored like Rack does. */
function splitKey(key: string): string[] {
  const open = key.indexOf("[");
  if (open <= 0) return [key];
  const parts = [key.slice(0, open)];
  const re = /\[([^\]]*)\]/g;
  let m: RegExpExecArray | null;
  re.lastIndex = open;
  while ((m = re.exec(key))) parts.push(m[1]!);
  return parts;
}

function isContainer(v: FormValue | undefined): v is FormObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function assign(target: Building, parts: string[], value: string): void {
  const [head, ...rest] = parts as [string, ...string[]];
  const next = rest[0];
  if (next === undefined) {
    target[head] = value; // a repeated scalar key: last one wins
    return;
  }
  if (next === "") {
    // `x[]=` appends; `x[][k]=` starts a new element when the last one already has `k` (Rack semantics).
    let arr = (target[head] as Building | undefined)?.[PUSHED];
    if (!arr) {
      arr = [];
      const holder: Building = {};
      holder[PUSHED] = arr;
      target[head] = holder;
    }
    const after = rest.slice(1);
    if (after.length === 0) {
      arr.push(value);
      return;
    }
    const last = arr[arr.length - 1];
    const key = after[0]!;
    if (isContainer(last) && !(key in last)) assign(last, after, value);
    else {
      const fresh: Building = {};
      arr.push(fresh);
      assign(fresh, after, value);
    }
    return;
  }
  let child = target[head];
  if (!isContainer(child) || (child as Building)[PUSHED]) {
    child = {};
    target[head] = child;
  }
  assign(child as Building, rest, value);
}

const nonSequential = (keys: number[], expected: number) =>
  `If passing an array with explicit keys (e.g. foo[0]=a&foo[1]=b) instead of as an array (e.g. foo[]=a&foo[]=b), the keys must be numeric and sequential starting from 0. You passed the keys \`${keys.join("`, `")}\`, we expected to have a key with the value \`${expected}\`.`;

/** Turns pushed holders into arrays and all-numeric-key objects into arrays, which must be indexed 0..n-1. */
function finish(value: FormValue, path: string): FormValue {
  if (!isContainer(value)) return value;
  const pushed = (value as Building)[PUSHED];
  if (pushed) return pushed.map((v, i) => finish(v, `${path}[${i}]`));
  const keys = Object.keys(value);
  if (path && keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    const sorted = keys.map(Number).sort((a, b) => a - b);
    const expected = sorted.findIndex((n, i) => n !== i);
    if (expected !== -1) {
      throw invalidRequest(nonSequential(sorted, expected), { param: path });
    }
    return sorted.map((n) => finish(value[String(n)]!, `${path}[${n}]`));
  }
  const out: FormObject = {};
  for (const k of keys) out[k] = finish(value[k]!, path ? `${path}[${k}]` : k);
  return out;
}

/** Decodes one urlencoded string (a body or a query string) into nested params. */
export function decodeForm(raw: string): FormObject {
  const root: Building = {};
  for (const pair of raw.split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const key = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? "" : decodeComponent(pair.slice(eq + 1));
    if (!key) continue;
    assign(root, splitKey(key), value);
  }
  return finish(root, "") as FormObject;
}
