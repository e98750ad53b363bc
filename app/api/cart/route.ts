import { getCart } from "@/lib/cart/store";
import { readCartCookie } from "@/lib/cart-cookie";

// The shopper's cart for the browser: catalog pages are static and the same for everyone, so the header's
// badge and the product page's "in your cart" ask here after load. The cart id stays in its HttpOnly
// cookie; without one the answer is the empty cart and costs no query.
export async function GET(): Promise<Response> {
  const cart = await getCart(await readCartCookie());
  return Response.json(cart, { headers: { "Cache-Control": "private, no-store" } });
}
