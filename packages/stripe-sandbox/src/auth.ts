// API keys as Stripe reads them: Bearer or Basic (key as user, empty password), test keys only.
import type { IncomingHttpHeaders } from "node:http";
import { StripeApiError } from "./errors.js";

export type Credential = { kind: "secret"; key: string } | { kind: "publishable"; key: string };

const NO_KEY =
  "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.";

function unauthorized(message: string): StripeApiError {
  return new StripeApiError(401, { type: "invalid_request_error", message });
}

/** "sk_test_****abcd": the key's prefix kept, every character but the last 4 masked. */
export function maskKey(key: string): string {
  const prefix = /^[a-z]{2,3}_(test|live)_/.exec(key)?.[0] ?? "";
  const rest = key.slice(prefix.length);
  return prefix + "*".repeat(Math.max(0, rest.length - 4)) + rest.slice(-4);
}

function keyFromHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, value = ""] = header.trim().split(/\s+/, 2);
  if (scheme?.toLowerCase() === "bearer") return value;
  if (scheme?.toLowerCase() === "basic") {
    // `curl -u sk_test_…:` sends base64("sk_test_…:"); the password part is ignored.
    const decoded = Buffer.from(value, "base64").toString("utf8");
    return decoded.split(":")[0];
  }
  return undefined;
}

/**
 * Resolves the caller's key. Publishable keys may also come as a `key` parameter, as real Stripe.js sends them.
 * `fixedSecretKey` (option --api-key) restricts secret keys to that one value.
 */
export function authenticate(headers: IncomingHttpHeaders, keyParam: unknown, fixedSecretKey?: string): Credential {
  const key = keyFromHeader(headers.authorization) ?? (typeof keyParam === "string" && keyParam ? keyParam : undefined);
  if (!key) throw unauthorized(NO_KEY);
  if (/^(sk|rk|pk)_live_/.test(key)) {
    throw unauthorized(
      `Live mode keys are refused by the Stripe sandbox (${maskKey(key)}): it only ever runs in test mode. Use a test key such as sk_test_… or pk_test_….`,
    );
  }
  if (/^pk_test_[A-Za-z0-9_]+$/.test(key)) return { kind: "publishable", key };
  if (/^(sk|rk)_test_[A-Za-z0-9_]+$/.test(key) && (!fixedSecretKey || key === fixedSecretKey)) return { kind: "secret", key };
  throw unauthorized(`Invalid API Key provided: ${maskKey(key)}`);
}

/** Stripe's answer when a publishable key calls an endpoint that needs the secret key. */
export function secretKeyRequired(): StripeApiError {
  return unauthorized(
    "This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.",
  );
}
