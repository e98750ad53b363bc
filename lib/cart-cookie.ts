import "server-only";
import { cookies } from "next/headers";
import { siteEnv } from "@/lib/env";

// The browser's only handle on its cart. HttpOnly keeps it away from scripts; Lax sends it on top-level
// navigations (so links into the shop from elsewhere keep the cart) but not on cross-site POSTs.
export const CART_COOKIE = "cart_id";
const THIRTY_DAYS_IN_SECONDS = 60 * 60 * 24 * 30;

export async function readCartCookie(): Promise<string | undefined> {
  return (await cookies()).get(CART_COOKIE)?.value;
}

/** Only callable from a Server Action or Route Handler (Next.js forbids setting cookies while rendering). */
export async function writeCartCookie(cartId: string): Promise<void> {
  (await cookies()).set(CART_COOKIE, cartId, {
    httpOnly: true,
    sameSite: "lax",
    secure: siteEnv().NODE_ENV === "production",
    maxAge: THIRTY_DAYS_IN_SECONDS,
    path: "/",
  });
}
