import "server-only";
import { isIP } from "node:net";
import { headers } from "next/headers";
import { siteEnv } from "@/lib/env";
import { SOCKET_ADDRESS_HEADER } from "@/lib/socket-address";

// The address a request came from, for limits kept per address (staff sign-in, checkout starts).
//
// Only what the shop can vouch for counts: the TCP peer (the socket), and in front of it as many
// X-Forwarded-For hops as TRUSTED_PROXY_HOPS says proxies of ours append (each appends the address it saw to
// the END of the list). Anything further left was written by the client and is ignored, so rotating or
// padding the header changes nothing.
//
// `next start` exposes no socket address to Server Actions: it fills X-Forwarded-For from the socket only
// when the client sent none. instrumentation.ts therefore stamps every incoming request with the socket's
// address in SOCKET_ADDRESS_HEADER before Next sees it (overwriting any client-sent value). Where that stamp
// is missing (a server that does not run our instrumentation), the last X-Forwarded-For entry is used, as
// before: per-address limits then hold only behind a proxy that appends to the header.

/** Longest text accepted as an address: an IPv6 address with a zone id fits; a padded header does not. */
const MAX_ADDRESS_LENGTH = 64;

function normalise(candidate: string | undefined): string | null {
  if (!candidate) return null;
  let address = candidate.trim().slice(0, MAX_ADDRESS_LENGTH + 2);
  if (address.startsWith("[") && address.endsWith("]")) address = address.slice(1, -1);
  if (address.length > MAX_ADDRESS_LENGTH || !isIP(address.split("%")[0]!)) return null;
  address = address.toLowerCase();
  // IPv4 clients of a dual-stack socket appear as ::ffff:a.b.c.d; one client, one key.
  return address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/**
 * The client's address: the socket's peer, or with `trustedHops` proxies in front of the shop the entry the
 * farthest trusted proxy appended. "unknown" when that entry is missing or is not an IP address.
 */
export function clientAddress(input: { socket: string | null; forwardedFor: string | null; trustedHops: number }): string {
  const forwarded = (input.forwardedFor ?? "").split(",");
  if (input.socket === null) {
    // No stamp: the nearest hop's entry is the best there is (see above).
    return normalise(forwarded.at(-1)) ?? "unknown";
  }
  if (input.trustedHops <= 0) return normalise(input.socket) ?? "unknown";
  // hops, nearest last: [...what the client and proxies wrote, the socket's peer]. The socket is the nearest
  // trusted proxy; each trusted proxy vouches for the entry it appended, so the client is `trustedHops` back.
  const hops = [...forwarded.map((hop) => hop.trim()).filter(Boolean), input.socket];
  const index = hops.length - 1 - input.trustedHops;
  return normalise(hops[index]) ?? "unknown";
}

/** The requesting client's address; for Server Actions and route handlers (reads the request's headers). */
export async function clientIp(): Promise<string> {
  const list = await headers();
  return clientAddress({
    socket: list.get(SOCKET_ADDRESS_HEADER),
    forwardedFor: list.get("x-forwarded-for"),
    trustedHops: siteEnv().TRUSTED_PROXY_HOPS,
  });
}
