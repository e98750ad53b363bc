"use client";

import Image from "next/image";
import Link from "next/link";
import { useEffect, useState, type FormEvent } from "react";
import { changeCartLineForm, removeFromCart, updateCartQuantity } from "@/components/cart/actions";
import { useCart } from "@/components/cart/cart-provider";
import type { Refusal } from "@/components/cart/status-line";
import type { CartLine, CartResult, CartView } from "@/lib/cart/rules";
import { variantName } from "@/lib/variant-name";
import { formatMoney } from "@/lib/money";

type Props = {
  initialCart: CartView;
  /** Refusals of plain form posts, by variant id, to show beside their lines (components/cart/posted.ts). */
  postedErrors?: Record<string, Refusal>;
};

/** The cart page body. Starts from the request's cart and then shows whatever each action returns. */
export function CartContents({ initialCart, postedErrors = {} }: Props) {
  const { cart, replace } = useCart();
  const [announcement, setAnnouncement] = useState("");
  useEffect(() => replace(initialCart), [initialCart, replace]);

  const view = cart ?? initialCart;
  return (
    <>
      {view.lines.length === 0 ? (
        <div className="rounded-xl border border-dashed border-stone-300 bg-white p-10 text-center">
          <p className="text-lg text-stone-700">Your cart is empty.</p>
          <Link href="/" className="mt-4 inline-block font-semibold text-brand-800 underline underline-offset-4">
            Continue shopping
          </Link>
        </div>
      ) : (
        <div className="grid gap-10 lg:grid-cols-[1fr_20rem]">
          <ul className="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white" aria-label="Items in your cart">
            {view.lines.map((line) => (
              <CartLineRow
                key={line.variantId}
                line={line}
                postedError={postedErrors[line.variantId] ?? null}
                onChanged={(changed, message) => {
                  replace(changed);
                  setAnnouncement(message);
                }}
              />
            ))}
          </ul>
          <aside className="h-fit rounded-xl border border-stone-200 bg-white p-6" aria-labelledby="summary-heading">
            <h2 id="summary-heading" className="text-lg font-semibold text-stone-900">
              Order summary
            </h2>
            <dl className="mt-4 flex items-center justify-between text-base">
              <dt className="text-stone-700">
                Subtotal ({view.itemCount} {view.itemCount === 1 ? "item" : "items"})
              </dt>
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
          </aside>
        </div>
      )}
      {/* One live region for both states, so removing the last line is announced too. */}
      <p className="sr-only" aria-live="polite">
        {announcement}
      </p>
    </>
  );
}

type RowProps = { line: CartLine; postedError: Refusal | null; onChanged: (cart: CartView, message: string) => void };

/**
 * One line: an HTML form with an Update and a Remove button, so it works before hydration and without
 * JavaScript (the browser posts it to changeCartLineForm and is redirected back here, a refusal's code in the
 * address). Once hydrated, submits are taken over and sent as updateCartQuantity / removeFromCart; while
 * one request for this line runs, further submits are ignored.
 */
function CartLineRow({ line, postedError, onChanged }: RowProps) {
  const [quantity, setQuantity] = useState(String(line.quantity));
  // undefined: nothing submitted since the page loaded, so a plain post's refusal (if any) is what to show.
  const [error, setError] = useState<Refusal | null | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const inputId = `quantity-${line.variantId}`;
  const errorId = `error-${line.variantId}`;
  // Two variants of one product are two lines: their labels and messages name the options too.
  const title = variantName(line.name, line.options);
  // A new quantity from the server (an update's answer) replaces what is typed in the field.
  const [serverQuantity, setServerQuantity] = useState(line.quantity);
  if (serverQuantity !== line.quantity) {
    setServerQuantity(line.quantity);
    setQuantity(String(line.quantity));
  }

  async function run(action: () => Promise<CartResult>, message: string) {
    setBusy(true);
    try {
      const result = await action();
      if (result.ok) {
        setError(null);
        onChanged(result.cart, message);
      } else {
        setError({ code: result.code, text: result.error });
      }
    } catch {
      setError({ code: "unreachable", text: "Could not reach the shop. Please try again." });
    } finally {
      setBusy(false);
    }
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    if (submitter?.getAttribute("value") === "remove") {
      void run(() => removeFromCart({ variantId: line.variantId }), `${title} removed from your cart.`);
    } else {
      void run(() => updateCartQuantity({ variantId: line.variantId, quantity }), `${title} quantity updated to ${quantity}.`);
    }
  }

  const shown = error !== undefined ? error : postedError;
  return (
    <li className="flex flex-col gap-4 p-5 sm:flex-row sm:items-start">
      {/* Not a link: the product name below is one, and a second link with no text would have no name. */}
      <div className="shrink-0 overflow-hidden rounded-lg bg-stone-100">
        {/* unoptimized: the list picture is served as stored (an upload at 200 px, 2x this box, or a legacy SVG). */}
        <Image src={line.image} alt="" width={96} height={96} unoptimized className="size-24 object-cover" />
      </div>
      <div className="flex-1 space-y-2">
        <div className="flex items-start justify-between gap-4">
          <div>
            <Link href={`/products/${line.slug}`} className="font-semibold text-stone-900 hover:underline">
              {line.name}
            </Link>
            {line.options && <p className="text-sm text-stone-700">{line.options}</p>}
            <p className="text-sm text-stone-600">{formatMoney(line.unitPrice, line.currency)} each</p>
          </div>
          <p className="font-semibold tabular-nums text-stone-900" aria-label={`Line total for ${title}`}>
            {formatMoney(line.lineTotal, line.currency)}
          </p>
        </div>
        {line.problem && <p className="text-sm font-medium text-amber-800">{line.problem}</p>}
        {/* noValidate: every quantity goes to the server, whose rules answer with the reason. */}
        <form action={changeCartLineForm} onSubmit={handleSubmit} noValidate className="flex flex-wrap items-end gap-x-4 gap-y-2">
          <input type="hidden" name="variantId" value={line.variantId} />
          <div>
            <label htmlFor={inputId} className="block text-sm font-medium text-stone-700">
              Quantity of {title}
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
                aria-invalid={shown ? true : undefined}
                aria-describedby={errorId}
                className="w-24 rounded-md border border-stone-400 bg-white px-3 py-2 tabular-nums text-stone-900"
              />
              {/* The first submit button: pressing Enter in the field updates. */}
              <button
                type="submit"
                name="intent"
                value="update"
                disabled={busy}
                className="rounded-md border border-stone-400 bg-white px-4 py-2 text-sm font-semibold text-stone-800 hover:border-brand-700 disabled:opacity-60"
              >
                Update
              </button>
            </div>
          </div>
          <button
            type="submit"
            name="intent"
            value="remove"
            disabled={busy}
            aria-label={`Remove ${line.name}`}
            className="rounded-md px-3 py-2 text-sm font-semibold text-red-800 underline-offset-4 hover:underline disabled:opacity-60"
          >
            Remove
          </button>
        </form>
        <p
          id={errorId}
          aria-live="polite"
          data-testid="line-error"
          data-code={shown?.code}
          className="min-h-5 text-sm font-medium text-red-700"
        >
          {shown?.text}
        </p>
      </div>
    </li>
  );
}
