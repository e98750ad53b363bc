// /v1/events: list (type filter, created, pagination) and retrieve.
import { secretKeyRequired } from "../auth.js";
import type { Ctx, HandlerResult } from "../context.js";
import { resourceMissing } from "../errors.js";
import { createdFilter, LIST_PARAMS, paginate } from "../list.js";
import { assertKnown, readList, readString } from "../params.js";

/** `type` matches exactly or with a trailing wildcard (`payment_intent.*`); `types[]` lists several. */
function typeMatcher(pattern: string): (type: string) => boolean {
  if (pattern.endsWith(".*")) return (t) => t.startsWith(pattern.slice(0, -1));
  return (t) => t === pattern;
}

export function listEvents(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  assertKnown(ctx.params, { ...LIST_PARAMS, type: "scalar", types: "list", delivery_success: "scalar" });
  const created = createdFilter(ctx.params);
  const type = readString(ctx.params, "type");
  const types = readList(ctx.params, "types");
  const matchers = [...(type ? [type] : []), ...(types ?? [])].map(typeMatcher);
  const rows = ctx.store.t.events
    .newestFirst()
    .filter((e) => created(e.created) && (matchers.length === 0 || matchers.some((m) => m(e.type))));
  return { body: paginate(ctx.params, rows, ctx.url, "event") };
}

export function retrieveEvent(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  assertKnown(ctx.params, { expand: "list" });
  const event = ctx.store.t.events.get(ctx.path.id!);
  if (!event) throw resourceMissing("event", ctx.path.id!);
  return { body: event };
}
