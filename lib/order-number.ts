import { randomInt } from "node:crypto";

// Crockford's base32 without I, L, O, U: easy to read aloud and to type from a receipt.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A human-friendly order number such as "SF-7K3Q9D" (32^6 ≈ 10^9 values). The database's unique index has
 * the last word: lib/checkout/store.ts draws again when a number is taken.
 */
export function newOrderNumber(): string {
  let code = "";
  for (let i = 0; i < 6; i += 1) code += ALPHABET[randomInt(ALPHABET.length)];
  return `SF-${code}`;
}
