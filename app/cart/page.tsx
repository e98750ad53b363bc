import type { Metadata } from "next";
import { getCart } from "@/lib/cart/store";
import { readCartCookie } from "@/lib/cart-cookie";
import { CartContents } from "@/components/cart/cart-contents";
import { readPosted } from "@/components/cart/posted";
import { StatusLine } from "@/components/cart/status-line";

export const metadata: Metadata = { title: "Your cart", robots: { index: false } };

// The cart is read before anything of the page is sent, outside any <Suspense>: content streamed into a
// prerendered shell is revealed by an inline script, so with JavaScript off the shopper would see the
// fallback forever. This page therefore has no static shell (nothing in it is the same for two shoppers
// anyway), and a navigation to it waits for the cart; `instant = false` says so to Next.js.
export const instant = false;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function CartPage({ searchParams }: Props) {
  // Prices, totals and availability come from the database now, not from anything the browser kept.
  const cart = await getCart(await readCartCookie());
  // Cart forms posted without JavaScript land here, with their outcome in the address.
  const posted = readPosted(await searchParams, cart);
  return (
    <div className="space-y-8">
      <h1 className="text-3xl font-semibold tracking-tight">Your cart</h1>
      {posted.notice && <StatusLine status={posted.notice} />}
      <CartContents initialCart={cart} postedErrors={posted.lineErrors} />
    </div>
  );
}
