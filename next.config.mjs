import { createRequire } from "node:module";
import { securityHeaderRules } from "./security-headers.mjs";

const require = createRequire(import.meta.url);

/**
 * Hosts whose pages may call the shop's Server Actions besides the request's own Host (Next refuses any
 * other Origin): the public origin from APP_URL, for a proxy that rewrites Host. Read at build and start.
 */
function serverActionOrigins() {
  try {
    return process.env.APP_URL ? [new URL(process.env.APP_URL).host] : [];
  } catch {
    return [];
  }
}

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Benchmarks and the chaos harness build into their own folder so they never clobber a developer's .next.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // Cache Components: catalog reads are cached with 'use cache' + cacheTag, and catalog pages prerender
  // whole (nothing on them is per visitor: the cart badge asks /api/cart from the browser).
  cacheComponents: true,
  // Several instances share one PostgreSQL: cache invalidations are shared through it (cache/*.mjs, see
  // README "Running several instances"). Entries themselves stay in each process's memory.
  cacheHandlers: { default: require.resolve("./cache/use-cache-handler.mjs") },
  cacheHandler: require.resolve("./cache/page-handler.mjs"),
  // pg-boss (lib/jobs) loads its own modules at run time: keep it out of the server bundle.
  serverExternalPackages: ["pg-boss"],
  // Rolling deployments: clients of an older build hard-navigate instead of mixing builds (optional).
  deploymentId: process.env.DEPLOYMENT_ID || undefined,
  // Product and category pages await params outside <Suspense> so unknown slugs answer with a real 404;
  // that is the non-partial-prefetching model.
  partialPrefetching: false,
  poweredByHeader: false,
  // Stripe's return to /checkout/return carries the intent's client secret in its query: keep it out of the
  // dev server's request log (the route moves it into a cookie and redirects).
  logging: { incomingRequests: { ignore: [/^\/checkout\/return/] } },
  reactStrictMode: true,
  experimental: { serverActions: { allowedOrigins: serverActionOrigins() } },
  // next/image asks lib/images/loader.ts for URLs: uploaded images come from /images/<sha>/<width>, rendered by the
  // shop itself (Next's /_next/image optimizer is never used). The widths listed are exactly those the route
  // renders (IMAGE_WIDTHS in lib/images/rules.ts; lib/images/rules.test.ts checks they match), so a srcset
  // never names a width twice or one the route refuses.
  images: { loader: "custom", loaderFile: "./lib/images/loader.ts", deviceSizes: [400, 800, 1200], imageSizes: [200] },
  // Security headers, fixed at build time (security-headers.mjs says why and what that asks of a build).
  async headers() {
    return securityHeaderRules({
      stripeJsUrl: process.env.STRIPE_JS_URL || undefined,
      stripeApiBase: process.env.STRIPE_API_BASE || undefined,
      production: process.env.NODE_ENV === "production",
    });
  },
};

export default nextConfig;
