import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const production = process.env.NODE_ENV === "production";

// Response headers that never change between deployments. The Content-Security-Policy and
// Permissions-Policy name the Stripe origins, which come from the runtime environment, so proxy.ts adds
// them to pages only (lib/security-headers.ts builds both sets).
const constantHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  ...(production ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains; preload" }] : []),
];

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
  async headers() {
    return [{ source: "/:path*", headers: constantHeaders }];
  },
};

export default nextConfig;
