"use client";

import Image from "next/image";
import Link from "next/link";
import { useEffect, useState, type FormEvent } from "react";
import { removeFromCart, updateCartQuantity } from "@/components/cart/actions";
import { useCart } from "@/components/cart/cart-provider";
import type { CartLine, CartResult, CartView } from "@/lib/cart";
import { formatMoney } from "@/lib/money";

/** The cart page body. Starts from the request's cart and then shows whatever each action returns. */
export function CartContents({ initialCart }: { initialCart: CartView }) {
  const { cart, replace } = useCart();
  const [announcement, setAnnouncement] = useState("");
  useEffect(() => replace(initialCart), [initialCart, replace]);

  const view = cart ?? initialCart;
  if (view.lines.length === 0) {
    return (
      <div className="rounded-xl border border-dashed border-stone-300 bg-white p-10 text-center">
        <p className="text-lg text-stone-700">Your cart is empty.</p>
        <Link href="/" className="mt-4 inline-block font-semibold text-brand-800 underline underline-offset-4">
          Continue shopping
        </Link>
        <p className="sr-only" aria-live="polite">{announcement}</p>
      </div>
    );
  }

  return (
    <div className="grid gap-10 lg:grid-cols-[1fr_20rem]">
      <ul className="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white" aria-label="Items in your cart">
        {view.lines.map((line) => (
          <CartLineRow
            key={line.productId}
            line={line}
            onResult={(result, message) => {
              if (result.ok) {
                replace(result.cart);
                setAnnouncement(message);
              }
            }}
          />
        ))}
      </ul>
      <aside className="h-fit rounded-xl border border-stone-200 bg-white p-6" aria-labelledby="summary-heading">
        <h2 id="summary-heading" className="text-lg font-semibold text-stone-900">Order summary</h2>
        <dl className="mt-4 flex items-center justify-between text-base">
          <dt className="text-stone-700">Subtotal ({view.itemCount} {view.itemCount === 1 ? "item" : "items"})</dt>
          <dd className="font-semibold tabular-nums text-stone-900" data-testid="cart-subtotal">
            {formatMoney(view.subtotal, view.currency)}
          </dd>
        </dl>
        <p className="mt-2 text-sm text-stone-600">Shipping and taxes are calculated at checkout.</p>
        <Link
          href="/checkout"
          className="mt-6 block rounded-lg bg-brand-800 px-6 py-3 text-center font-semibold text-white hover:bg-brand-900"
        >
          Checkout
        </Link>
        <p className="sr-only" aria-live="polite">{announcement}</p>
      </aside>
    </div>
  );
}

type RowProps = { line: CartLine; onResult: (result: CartResult, message: string) => void };

function CartLineRow({ line, onResult }: RowProps) {
  const [quantity, setQuantity] = useState(String(line.quantity));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputId = `quantity-${line.productId}`;
  const errorId = `error-${line.productId}`;
  useEffect(() => setQuantity(String(line.quantity)), [line.quantity]);

  // A guarded form: while one request for this line runs, further submits are ignored.
  async function run(action: () => Promise<CartResult>, message: string) {
    if (busy) return;
    setBusy(true);
    try {
      const result = await action();
      setError(result.ok ? null : result.error);
      onResult(result, message);
    } catch {
      setError("Could not reach the shop. Please try again.");
    } finally {
      setBusy(false);
    }
  }

  function handleUpdate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(
      () => updateCartQuantity({ productId: line.productId, quantity }),
      `${line.name} quantity updated to ${quantity}.`,
    );
  }

  return (
    <li className="flex flex-col gap-4 p-5 sm:flex-row sm:items-start">
      <Link href={`/products/${line.slug}`} className="shrink-0 overflow-hidden rounded-lg bg-stone-100">
        <Image src={line.image} alt="" width={96} height={96} className="size-24" />
      </Link>
      <div className="flex-1 space-y-2">
        <div className="flex items-start justify-between gap-4">
          <div>
            <Link href={`/products/${line.slug}`} className="font-semibold text-stone-900 hover:underline">
              {line.name}
            </Link>
            <p className="text-sm text-stone-600">{formatMoney(line.unitPrice, line.currency)} each</p>
          </div>
          <p className="font-semibold tabular-nums text-stone-900" aria-label={`Line total for ${line.name}`}>
            {formatMoney(line.lineTotal, line.currency)}
          </p>
        </div>
        {line.problem && <p className="text-sm font-medium text-amber-800">{line.problem}</p>}
        <div className="flex flex-wrap items-end gap-x-4 gap-y-2">
          <form onSubmit={handleUpdate} noValidate>
            <label htmlFor={inputId} className="block text-sm font-medium text-stone-700">
              Quantity of {line.name}
            </label>
            <div className="mt-1 flex gap-2">
              <input
                id={inputId}
                name="quantity"
                type="number"
                inputMode="numeric"
                min={1}
                max={Math.max(1, line.maxQuantity)}
                value={quantity}
                onChange={(event) => setQuantity(event.target.value)}
                aria-invalid={error ? true : undefined}
                aria-describedby={errorId}
                className="w-24 rounded-md border border-stone-400 bg-white px-3 py-2 tabular-nums text-stone-900"
              />
              <button
                type="submit"
                disabled={busy}
                className="rounded-md border border-stone-400 bg-white px-4 py-2 text-sm font-semibold text-stone-800 hover:border-brand-700 disabled:opacity-60"
              >
                Update
              </button>
            </div>
          </form>
          <button
            type="button"
            disabled={busy}
            onClick={() => void run(() => removeFromCart({ productId: line.productId }), `${line.name} removed from your cart.`)}
            aria-label={`Remove ${line.name}`}
            className="rounded-md px-3 py-2 text-sm font-semibold text-red-800 underline-offset-4 hover:underline disabled:opacity-60"
          >
            Remove
          </button>
        </div>
        <p id={errorId} aria-live="polite" className="min-h-5 text-sm font-medium text-red-700">
          {error}
        </p>
      </div>
    </li>
  );
}
