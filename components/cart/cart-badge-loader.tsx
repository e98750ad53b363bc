import { getCart } from "@/lib/cart/store";
import { readCartCookie } from "@/lib/cart-cookie";
import { CartBadge } from "@/components/cart/cart-badge";

/** Reads the cookie at request time; rendered inside <Suspense> so catalog pages stay prerendered. */
export async function CartBadgeLoader() {
  const cart = await getCart(await readCartCookie());
  return <CartBadge serverCart={cart} />;
}
