import { randomBytes } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Random base62 text; Stripe ids look like `pi_3Rsx4dDtWMrPDtgt0mUrePJ9` (prefix + 24 chars). */
export function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (let i = 0; i < length; i++) out += BASE62[bytes[i]! % 62];
  return out;
}

export type IdPrefix = "pi" | "ch" | "re" | "pm" | "evt" | "cus" | "we" | "req" | "txn" | "pmc" | "src" | "du" | "seti" | "mandate";

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomToken(prefix === "req" ? 14 : 24)}`;
}

/** `pi_…_secret_…`: the client secret Stripe.js pairs with a publishable key. */
export function clientSecretFor(intentId: string): string {
  return `${intentId}_secret_${randomToken(25)}`;
}

export function newWebhookSecret(): string {
  return `whsec_${randomToken(32)}`;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
