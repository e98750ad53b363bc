import Link from "next/link";
import type { CheckoutErrorCode } from "@/lib/result";

/** A checkout problem for the shopper: the sentence, and a way back to the cart when the cart is what needs fixing. */
export type CheckoutProblem = { message: string; fixInCart: boolean };

// Refusals the shopper resolves in the cart (a line sold out or gone, the checkout expired), not on this page.
const FIX_IN_CART: ReadonlySet<CheckoutErrorCode> = new Set([
  "cart_empty",
  "unavailable",
  "sold_out",
  "insufficient_stock",
  "checkout_expired",
]);

export function problemOf(code: CheckoutErrorCode, message: string): CheckoutProblem {
  return { message, fixInCart: FIX_IN_CART.has(code) };
}

/** The checkout's alert line: always present (its height reserved) so a message appearing shifts nothing. */
export function CheckoutAlert({ problem, id, testId }: { problem: CheckoutProblem | null; id?: string; testId?: string }) {
  return (
    <p id={id} role="alert" className="min-h-6 text-sm font-medium text-red-700" data-testid={testId}>
      {problem?.message}
      {problem?.fixInCart && (
        <>
          {" "}
          <Link href="/cart" className="underline underline-offset-4">
            Review your cart
          </Link>
        </>
      )}
    </p>
  );
}
