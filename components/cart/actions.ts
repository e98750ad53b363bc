"use server";

import type { z } from "zod";
import { addItem, removeItem, setItemQuantity, type CartOutcome, type CartResult } from "@/lib/cart";
import type { addItemInput, removeItemInput, setQuantityInput } from "@/lib/cart";
import { readCartCookie, writeCartCookie } from "@/lib/cart-cookie";
import { revalidateCatalog } from "@/lib/catalog";
import { releaseExpiredReservations } from "@/lib/orders";

// Thin wrappers: lib/cart.ts parses the input with zod and applies the rules; here we only move the cart id
// between the cookie and the domain. The cookie is written only when the id changes (a new cart), because
// setting a cookie makes Next.js refresh the page.

async function settle(current: string | undefined, outcome: CartOutcome): Promise<CartResult> {
  if (outcome.cartId && outcome.cartId !== current) await writeCartCookie(outcome.cartId);
  return outcome.result;
}

export async function addToCart(input: z.input<typeof addItemInput>): Promise<CartResult> {
  // Stock held by abandoned checkouts goes back before anyone is told a product sold out (one indexed
  // query when nothing has expired).
  if ((await releaseExpiredReservations()) > 0) revalidateCatalog();
  const current = await readCartCookie();
  return settle(current, await addItem(current, input));
}

export async function updateCartQuantity(input: z.input<typeof setQuantityInput>): Promise<CartResult> {
  const current = await readCartCookie();
  return settle(current, await setItemQuantity(current, input));
}

export async function removeFromCart(input: z.input<typeof removeItemInput>): Promise<CartResult> {
  const current = await readCartCookie();
  return settle(current, await removeItem(current, input));
}
