import { cartSnapshot, openCart } from "@/lib/cart/store";
import { readCartCookie, writeCartCookie } from "@/lib/cart-cookie";

// The shopper's cart for the browser. Catalog pages are static and the same for everyone, so the header's
// badge and the add buttons ask here after load. The cart id stays in its HttpOnly cookie.

const PRIVATE = { "Cache-Control": "private, no-store" };

/** The cart and whether the cookie names an open one; without a cookie the empty cart costs no query. */
export async function GET(): Promise<Response> {
  return Response.json(await cartSnapshot(await readCartCookie()), { headers: PRIVATE });
}

/**
 * Gives the browser an open cart before its first add, so that the add (a Server Action) never sets a cookie
 * and Next never re-renders the page into its answer. Never replaces a cart that is still open. Refused
 * from another site's page (as Next refuses a Server Action): it would only swap a shopper's closed cart for
 * an empty one, but nothing outside the shop has a reason to call it.
 */
export async function POST(request: Request): Promise<Response> {
  const origin = request.headers.get("origin");
  if (origin && new URL(origin).host !== request.headers.get("host")) {
    return Response.json({ error: "Cross-site request refused" }, { status: 403, headers: PRIVATE });
  }
  const current = await readCartCookie();
  const { cartId, created } = await openCart(current);
  if (created) await writeCartCookie(cartId);
  return Response.json(await cartSnapshot(cartId), { headers: PRIVATE });
}
