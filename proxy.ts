import { NextResponse } from "next/server";
import { securityHeaders } from "@/lib/security-headers";

// Security headers on every response, computed from the runtime environment (the Stripe origins differ
// between Stripe itself and the sandbox, and only production gets HSTS).
export function proxy() {
  const response = NextResponse.next();
  const headers = securityHeaders({
    stripeJsUrl: process.env.STRIPE_JS_URL || undefined,
    stripeApiBase: process.env.STRIPE_API_BASE || undefined,
    production: process.env.NODE_ENV === "production",
  });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Static build assets are immutable files; every page, route handler and public file gets the headers.
  matcher: ["/((?!_next/static|_next/image).*)"],
};
