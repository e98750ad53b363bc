// /v1/events: list (type filters, created, delivery_success, pagination) and retrieve.
import { secretKeyRequired } from "../auth.js";
import type { Ctx, HandlerResult } from "../context.js";
import { invalidRequest, resourceMissing } from "../errors.js";
import { expand, expandList } from "../expand.js";
import { createdFilter, LIST_PARAMS, paginate } from "../list.js";
import { assertKnown, readBool, readList, readString } from "../params.js";

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
  // Stripe: "You may pass either `type` or `types`, but not both", and `types` holds at most 20 names.
  if (type !== undefined && types !== undefined)
    throw invalidRequest("You may only specify one of these parameters: type, types.", { param: "type" });
  if (types && types.length > 20) throw invalidRequest("This list must have at most 20 items.", { param: "types" });
  const matchers = [...(type ? [type] : []), ...(types ?? [])].map(typeMatcher);
  // delivery_success=true: every endpoint has acknowledged the event (pending_webhooks is 0, which includes events no
  // endpoint was subscribed to: unconfirmed); false: at least one delivery is still pending or has failed for good.
  const delivered = readBool(ctx.params, "delivery_success");
  const rows = ctx.store.t.events
    .newestFirst()
    .filter(
      (e) =>
        created(e.created) &&
        (matchers.length === 0 || matchers.some((m) => m(e.type))) &&
        (delivered === undefined || (e.pending_webhooks === 0) === delivered),
    );
  const page = paginate(ctx.params, rows, ctx.url, "event");
  return { body: { ...page, data: expandList(ctx.store, page.data, readList(ctx.params, "expand") ?? []) } };
}

export function retrieveEvent(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  assertKnown(ctx.params, { expand: "list" });
  const event = ctx.store.t.events.get(ctx.path.id!);
  if (!event) throw resourceMissing("event", ctx.path.id!);
  return { body: expand(ctx.store, event, readList(ctx.params, "expand") ?? []) };
}
