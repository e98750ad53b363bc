import type { Metadata } from "next";
import Link from "next/link";

// Its own title: a page that calls notFound() while rendering may never send its own metadata.
export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <div className="mx-auto max-w-xl py-16 text-center">
      <p className="text-sm font-semibold uppercase tracking-wide text-brand-800">404</p>
      <h1 className="mt-2 text-3xl font-semibold tracking-tight">We could not find that page</h1>
      <p className="mt-4 text-stone-700">The product or category may have moved, or the link may be mistyped.</p>
      <div className="mt-8 flex justify-center gap-4">
        <Link href="/" className="rounded-lg bg-brand-800 px-5 py-2.5 font-semibold text-white hover:bg-brand-900">
          Back to the shop
        </Link>
        <Link href="/search" className="rounded-lg border border-stone-400 px-5 py-2.5 font-semibold text-stone-800 hover:border-brand-700">
          Search
        </Link>
      </div>
    </div>
  );
}
