"use client";

import { useRef, useState, type FormEvent } from "react";
import { addToCart, addToCartForm } from "@/components/cart/actions";
import { useCart } from "@/components/cart/cart-provider";
import { addedStatus, StatusLine, type Status } from "@/components/cart/status-line";
import type { CartErrorCode } from "@/lib/result";

type Props = {
  /** The variant this button adds (a product without options has one, its default variant). */
  variantId: string;
  /** The product's name, with the variant's options when it has some (lib/variant-name.ts). */
  productName: string;
  /** The most one cart may hold of this variant when the page was rendered (lib/cart/rules.ts lineLimit). */
  limit: { max: number; code: CartErrorCode };
};

/**
 * An HTML form, so it works before hydration and without JavaScript: the browser posts it to addToCartForm
 * and is redirected to the cart page, which says what happened.
 *
 * Once hydrated, submits are taken over for a single-flight add: at most one addToCart request is in flight
 * per button. Clicks made while it runs are counted and sent together as ONE next request, so fifty rapid
 * clicks cost two or three requests, never fifty. Clicks that would pass the limit (stock or 99, minus what
 * the cart already holds) are refused locally. The badge shows server count + unconfirmed clicks and snaps to
 * the server's cart on every result.
 */
export function AddToCartButton({ variantId, productName, limit }: Props) {
  const { quantityOf, addPending, settle, ensureCart } = useCart();
  const inFlight = useRef(false);
  const inFlightUnits = useRef(0);
  const queuedUnits = useRef(0);
  const [status, setStatus] = useState<Status | null>(null);

  async function flush() {
    inFlight.current = true;
    await ensureCart();
    while (queuedUnits.current > 0) {
      const quantity = queuedUnits.current;
      queuedUnits.current = 0;
      inFlightUnits.current = quantity;
      try {
        const result = await addToCart({ variantId, quantity });
        if (result.ok) {
          settle(quantity, result.cart);
          setStatus(addedStatus(result.cart.lines.find((line) => line.variantId === variantId)?.quantity ?? 0, productName));
        } else {
          settle(quantity, null);
          // Clicks queued behind a refused request would be refused for the same reason.
          addPending(-queuedUnits.current);
          queuedUnits.current = 0;
          setStatus({ kind: "refused", code: result.code, text: result.error });
        }
      } catch {
        // Network or server failure: nothing is known to have changed, so drop the optimistic units.
        settle(quantity + queuedUnits.current, null);
        queuedUnits.current = 0;
        setStatus({ kind: "refused", code: "unreachable", text: "Could not reach the shop. Please try again." });
      } finally {
        inFlightUnits.current = 0;
      }
    }
    inFlight.current = false;
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const reserved = quantityOf(variantId) + inFlightUnits.current + queuedUnits.current;
    if (reserved >= limit.max) {
      setStatus({ kind: "refused", code: limit.code, text: `You can have at most ${limit.max} of ${productName} in your cart.` });
      return;
    }
    queuedUnits.current += 1;
    addPending(1);
    if (!inFlight.current) void flush();
  }

  return (
    <form action={addToCartForm} onSubmit={handleSubmit} className="space-y-3">
      <input type="hidden" name="variantId" value={variantId} />
      <input type="hidden" name="quantity" value="1" />
      <button
        type="submit"
        className="w-full rounded-lg bg-brand-800 px-6 py-3 text-base font-semibold text-white shadow-sm hover:bg-brand-900 active:translate-y-px sm:w-auto"
      >
        Add to cart
      </button>
      <StatusLine status={status} />
    </form>
  );
}
