// Stripe's error object and the HTTP statuses it travels with (docs/stripe-behaviour.md "Validation and errors").

export type StripeErrorType = "invalid_request_error" | "card_error" | "idempotency_error" | "api_error";

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
  advice_code?: string;
  charge?: string;
  payment_intent?: unknown;
  setup_intent?: unknown;
  payment_method?: unknown;
  request_log_url?: string;
}

export class StripeApiError extends Error {
  /**
   * `beforeRun` marks errors raised while checking the request, before the endpoint did anything.
   * Stripe does not store those under an Idempotency-Key (the key can be reused with fixed params).
   */
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
    readonly beforeRun = true,
  ) {
    super(body.message);
  }
}

/** Stripe links every coded error to its page under /docs/error-codes. */
export function docUrl(code: string): string {
  return `https://stripe.com/docs/error-codes/${code.replace(/_/g, "-")}`;
}

export function invalidRequest(message: string, extra: { code?: string; param?: string; status?: number } = {}): StripeApiError {
  const body: StripeErrorBody = { type: "invalid_request_error", message };
  if (extra.code) {
    body.code = extra.code;
    body.doc_url = docUrl(extra.code);
  }
  if (extra.param) body.param = extra.param;
  return new StripeApiError(extra.status ?? 400, body);
}

export const parameterMissing = (param: string) =>
  invalidRequest(`Missing required param: ${param}.`, { code: "parameter_missing", param });

export const parameterUnknown = (param: string) =>
  invalidRequest(`Received unknown parameter: ${param}`, { code: "parameter_unknown", param });

export const invalidInteger = (param: string, value: string) =>
  invalidRequest(`Invalid integer: ${value}`, { code: "parameter_invalid_integer", param });

export const parameterEmpty = (param: string) =>
  invalidRequest(
    `You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; however '${param}' cannot be unset. You should remove '${param}' from your request or supply a non-empty value.`,
    { code: "parameter_invalid_empty", param },
  );

/** 404 for an unknown id: "No such payment_intent: 'pi_123'". The endpoint ran, so it is stored under an idempotency key. */
export function resourceMissing(objectName: string, id: string, param = "id"): StripeApiError {
  const e = invalidRequest(`No such ${objectName}: '${id}'`, { code: "resource_missing", param, status: 404 });
  return new StripeApiError(404, e.body, false);
}

/** payment_intent_unexpected_state carries the intent as it is, like Stripe's. */
export function unexpectedState(message: string, intent: unknown, param?: string): StripeApiError {
  const body: StripeErrorBody = {
    type: "invalid_request_error",
    code: "payment_intent_unexpected_state",
    doc_url: docUrl("payment_intent_unexpected_state"),
    message,
    payment_intent: intent,
  };
  if (param) body.param = param;
  return new StripeApiError(400, body, false);
}

/** An error raised by the endpoint after it started (state errors, refunds over the limit…): stored under an idempotency key. */
export function ranError(e: StripeApiError): StripeApiError {
  return new StripeApiError(e.status, e.body, false);
}
