"use client";

import Link from "next/link";
import { useEffect } from "react";
import type { CartView } from "@/lib/cart";
import { useCart } from "@/components/cart/cart-provider";

function BagIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth="1.8">
      <path d="M6 8h12l-1 12H7L6 8Z" strokeLinejoin="round" />
      <path d="M9 8V6a3 3 0 0 1 6 0v2" />
    </svg>
  );
}

/** Header link to the cart. `serverCart` comes from the request's cookie; later action results override it. */
export function CartBadge({ serverCart }: { serverCart: CartView | null }) {
  const { cart, pendingAdds, seed } = useCart();
  useEffect(() => {
    if (serverCart) seed(serverCart);
  }, [serverCart, seed]);

  const confirmed = cart ?? serverCart;
  const count = confirmed ? confirmed.itemCount + pendingAdds : null;
  const label = count === null ? "Cart" : `Cart, ${count} ${count === 1 ? "item" : "items"}`;

  return (
    <Link
      href="/cart"
      aria-label={label}
      className="relative inline-flex items-center gap-2 rounded-full border border-stone-300 bg-white px-3 py-1.5 text-sm font-medium text-stone-800 hover:border-brand-700 hover:text-brand-800"
    >
      <BagIcon />
      <span aria-hidden="true">Cart</span>
      <span
        data-testid="cart-count"
        aria-hidden="true"
        className="min-w-6 rounded-full bg-brand-800 px-1.5 py-0.5 text-center text-xs font-semibold tabular-nums text-white"
      >
        {count ?? "–"}
      </span>
    </Link>
  );
}
