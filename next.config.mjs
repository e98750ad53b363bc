/** @type {import('next').NextConfig} */
const nextConfig = {
  // Benchmarks and the chaos harness build into their own folder so they never clobber a developer's .next.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // Cache Components: catalog reads are cached with 'use cache' + cacheTag; catalog pages prerender a static
  // shell and only the cart badge (cookie) streams in per request. /cart renders in full per request.
  cacheComponents: true,
  // Product and category pages await params outside <Suspense> so unknown slugs answer with a real 404;
  // that is the non-partial-prefetching model.
  partialPrefetching: false,
  poweredByHeader: false,
  // Stripe's return to /checkout/return carries the intent's client secret in its query: keep it out of the
  // dev server's request log (the route moves it into a cookie and redirects).
  logging: { incomingRequests: { ignore: [/^\/checkout\/return/] } },
  reactStrictMode: true,
};

export default nextConfig;
