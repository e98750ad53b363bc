import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { CheckoutFlow } from "@/components/checkout/checkout-flow";
import { getCart } from "@/lib/cart/store";
import { readCartCookie } from "@/lib/cart-cookie";
import { quoteCheckout } from "@/lib/checkout/start";
import { COUNTRIES, US_STATES } from "@/lib/countries";
import { browserStripeConfig } from "@/lib/payments/browser";

export const metadata: Metadata = { title: "Checkout", robots: { index: false, follow: false } };

export default function CheckoutPage() {
  return (
    <div className="mx-auto max-w-4xl">
      <h1 className="text-3xl font-bold tracking-tight text-stone-900">Checkout</h1>
      {/* The fallback holds roughly the form's height, so the footer does not jump when it streams in. */}
      <Suspense fallback={<p className="mt-6 min-h-[60rem] text-stone-600">Loading your cart…</p>}>
        <CheckoutBody />
      </Suspense>
    </div>
  );
}

/** The form opens on the United States; its quote (rates, and taxes once a state is chosen) comes with the page. */
const FIRST_COUNTRY = "US";
const options = (entries: Record<string, string>) =>
  Object.entries(entries)
    .map(([code, name]) => ({ code, name }))
    .sort((a, b) => a.name.localeCompare(b.name, "en"));

async function CheckoutBody() {
  const cartId = await readCartCookie();
  const cart = await getCart(cartId);
  const blocked = cart.lines.find((line) => line.problem);
  if (cart.lines.length === 0 || cart.itemCount === 0 || blocked) {
    return (
      <div className="mt-6 rounded-xl border border-dashed border-stone-300 bg-white p-8 text-center">
        <p className="text-lg text-stone-700">
          {blocked ? `${blocked.name}: ${blocked.problem}. Update your cart to continue.` : "Your cart is empty."}
        </p>
        <Link href={blocked ? "/cart" : "/"} className="mt-4 inline-block font-semibold text-brand-800 underline underline-offset-4">
          {blocked ? "Back to your cart" : "Continue shopping"}
        </Link>
      </div>
    );
  }
  return (
    <CheckoutFlow
      cart={cart}
      stripe={browserStripeConfig()}
      countries={options(COUNTRIES)}
      usStates={options(US_STATES)}
      initialQuote={await quoteCheckout(cartId, { country: FIRST_COUNTRY })}
    />
  );
}
