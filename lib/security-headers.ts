// Response headers of pages that depend on the environment (proxy.ts); the constant ones are in
// next.config.mjs headers(). The Content-Security-Policy allows exactly what the pages use: our
// own origin, and Stripe.js with its frames and API, wherever STRIPE_JS_URL / STRIPE_API_BASE point
// (Stripe itself by default, the offline sandbox in development and tests).

export type SecurityHeaderOptions = { stripeJsUrl?: string; stripeApiBase?: string; production: boolean };

const STRIPE_JS = "https://js.stripe.com";
const STRIPE_FRAMES = ["https://js.stripe.com", "https://hooks.stripe.com"];
const STRIPE_CONNECT = ["https://api.stripe.com", "https://m.stripe.network", "https://q.stripe.com", "https://r.stripe.com"];

const origin = (url: string) => new URL(url).origin;

export function contentSecurityPolicy({ stripeJsUrl, stripeApiBase, production }: SecurityHeaderOptions): string {
  const scriptOrigin = stripeJsUrl ? origin(stripeJsUrl) : STRIPE_JS;
  // A Stripe-compatible sandbox serves its Stripe.js, frames and API from one origin.
  const frames = stripeJsUrl ? [scriptOrigin] : STRIPE_FRAMES;
  const connect = [...(stripeJsUrl ? [scriptOrigin] : STRIPE_CONNECT), ...(stripeApiBase ? [origin(stripeApiBase)] : [])];
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    // Next.js inlines its bootstrap scripts in prerendered pages, which nonces cannot reach; dev adds eval.
    "script-src": ["'self'", "'unsafe-inline'", scriptOrigin, ...(production ? [] : ["'unsafe-eval'"])],
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

export function pageSecurityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(options),
    "Permissions-Policy": `camera=(), microphone=(), geolocation=(), payment=(self "${options.stripeJsUrl ? origin(options.stripeJsUrl) : STRIPE_JS}")`,
  };
}
