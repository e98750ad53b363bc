// Parameter checking shared by every endpoint: unknown keys, types and empty strings, with Stripe's codes and messages.
import { invalidInteger, invalidRequest, parameterEmpty, parameterMissing, parameterUnknown } from "./errors.js";
import type { FormObject, FormValue } from "./form.js";

/** What an endpoint accepts. Nested objects list their own keys; `hash` takes any keys (metadata); `list` is an array of strings. */
export type Field = "scalar" | "list" | "hash" | "any" | Shape;
export interface Shape {
  [key: string]: Field;
}

/** Stripe rejects the first parameter it does not know: "Received unknown parameter: shipping[foo]". */
export function assertKnown(params: FormObject, shape: Shape, prefix = ""): void {
  for (const [key, value] of Object.entries(params)) {
    const name = prefix ? `${prefix}[${key}]` : key;
    const field = shape[key];
    if (field === undefined) throw parameterUnknown(name);
    if (typeof field === "object" && typeof value === "object" && !Array.isArray(value)) assertKnown(value, field, name);
  }
}

export function has(params: FormObject, key: string): boolean {
  return params[key] !== undefined;
}

function scalar(params: FormObject, key: string, name: string): string | undefined {
  const v = params[key];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw invalidRequest(`Invalid string: ${JSON.stringify(v)}`, { param: name });
  return v;
}

/** Required integer: missing → parameter_missing, "" → parameter_invalid_empty, "abc" → parameter_invalid_integer. */
export function readInt(params: FormObject, key: string, name = key): number | undefined {
  const v = scalar(params, key, name);
  if (v === undefined) return undefined;
  if (v === "") throw parameterEmpty(name);
  if (!/^-?\d+$/.test(v)) throw invalidInteger(name, v);
  return Number(v);
}

export function requireInt(params: FormObject, key: string, name = key): number {
  const v = readInt(params, key, name);
  if (v === undefined) throw parameterMissing(name);
  return v;
}

/**
 * A string field. For fields Stripe lets you unset, "" means null; for the others "" is parameter_invalid_empty.
 * Returns undefined when absent.
 */
export function readString(params: FormObject, key: string, opts: { unsettable?: boolean; name?: string } = {}): string | null | undefined {
  const name = opts.name ?? key;
  const v = scalar(params, key, name);
  if (v === "") {
    if (opts.unsettable) return null;
    throw parameterEmpty(name);
  }
  return v;
}

export function requireString(params: FormObject, key: string, name = key): string {
  const v = readString(params, key, { name });
  if (v === undefined || v === null) throw parameterMissing(name);
  return v;
}

export function readBool(params: FormObject, key: string, name = key): boolean | undefined {
  const v = scalar(params, key, name);
  if (v === undefined) return undefined;
  // In any letter case, as Stripe accepts them: older official SDKs (stripe-python before 2025, older
  // stripe-dotnet) send True and False.
  const lower = v.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  if (v === "") throw parameterEmpty(name);
  throw invalidRequest(`Invalid boolean: ${v}`, { code: "parameter_invalid_boolean", param: name });
}

/** "Invalid capture_method: must be one of automatic, automatic_async, or manual" */
export function readEnum<T extends string>(params: FormObject, key: string, allowed: readonly T[], name = key): T | undefined {
  const v = readString(params, key, { name });
  if (v === undefined || v === null) return undefined;
  if (!(allowed as readonly string[]).includes(v)) {
    const list = allowed.length > 1 ? `${allowed.slice(0, -1).join(", ")}, or ${allowed[allowed.length - 1]}` : allowed[0];
    throw invalidRequest(`Invalid ${name}: must be one of ${list}`, { param: name });
  }
  return v as T;
}

export function readList(params: FormObject, key: string, name = key): string[] | undefined {
  const v = params[key];
  if (v === undefined) return undefined;
  if (v === "") return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
    throw invalidRequest(`Invalid array`, { param: name });
  }
  return v as string[];
}

export function readObject(params: FormObject, key: string, name = key): FormObject | "" | undefined {
  const v: FormValue | undefined = params[key];
  if (v === undefined || v === "") return v;
  if (typeof v !== "object" || Array.isArray(v)) throw invalidRequest(`Invalid object`, { param: name });
  return v;
}
