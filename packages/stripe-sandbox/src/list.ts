// Stripe list pagination: limit 1–100 (default 10), starting_after / ending_before cursors, created filters, newest first.
import { invalidRequest, resourceMissing } from "./errors.js";
import type { FormObject } from "./form.js";
import type { Ctx } from "./context.js";
import { expandList } from "./expand.js";
import { assertKnown, readInt, readList, readString, requireString, type Shape } from "./params.js";
import { parseQuery, SearchQueryError, type FieldKind, type Query } from "./search.js";

export const LIST_PARAMS: Shape = {
  limit: "scalar",
  starting_after: "scalar",
  ending_before: "scalar",
  created: { gt: "scalar", gte: "scalar", lt: "scalar", lte: "scalar" },
  expand: "list",
};

export interface ListObject<T> {
  object: "list";
  url: string;
  has_more: boolean;
  data: T[];
}

export function readLimit(params: FormObject): number {
  const limit = readInt(params, "limit") ?? 10;
  if (limit < 1) throw invalidRequest("This value must be greater than or equal to 1.", { param: "limit" });
  if (limit > 100) throw invalidRequest("This value must be less than or equal to 100.", { param: "limit" });
  return limit;
}

/** `created=123` or `created[gt|gte|lt|lte]=…` as a predicate on Unix seconds. */
export function createdFilter(params: FormObject): (created: number) => boolean {
  const c = params.created;
  if (c === undefined) return () => true;
  if (typeof c === "string") {
    const exact = readInt(params, "created")!;
    return (t) => t === exact;
  }
  if (Array.isArray(c)) throw invalidRequest("Invalid created: expected an integer or a hash of gt, gte, lt, lte", { param: "created" });
  const bound = (k: string) => readInt(c, k, `created[${k}]`);
  const [gt, gte, lt, lte] = [bound("gt"), bound("gte"), bound("lt"), bound("lte")];
  return (t) =>
    (gt === undefined || t > gt) && (gte === undefined || t >= gte) && (lt === undefined || t < lt) && (lte === undefined || t <= lte);
}

/** One page of `rows` (already filtered and newest first) around the cursor the caller gave. */
export function paginate<T extends { id: string }>(params: FormObject, rows: T[], url: string, objectName: string): ListObject<T> {
  const limit = readLimit(params);
  const after = readString(params, "starting_after");
  const before = readString(params, "ending_before");
  if (after && before)
    throw invalidRequest("You may only specify one of these parameters: ending_before, starting_after.", { param: "ending_before" });
  if (before) {
    const at = rows.findIndex((r) => r.id === before);
    if (at === -1) throw resourceMissing(objectName, before, "ending_before");
    const start = Math.max(0, at - limit);
    return { object: "list", url, has_more: start > 0, data: rows.slice(start, at) };
  }
  let start = 0;
  if (after) {
    const at = rows.findIndex((r) => r.id === after);
    if (at === -1) throw resourceMissing(objectName, after, "starting_after");
    start = at + 1;
  }
  return { object: "list", url, has_more: start + limit < rows.length, data: rows.slice(start, start + limit) };
}

/** A search `page` cursor is the last id of the previous page, opaque to callers like Stripe's. */
export const encodePage = (id: string) => Buffer.from(`after:${id}`).toString("base64url");

export function decodePage(page: string): string {
  const text = Buffer.from(page, "base64url").toString("utf8");
  if (!text.startsWith("after:")) throw invalidRequest(`Invalid page: ${page}`, { param: "page" });
  return text.slice("after:".length);
}

/** One page of a search's matches (`all`, newest first): Stripe's search_result, `page` cursors, `total_count` on request. */
export function searchResult<T extends { id: string }>(ctx: Ctx, all: T[], limit: number): Record<string, unknown> {
  const page = readString(ctx.params, "page");
  const start = page ? all.findIndex((row) => row.id === decodePage(page)) + 1 : 0;
  const data = all.slice(start, start + limit);
  const hasMore = start + limit < all.length;
  const paths = readList(ctx.params, "expand") ?? [];
  const body: Record<string, unknown> = {
    object: "search_result",
    url: ctx.url,
    has_more: hasMore,
    data: expandList(ctx.store, data, paths, ["total_count"]),
    next_page: hasMore ? encodePage(data[data.length - 1]!.id) : null,
  };
  if (paths.includes("total_count")) body.total_count = all.length;
  return body;
}

/** A search request's parameters: Stripe's query (refused as 400 on `query` when it does not parse) and its limit. */
export function readSearch(ctx: Ctx, fields: Record<string, FieldKind>): { query: Query; limit: number } {
  assertKnown(ctx.params, { query: "scalar", limit: "scalar", page: "scalar", expand: "list" });
  const text = requireString(ctx.params, "query");
  const limit = readLimit(ctx.params);
  try {
    return { query: parseQuery(text, fields), limit };
  } catch (e) {
    if (e instanceof SearchQueryError) throw invalidRequest(e.message, { param: "query" });
    throw e;
  }
}
