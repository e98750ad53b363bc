import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { Tx } from "@/lib/db";
import { absoluteUrl } from "@/lib/site";

// Links that open an order's status page without an account (the link in every email). The token is 32
// random bytes; only its SHA-256 is stored, so the table alone opens nothing, and a link stops working when
// it expires. An order number alone reveals nothing.

/** How long a link keeps working. */
export const ORDER_LINK_DAYS = 30;

export const hashOrderToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** The status page's path for a token. */
export const orderStatusPath = (token: string) => `/orders/status/${token}`;

/** Stores a new link for the order (inside the caller's transaction) and returns its absolute URL. */
export async function issueOrderLink(tx: Tx, orderId: string, now = new Date()): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await tx.orderAccessToken.create({
    data: { tokenHash: hashOrderToken(token), orderId, expiresAt: new Date(now.getTime() + ORDER_LINK_DAYS * 86_400_000) },
  });
  return absoluteUrl(orderStatusPath(token));
}
