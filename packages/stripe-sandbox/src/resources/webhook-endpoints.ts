// WebhookEndpoints: registered receivers; the signing secret is shown only in the create response, as on Stripe.
import type Stripe from "stripe";
import { secretKeyRequired } from "../auth.js";
import type { Ctx, HandlerResult } from "../context.js";
import { invalidRequest, parameterMissing, resourceMissing } from "../errors.js";
import type { FormObject } from "../form.js";
import { newId, newWebhookSecret, nowSeconds } from "../ids.js";
import { LIST_PARAMS, paginate } from "../list.js";
import { assertKnown, readBool, readList, readString, requireString } from "../params.js";
import { applyMetadata } from "../rules.js";

const withoutSecret = ({ secret: _secret, ...we }: Stripe.WebhookEndpoint): Stripe.WebhookEndpoint => we;

function checkUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error("scheme");
  } catch {
    throw invalidRequest(`Invalid URL: ${url}`, { param: "url", code: "url_invalid" });
  }
  return url;
}

function load(ctx: Ctx): Stripe.WebhookEndpoint {
  const we = ctx.store.t.webhook_endpoints.get(ctx.path.id!);
  if (!we) throw resourceMissing("webhook_endpoint", ctx.path.id!);
  return we;
}

export function createWebhookEndpoint(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  const p = ctx.params;
  assertKnown(p, {
    url: "scalar",
    enabled_events: "list",
    description: "scalar",
    metadata: "hash",
    api_version: "scalar",
    connect: "scalar",
    expand: "list",
  });
  const url = checkUrl(requireString(p, "url"));
  const events = readList(p, "enabled_events");
  if (!events || events.length === 0) throw parameterMissing("enabled_events");
  const we: Stripe.WebhookEndpoint = {
    id: newId("we"),
    object: "webhook_endpoint",
    api_version: readString(p, "api_version") ?? null,
    application: null,
    created: nowSeconds(),
    description: readString(p, "description", { unsettable: true }) ?? null,
    enabled_events: events,
    livemode: false,
    metadata: applyMetadata({}, p.metadata as FormObject | "" | undefined),
    secret: newWebhookSecret(),
    status: "enabled",
    url,
  } satisfies Stripe.WebhookEndpoint;
  ctx.store.t.webhook_endpoints.put(we);
  return { body: we };
}

export function retrieveWebhookEndpoint(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  assertKnown(ctx.params, { expand: "list" });
  return { body: withoutSecret(load(ctx)) };
}

export function updateWebhookEndpoint(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  const p = ctx.params;
  assertKnown(p, { url: "scalar", enabled_events: "list", description: "scalar", metadata: "hash", disabled: "scalar", expand: "list" });
  const we = load(ctx);
  const url = readString(p, "url");
  if (url) we.url = checkUrl(url);
  const events = readList(p, "enabled_events");
  if (events && events.length > 0) we.enabled_events = events;
  const description = readString(p, "description", { unsettable: true });
  if (description !== undefined) we.description = description;
  const disabled = readBool(p, "disabled");
  if (disabled !== undefined) we.status = disabled ? "disabled" : "enabled";
  we.metadata = applyMetadata(we.metadata, p.metadata as FormObject | "" | undefined);
  return { body: withoutSecret(we) };
}

export function deleteWebhookEndpoint(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  const we = load(ctx);
  ctx.store.t.webhook_endpoints.delete(we.id);
  return { body: { id: we.id, object: "webhook_endpoint", deleted: true } satisfies Stripe.DeletedWebhookEndpoint };
}

export function listWebhookEndpoints(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  assertKnown(ctx.params, LIST_PARAMS);
  const rows = ctx.store.t.webhook_endpoints.newestFirst().map(withoutSecret);
  return { body: paginate(ctx.params, rows, ctx.url, "webhook_endpoint") };
}
