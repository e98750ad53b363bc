import "server-only";
import { headers } from "next/headers";

// The address a request came from, for limits kept per address (staff sign-in, checkout starts).
//
// A client can send any X-Forwarded-For it likes; a proxy in front of the shop appends the address it saw
// to the END of that list (nginx's $proxy_add_x_forwarded_for, cloud load balancers). So the last entry
// is the one a client cannot choose, and a limit keyed on it cannot be escaped by rotating the header.
// Behind two proxies (a CDN in front of a load balancer) the last entry is the CDN's edge: limits then
// apply per edge, never per forged value. Without any proxy, `next start` sets the header to the socket's
// address only when the request carries none, so a deployment must not expose `next start` directly if
// its per-address limits matter (the per-cart limits hold either way).

/** The client's address as the nearest proxy saw it; "unknown" when no header names one. */
export function addressOf(forwardedFor: string | null, realIp: string | null): string {
  const hops = (forwardedFor ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  return hops.at(-1) ?? (realIp?.trim() || "unknown");
}

/** The requesting client's address; for Server Actions and route handlers (reads the request's headers). */
export async function clientIp(): Promise<string> {
  const list = await headers();
  return addressOf(list.get("x-forwarded-for"), list.get("x-real-ip"));
}
