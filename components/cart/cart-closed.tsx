"use client";

import { useEffect } from "react";
import { emptyCart } from "@/lib/cart/rules";
import { useCart } from "@/components/cart/cart-provider";

/**
 * Rendered by a page that has just seen the cart's order paid: the cart is closed, so the header shows an
 * empty one. The header's own read of the cookie may have raced the payment's finalization and seen the
 * old lines; this result, like any later action result, wins over that read.
 */
export function CartClosed() {
  const { replace } = useCart();
  useEffect(() => replace(emptyCart()), [replace]);
  return null;
}
