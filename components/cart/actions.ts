"use server";

import { redirect } from "next/navigation";
import { cartAfterPost } from "@/components/cart/posted";
import type { AddItemInput, CartResult, RemoveItemInput, SetQuantityInput } from "@/lib/cart/rules";
import { addItem, removeItem, setItemQuantity, type CartOutcome } from "@/lib/cart/store";
import { readCartCookie, writeCartCookie } from "@/lib/cart-cookie";

// Thin wrappers: lib/cart/store.ts parses the input and applies the rules; here we only move the cart id
// between the cookie and the domain. The cookie is written only when the id changes (a new cart), because
// setting a cookie makes Next.js refresh the page.
//
// Two ways in. After hydration the components call addToCart / updateCartQuantity / removeFromCart with an
// object and show the result in place. Before hydration, or with JavaScript off, the same forms are posted
// as plain HTML forms to addToCartForm / changeCartLineForm, which answer with a redirect to the cart page
// carrying the outcome's code (components/cart/posted.ts). A redirect, not the form's state
// (useActionState): Next.js renders a plain post's answer by resuming the page's prerendered shell, and
// that resume never receives the form state, so the page would not show the outcome.

async function settle(current: string | undefined, outcome: CartOutcome): Promise<CartResult> {
  if (outcome.cartId && outcome.cartId !== current) await writeCartCookie(outcome.cartId);
  return outcome.result;
}

// The inputs are typed for our own components; the rules parse them as untrusted all the same.

export async function addToCart(input: AddItemInput): Promise<CartResult> {
  const current = await readCartCookie();
  return settle(current, await addItem(current, input));
}

export async function updateCartQuantity(input: SetQuantityInput): Promise<CartResult> {
  const current = await readCartCookie();
  return settle(current, await setItemQuantity(current, input));
}

export async function removeFromCart(input: RemoveItemInput): Promise<CartResult> {
  const current = await readCartCookie();
  return settle(current, await removeItem(current, input));
}

/** A text field of a posted form; absent (or a file) reads as undefined, which the rules refuse or default. */
function field(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  return typeof value === "string" ? value : undefined;
}

// Where an action's input type wants a string, a missing field goes on as "": the rules refuse "" with the
// same code and sentence as a missing value.

/** The product page's add-to-cart form (fields variantId, quantity), posted as a plain form. */
export async function addToCartForm(form: FormData): Promise<void> {
  const variantId = field(form, "variantId") ?? "";
  redirect(cartAfterPost("add", variantId, await addToCart({ variantId, quantity: field(form, "quantity") })));
}

/** A cart line's form (fields variantId, quantity, and the pressed button's intent), posted as a plain form. */
export async function changeCartLineForm(form: FormData): Promise<void> {
  const variantId = field(form, "variantId") ?? "";
  if (field(form, "intent") === "remove") redirect(cartAfterPost("remove", variantId, await removeFromCart({ variantId })));
  redirect(cartAfterPost("update", variantId, await updateCartQuantity({ variantId, quantity: field(form, "quantity") ?? "" })));
}
