// The /v1 routes the sandbox answers, matched in order (fixed segments before `:id`).
import { retrieveMandate } from "./resources/mandates.js";
import type { Handler } from "./context.js";
import { listCharges, retrieveCharge } from "./resources/charges.js";
import { createCustomer, deleteCustomer, listCustomers, retrieveCustomer, searchCustomers, updateCustomer } from "./resources/customers.js";
import { closeDispute, listDisputes, retrieveDispute, updateDispute } from "./resources/disputes.js";
import { listEvents, retrieveEvent } from "./resources/events.js";
import {
  cancelPaymentIntent,
  capturePaymentIntent,
  confirmPaymentIntent,
  createPaymentIntent,
  listPaymentIntents,
  retrievePaymentIntent,
  searchPaymentIntents,
  updatePaymentIntent,
} from "./resources/payment-intents.js";
import {
  attachPaymentMethod,
  createPaymentMethod,
  detachPaymentMethod,
  listCustomerPaymentMethods,
  listPaymentMethods,
  retrieveCustomerPaymentMethod,
  retrievePaymentMethod,
  updatePaymentMethod,
} from "./resources/payment-methods.js";
import { createRefund, listRefunds, retrieveRefund, updateRefund } from "./resources/refunds.js";
import {
  cancelSetupIntent,
  confirmSetupIntent,
  createSetupIntent,
  listSetupIntents,
  retrieveSetupIntent,
  updateSetupIntent,
} from "./resources/setup-intents.js";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookEndpoints,
  retrieveWebhookEndpoint,
  updateWebhookEndpoint,
} from "./resources/webhook-endpoints.js";

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

function route(method: string, path: string, handler: Handler): Route {
  const names: string[] = [];
  const pattern = new RegExp(
    `^${path.replace(/:([a-z]+)/g, (_, name: string) => {
      names.push(name);
      return "([^/]+)";
    })}$`,
  );
  return { method, pattern, names, handler };
}

const ROUTES: Route[] = [
  route("POST", "/v1/payment_intents", createPaymentIntent),
  route("GET", "/v1/payment_intents", listPaymentIntents),
  route("GET", "/v1/payment_intents/search", searchPaymentIntents),
  route("GET", "/v1/payment_intents/:intent", retrievePaymentIntent),
  route("POST", "/v1/payment_intents/:intent", updatePaymentIntent),
  route("POST", "/v1/payment_intents/:intent/confirm", confirmPaymentIntent),
  route("POST", "/v1/payment_intents/:intent/capture", capturePaymentIntent),
  route("POST", "/v1/payment_intents/:intent/cancel", cancelPaymentIntent),
  route("POST", "/v1/setup_intents", createSetupIntent),
  route("GET", "/v1/setup_intents", listSetupIntents),
  route("GET", "/v1/setup_intents/:intent", retrieveSetupIntent),
  route("POST", "/v1/setup_intents/:intent", updateSetupIntent),
  route("POST", "/v1/setup_intents/:intent/confirm", confirmSetupIntent),
  route("POST", "/v1/setup_intents/:intent/cancel", cancelSetupIntent),
  route("GET", "/v1/charges", listCharges),
  route("GET", "/v1/charges/:id", retrieveCharge),
  route("POST", "/v1/refunds", createRefund),
  route("GET", "/v1/refunds", listRefunds),
  route("GET", "/v1/refunds/:id", retrieveRefund),
  route("POST", "/v1/refunds/:id", updateRefund),
  route("POST", "/v1/payment_methods", createPaymentMethod),
  route("GET", "/v1/payment_methods", listPaymentMethods),
  route("GET", "/v1/payment_methods/:id", retrievePaymentMethod),
  route("POST", "/v1/payment_methods/:id", updatePaymentMethod),
  route("POST", "/v1/payment_methods/:id/attach", attachPaymentMethod),
  route("POST", "/v1/payment_methods/:id/detach", detachPaymentMethod),
  route("POST", "/v1/customers", createCustomer),
  route("GET", "/v1/customers", listCustomers),
  route("GET", "/v1/customers/search", searchCustomers),
  route("GET", "/v1/customers/:id", retrieveCustomer),
  route("POST", "/v1/customers/:id", updateCustomer),
  route("DELETE", "/v1/customers/:id", deleteCustomer),
  route("GET", "/v1/customers/:id/payment_methods", listCustomerPaymentMethods),
  route("GET", "/v1/customers/:id/payment_methods/:pm", retrieveCustomerPaymentMethod),
  route("GET", "/v1/mandates/:id", retrieveMandate),
  route("GET", "/v1/disputes", listDisputes),
  route("GET", "/v1/disputes/:id", retrieveDispute),
  route("POST", "/v1/disputes/:id", updateDispute),
  route("POST", "/v1/disputes/:id/close", closeDispute),
  route("GET", "/v1/events", listEvents),
  route("GET", "/v1/events/:id", retrieveEvent),
  route("POST", "/v1/webhook_endpoints", createWebhookEndpoint),
  route("GET", "/v1/webhook_endpoints", listWebhookEndpoints),
  route("GET", "/v1/webhook_endpoints/:id", retrieveWebhookEndpoint),
  route("POST", "/v1/webhook_endpoints/:id", updateWebhookEndpoint),
  route("DELETE", "/v1/webhook_endpoints/:id", deleteWebhookEndpoint),
];

export function matchRoute(method: string, pathname: string): { handler: Handler; path: Record<string, string> } | null {
  for (const r of ROUTES) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(pathname);
    if (!m) continue;
    const path: Record<string, string> = {};
    r.names.forEach((name, i) => (path[name] = decodeURIComponent(m[i + 1]!)));
    return { handler: r.handler, path };
  }
  return null;
}
