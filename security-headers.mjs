// @ts-check
// Every response header the shop sets on its own, as next.config.mjs `headers()` rules: no proxy runs on
// any request (a proxy made every page cost a Web Request/Response round, and made Next buffer webhook
// bodies before the route's own size limit).
//
// The Content-Security-Policy allows exactly what the pages use: our own origin, and Stripe.js with its
// frames and API, wherever STRIPE_JS_URL / STRIPE_API_BASE point (Stripe itself by default, the offline
// sandbox in development and tests). Those are read when the shop is BUILT (`next build` bakes headers()
// into the build), so build with the Stripe settings you run with. A sandbox on this machine (127.0.0.1
// or localhost) is allowed on any port, so a build keeps working with a sandbox restarted elsewhere.

const STRIPE_JS = "https://js.stripe.com";
const STRIPE_FRAMES = ["https://js.stripe.com", "https://hooks.stripe.com"];
const STRIPE_CONNECT = ["https://api.stripe.com", "https://m.stripe.network", "https://q.stripe.com", "https://r.stripe.com"];
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** @param {string} url */
const origin = (url) => new URL(url).origin;

/** A CSP source for `url`: its origin, or any port of it on this machine. @param {string} url */
function source(url) {
  const { protocol, hostname } = new URL(url);
  return LOOPBACK.has(hostname) ? `${protocol}//${hostname}:*` : origin(url);
}

/** @typedef {{ stripeJsUrl?: string, stripeApiBase?: string, production: boolean }} SecurityHeaderOptions */

/** @param {SecurityHeaderOptions} options */
export function contentSecurityPolicy({ stripeJsUrl, stripeApiBase, production }) {
  const scriptSource = stripeJsUrl ? source(stripeJsUrl) : STRIPE_JS;
  // A Stripe-compatible sandbox serves its Stripe.js, frames and API from one origin.
  const frames = stripeJsUrl ? [scriptSource] : STRIPE_FRAMES;
  const connect = [...(stripeJsUrl ? [scriptSource] : STRIPE_CONNECT), ...(stripeApiBase ? [source(stripeApiBase)] : [])];
  /** @type {Record<string, string[]>} */
  const directives = {
    "default-src": ["'self'"],
    // Next.js inlines its bootstrap scripts in prerendered pages, which nonces cannot reach; dev adds eval.
    "script-src": ["'self'", "'unsafe-inline'", scriptSource, ...(production ? [] : ["'unsafe-eval'"])],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", "https://*.stripe.com"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'", ...new Set(connect), ...(production ? [] : ["ws:", "wss:"])],
    "frame-src": frames,
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(" ")}`)
    .join("; ");
}

/**
 * next.config `headers()` rules: the constant headers on every response, the policies on pages only
 * (everything but route handlers under /api, build assets and files, which have a dot in their last segment).
 * @param {SecurityHeaderOptions} options
 */
export function securityHeaderRules(options) {
  const stripeOrigin = options.stripeJsUrl ? origin(options.stripeJsUrl) : STRIPE_JS;
  return [
    {
      source: "/:path*",
      headers: [
        { key: "X-Content-Type-Options", value: "nosniff" },
        { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
        { key: "X-Frame-Options", value: "DENY" },
        ...(options.production ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains; preload" }] : []),
      ],
    },
    {
      source: "/((?!api/|_next/|.*\\.[A-Za-z0-9]+$).*)",
      headers: [
        { key: "Content-Security-Policy", value: contentSecurityPolicy(options) },
        { key: "Permissions-Policy", value: `camera=(), microphone=(), geolocation=(), payment=(self "${stripeOrigin}")` },
      ],
    },
    // An order status page's address carries the secret token that opens it: no Referer at all, not even to
    // the shop's own pages (the last rule setting a header wins).
    { source: "/orders/status/:token", headers: [{ key: "Referrer-Policy", value: "no-referrer" }] },
  ];
}
