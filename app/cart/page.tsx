import type { Metadata } from "next";
import { Suspense } from "react";
import { getCart } from "@/lib/cart";
import { readCartCookie } from "@/lib/cart-cookie";
import { CartContents } from "@/components/cart/cart-contents";

export const metadata: Metadata = { title: "Your cart", robots: { index: false } };

export default function CartPage() {
  return (
    <div className="space-y-8">
      <h1 className="text-3xl font-semibold tracking-tight">Your cart</h1>
      {/* The fallback holds roughly the cart's height, so the footer does not jump when it streams in. */}
      <Suspense fallback={<p className="min-h-[28rem] text-stone-700">Loading your cart…</p>}>
        <CurrentCart />
      </Suspense>
    </div>
  );
}

async function CurrentCart() {
  // Prices, totals and availability come from the database now, not from anything the browser kept.
  const cart = await getCart(await readCartCookie());
  return <CartContents initialCart={cart} />;
}
