// Mandates: the customer's permission to debit their bank account, recorded when a SEPA or US bank account debit is
// confirmed with `mandate_data`; reused by later payments with the same method; `GET /v1/mandates/:id`.
import type Stripe from "stripe";
import { secretKeyRequired } from "../auth.js";
import type { Core, Ctx, HandlerResult } from "../context.js";
import { invalidRequest, parameterMissing, resourceMissing } from "../errors.js";
import { expand } from "../expand.js";
import type { FormObject } from "../form.js";
import { newId, nowSeconds, randomToken } from "../ids.js";
import { assertKnown, readBool, readEnum, readInt, readList, readObject, readString, type Shape } from "../params.js";

export const MANDATE_DATA: Shape = {
  customer_acceptance: {
    accepted_at: "scalar",
    type: "scalar",
    offline: "hash",
    online: { ip_address: "scalar", user_agent: "scalar", infer_from_client: "scalar" },
  },
};

/**
 * `mandate_data[customer_acceptance]` as the Mandate will hold it, or undefined when absent. Online acceptance needs
 * the customer's IP address and user agent; Stripe.js sends `infer_from_client` instead, which only a publishable key
 * may use (the sandbox then records the loopback address, having no customer IP of its own).
 */
export function readAcceptance(ctx: Ctx): Stripe.Mandate.CustomerAcceptance | undefined {
  const data = readObject(ctx.params, "mandate_data");
  if (!data) return undefined;
  const acceptance = readObject(data, "customer_acceptance", "mandate_data[customer_acceptance]");
  if (!acceptance) throw parameterMissing("mandate_data[customer_acceptance]");
  const param = (path: string) => `mandate_data[customer_acceptance]${path}`;
  const type = readEnum(acceptance, "type", ["online", "offline"] as const, param("[type]"));
  if (!type) throw parameterMissing(param("[type]"));
  const acceptedAt = readInt(acceptance, "accepted_at", param("[accepted_at]")) ?? nowSeconds();
  if (type === "offline") return { accepted_at: acceptedAt, offline: {}, type };
  const online: FormObject = readObject(acceptance, "online", param("[online]")) || {};
  if (readBool(online, "infer_from_client", param("[online][infer_from_client]"))) {
    if (ctx.credential.kind !== "publishable")
      throw invalidRequest("`infer_from_client` can only be set when confirming with a publishable key.", {
        param: param("[online][infer_from_client]"),
      });
    return { accepted_at: acceptedAt, online: { ip_address: "127.0.0.1", user_agent: "inferred from the client" }, type };
  }
  const ip = readString(online, "ip_address", { name: param("[online][ip_address]") });
  const agent = readString(online, "user_agent", { name: param("[online][user_agent]") });
  if (!ip) throw parameterMissing(param("[online][ip_address]"));
  if (!agent) throw parameterMissing(param("[online][user_agent]"));
  return { accepted_at: acceptedAt, online: { ip_address: ip, user_agent: agent }, type };
}

/** The active multi-use mandate of a method, which later debits reuse without asking again. */
export function activeMandate(core: Core, pmId: string): Stripe.Mandate | undefined {
  return core.store.t.mandates.newestFirst().find((m) => m.payment_method === pmId && m.status === "active" && m.type === "multi_use");
}

/** Records a mandate for `pm`: multi-use when the method is kept for later (`setup_future_usage`), else single-use for this payment. */
export function recordMandate(
  core: Core,
  pm: Stripe.PaymentMethod,
  acceptance: Stripe.Mandate.CustomerAcceptance,
  payment: { amount: number; currency: string } | null,
): Stripe.Mandate {
  const id = newId("mandate");
  const details: Stripe.Mandate.PaymentMethodDetails =
    pm.type === "sepa_debit"
      ? { type: "sepa_debit", sepa_debit: { reference: randomToken(16).toUpperCase(), url: `${core.origin}/mandates/${id}` } }
      : ({ type: pm.type, us_bank_account: { collection_method: "paper" } } as Stripe.Mandate.PaymentMethodDetails);
  const mandate: Stripe.Mandate = {
    id,
    object: "mandate",
    customer_acceptance: acceptance,
    livemode: false,
    ...(payment ? { single_use: payment, type: "single_use" as const } : { multi_use: {}, type: "multi_use" as const }),
    payment_method: pm.id,
    payment_method_details: details,
    status: "active",
  };
  return core.store.t.mandates.put(mandate);
}

export function retrieveMandate(ctx: Ctx): HandlerResult {
  if (ctx.credential.kind !== "secret") throw secretKeyRequired();
  assertKnown(ctx.params, { expand: "list" });
  const mandate = ctx.store.t.mandates.get(ctx.path.id!);
  if (!mandate) throw resourceMissing("mandate", ctx.path.id!);
  return { body: expand(ctx.store, mandate, readList(ctx.params, "expand") ?? []) };
}
