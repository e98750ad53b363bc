import type { CartErrorCode } from "@/lib/result";

// The outcome of a cart change as a line of text, with what programs need beside it: data-code for a
// refusal, data-in-cart for an add. No hooks, so both the cart page (server) and the add button (client)
// render it.

/** A refusal: the code (or "unreachable" when the shop did not answer) and the sentence. */
export type Refusal = { code: CartErrorCode | "unreachable"; text: string };

/** After an add: the units of the product now in the cart. */
export type Status = { kind: "added"; inCart: number; text: string } | ({ kind: "refused" } & Refusal);

export function StatusLine({ status }: { status: Status | null }) {
  return (
    <p
      role="status"
      aria-live="polite"
      data-code={status?.kind === "refused" ? status.code : undefined}
      data-in-cart={status?.kind === "added" ? status.inCart : undefined}
      className={status?.kind === "refused" ? "min-h-6 text-sm font-medium text-red-700" : "min-h-6 text-sm text-stone-700"}
    >
      {status?.text}
    </p>
  );
}

/** What an add's answer says about the product it added. */
export function addedStatus(inCart: number, productName: string): Status {
  return { kind: "added", inCart, text: `Added to cart. You have ${inCart} × ${productName} in your cart.` };
}
