// How long the purge jobs keep rows, as pure arithmetic (lib/jobs/retention.test.ts runs it alone).

const DAY_MS = 86_400_000;

/**
 * An open cart nobody has touched for this long is abandoned. Its cookie is set for 30 days when the cart
 * is made and never renewed, so by then no browser can bring it back.
 */
export const CART_RETENTION_DAYS = 30;

/** Open carts whose last change (the cart's or any line's) is before this moment are abandoned. */
export function abandonedBefore(now: Date): Date {
  return new Date(now.getTime() - CART_RETENTION_DAYS * DAY_MS);
}

/**
 * Rows a windowed limit counts (createdAt after now - window) that were made before this moment can never
 * be counted again: no later check looks back that far.
 */
export function outOfWindowBefore(now: Date, windowMs: number): Date {
  return new Date(now.getTime() - windowMs);
}
