// `expand[]`: replaces an id with the object it names, up to 4 levels (e.g. `latest_charge.payment_intent`).
import { invalidRequest } from "./errors.js";
import type { Store } from "./store.js";

type Lookup = (store: Store, id: string) => object | undefined;

const charge: Lookup = (s, id) => s.t.charges.get(id);
const intent: Lookup = (s, id) => s.t.payment_intents.get(id);
const method: Lookup = (s, id) => s.t.payment_methods.get(id);
const customer: Lookup = (s, id) => s.t.customers.get(id);

/** Which fields of which object may be expanded, as on Stripe. */
const EXPANDABLE: Record<string, Record<string, Lookup>> = {
  payment_intent: { latest_charge: charge, payment_method: method, customer },
  setup_intent: { payment_method: method, customer },
  charge: { payment_intent: intent, customer },
  refund: { payment_intent: intent, charge },
  payment_method: { customer },
  dispute: { charge, payment_intent: intent },
  // A field inside a plain sub-object is named by its dotted path.
  customer: { "invoice_settings.default_payment_method": method },
};

/**
 * Fields that an object leaves out unless they are expanded, built when asked for: since API version
 * 2022-11-15 a Charge carries `refunds` only under `expand[]=refunds` (`data.refunds` on lists).
 */
const COMPUTED: Record<string, Record<string, (store: Store, obj: Record<string, unknown>) => unknown>> = {
  charge: {
    refunds: (store, charge) => {
      const data = store.t.refunds.newestFirst().filter((refund) => refund.charge === charge.id);
      return { object: "list", data, has_more: false, total_count: data.length, url: `/v1/charges/${String(charge.id)}/refunds` };
    },
  },
};

const MAX_DEPTH = 4;

function notExpandable(path: string) {
  return invalidRequest(`This property cannot be expanded (${path}).`, { param: "expand" });
}

function expandPath(store: Store, obj: Record<string, unknown>, parts: string[], full: string): void {
  const [field, ...rest] = parts as [string, ...string[]];
  const compute = COMPUTED[String(obj.object)]?.[field];
  if (compute) {
    if (rest.length > 0) throw notExpandable(full);
    obj[field] = structuredClone(compute(store, obj));
    return;
  }
  const [leaf, ...deeper] = rest;
  const nested = leaf === undefined ? undefined : EXPANDABLE[String(obj.object)]?.[`${field}.${leaf}`];
  const inner = obj[field];
  if (nested && leaf !== undefined && typeof inner === "object" && inner !== null) {
    expandField(store, inner as Record<string, unknown>, leaf, nested, deeper, full);
    return;
  }
  const lookup = EXPANDABLE[String(obj.object)]?.[field];
  if (!lookup || !(field in obj)) throw notExpandable(full);
  expandField(store, obj, field, lookup, rest, full);
}

function expandField(store: Store, obj: Record<string, unknown>, field: string, lookup: Lookup, rest: string[], full: string): void {
  let value = obj[field];
  if (typeof value === "string") {
    const found = lookup(store, value);
    value = found ? structuredClone(found) : value;
    obj[field] = value;
  }
  if (rest.length > 0 && typeof value === "object" && value !== null) expandPath(store, value as Record<string, unknown>, rest, full);
}

/** A copy of `obj` with `paths` expanded; the stored object is never changed. */
export function expand<T extends object>(store: Store, obj: T, paths: string[]): T {
  if (paths.length === 0) return obj;
  const copy = structuredClone(obj) as Record<string, unknown>;
  for (const path of paths) {
    const parts = path.split(".");
    if (parts.length > MAX_DEPTH)
      throw invalidRequest(`You cannot expand more than ${MAX_DEPTH} levels of a property. Property: ${path}`, { param: "expand" });
    expandPath(store, copy, parts, path);
  }
  return copy as T;
}

/** For lists, paths are written `data.latest_charge`; each is applied to every item. */
export function expandList<T extends object>(store: Store, items: T[], paths: string[], extra: string[] = []): T[] {
  const itemPaths: string[] = [];
  for (const p of paths) {
    if (extra.includes(p)) continue;
    if (!p.startsWith("data.")) throw notExpandable(p);
    itemPaths.push(p.slice("data.".length));
  }
  return itemPaths.length ? items.map((item) => expand(store, item, itemPaths)) : items;
}
