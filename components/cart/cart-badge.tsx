"use client";

import Link from "next/link";
import { useCart } from "@/components/cart/cart-provider";

function BagIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth="1.8">
      <path d="M6 8h12l-1 12H7L6 8Z" strokeLinejoin="round" />
      <path d="M9 8V6a3 3 0 0 1 6 0v2" />
    </svg>
  );
}

/**
 * Header link to the cart, with the count of the cart the provider holds (null: not known yet). The
 * accessible name is the visible text plus "items" ("Cart 2 items"), so speech users can say what they see.
 */
export function CartBadge() {
  const { cart, pendingAdds } = useCart();
  const count = cart ? cart.itemCount + pendingAdds : null;

  return (
    <Link
      href="/cart"
      className="relative inline-flex items-center gap-2 rounded-full border border-stone-300 bg-white px-3 py-1.5 text-sm font-medium text-stone-800 hover:border-brand-700 hover:text-brand-800"
    >
      <BagIcon />
      <span>Cart</span>{" "}
      <span
        data-testid="cart-count"
        // An unknown count shows a dash, which is not worth reading out.
        aria-hidden={count === null ? true : undefined}
        className="min-w-6 rounded-full bg-brand-800 px-1.5 py-0.5 text-center text-xs font-semibold tabular-nums text-white"
      >
        {count ?? "–"}
      </span>
      {count !== null && <span className="sr-only">{count === 1 ? " item" : " items"}</span>}
    </Link>
  );
}
