"use client";

import { useRef, useState } from "react";
import { addToCart } from "@/components/cart/actions";
import { useCart } from "@/components/cart/cart-provider";

type Props = { productId: string; productName: string; /** min(stock, 99) when the page was rendered. */ maxQuantity: number };
type Status = { kind: "info" | "error"; text: string } | null;

/**
 * Single-flight add: at most one addToCart request is in flight per button. Clicks made while it runs are
 * counted and sent together as ONE next request, so fifty rapid clicks cost two or three requests, never
 * fifty. Clicks that would pass the limit (stock or 99, minus what the cart already holds) are refused
 * locally. The badge shows server count + unconfirmed clicks and snaps to the server's cart on every result.
 */
export function AddToCartButton({ productId, productName, maxQuantity }: Props) {
  const { quantityOf, addPending, settle } = useCart();
  const inFlight = useRef(false);
  const inFlightUnits = useRef(0);
  const queuedUnits = useRef(0);
  const [status, setStatus] = useState<Status>(null);

  async function flush() {
    inFlight.current = true;
    while (queuedUnits.current > 0) {
      const quantity = queuedUnits.current;
      queuedUnits.current = 0;
      inFlightUnits.current = quantity;
      try {
        const result = await addToCart({ productId, quantity });
        if (result.ok) {
          settle(quantity, result.cart);
          const total = result.cart.lines.find((line) => line.productId === productId)?.quantity ?? 0;
          setStatus({ kind: "info", text: `Added to cart. You have ${total} × ${productName} in your cart.` });
        } else {
          settle(quantity, null);
          // Clicks queued behind a refused request would be refused for the same reason.
          addPending(-queuedUnits.current);
          queuedUnits.current = 0;
          setStatus({ kind: "error", text: result.error });
        }
      } catch {
        // Network or server failure: nothing is known to have changed, so drop the optimistic units.
        settle(quantity + queuedUnits.current, null);
        queuedUnits.current = 0;
        setStatus({ kind: "error", text: "Could not reach the shop. Please try again." });
      } finally {
        inFlightUnits.current = 0;
      }
    }
    inFlight.current = false;
  }

  function handleClick() {
    const reserved = quantityOf(productId) + inFlightUnits.current + queuedUnits.current;
    if (reserved >= maxQuantity) {
      setStatus({ kind: "error", text: `You can have at most ${maxQuantity} of ${productName} in your cart.` });
      return;
    }
    queuedUnits.current += 1;
    addPending(1);
    if (!inFlight.current) void flush();
  }

  return (
    <div className="space-y-3">
      <button
        type="button"
        onClick={handleClick}
        className="w-full rounded-lg bg-brand-800 px-6 py-3 text-base font-semibold text-white shadow-sm hover:bg-brand-900 active:translate-y-px sm:w-auto"
      >
        Add to cart
      </button>
      <p
        role="status"
        aria-live="polite"
        className={status?.kind === "error" ? "min-h-6 text-sm font-medium text-red-700" : "min-h-6 text-sm text-stone-700"}
      >
        {status?.text}
      </p>
    </div>
  );
}
