import { NextResponse } from "next/server";
import { pageSecurityHeaders } from "@/lib/security-headers";

// The Content-Security-Policy and Permissions-Policy of pages, computed from the runtime environment (the
// Stripe origins differ between Stripe itself and the sandbox). Headers that never change come from
// next.config.mjs headers(), for every response.
export function proxy() {
  const response = NextResponse.next();
  const headers = pageSecurityHeaders({
    stripeJsUrl: process.env.STRIPE_JS_URL || undefined,
    stripeApiBase: process.env.STRIPE_API_BASE || undefined,
    production: process.env.NODE_ENV === "production",
  });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Pages only: not build assets, image optimization, public files (a dot in the last segment), nor route
  // handlers under /api: a webhook's body must reach its route's own size limit without the proxy making
  // Next buffer it first.
  matcher: ["/((?!api/|_next/static|_next/image|.*\\.[A-Za-z0-9]+$).*)"],
};
