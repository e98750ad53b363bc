// Publishable-key calls to the sandbox API, as Stripe.js makes them: form-encoded, the key as a `key` parameter.
// A form POST without custom headers is a CORS "simple request", so the browser sends no preflight (like Stripe.js).
import type { StripeError } from "@stripe/stripe-js";

export type FormValue = string | number | boolean | null | undefined | FormObject | FormValue[];
export interface FormObject {
  [key: string]: FormValue;
}

/** Stripe's nested form encoding: {card: {number: 1}} → "card[number]=1"; arrays as a[0]=…; undefined/null left out. */
export function encodeForm(params: FormObject): string {
  const pairs: string[] = [];
  const walk = (prefix: string, value: FormValue): void => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(`${prefix}[${i}]`, item));
    } else if (typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) walk(prefix ? `${prefix}[${key}]` : key, inner);
    } else {
      pairs.push(`${encodeURIComponent(prefix)}=${encodeURIComponent(String(value))}`);
    }
  };
  walk("", params);
  return pairs.join("&");
}

export type ApiResult<T> = { ok: true; body: T } | { ok: false; error: StripeError };

/** A network failure reads like Stripe.js's own: an api_connection_error, never a thrown exception. */
async function send<T>(url: string, init: RequestInit): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch {
    return {
      ok: false,
      error: { type: "api_connection_error", message: "We could not reach the Stripe sandbox. Check your connection and try again." },
    };
  }
  const body = (await response.json().catch(() => null)) as (T & { error?: StripeError }) | null;
  if (!response.ok || body === null) {
    return { ok: false, error: body?.error ?? { type: "api_error", message: `The Stripe sandbox answered HTTP ${response.status}.` } };
  }
  return { ok: true, body };
}

export function apiPost<T>(origin: string, path: string, key: string, params: FormObject): Promise<ApiResult<T>> {
  return send<T>(`${origin}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: encodeForm({ ...params, key }),
  });
}

export function apiGet<T>(origin: string, path: string, key: string, params: FormObject): Promise<ApiResult<T>> {
  return send<T>(`${origin}${path}?${encodeForm({ ...params, key })}`, { method: "GET" });
}
