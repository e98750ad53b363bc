"use client";

import Link from "next/link";

// Shown when a page throws (for example the database is unreachable); the layout around it keeps working.
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="mx-auto max-w-xl py-16 text-center">
      <h1 className="text-3xl font-semibold tracking-tight">Something went wrong</h1>
      <p className="mt-4 text-stone-700">We could not load this page. Please try again in a moment.</p>
      <div className="mt-8 flex justify-center gap-4">
        <button type="button" onClick={reset} className="rounded-lg bg-brand-800 px-5 py-2.5 font-semibold text-white hover:bg-brand-900">
          Try again
        </button>
        <Link href="/" className="rounded-lg border border-stone-400 px-5 py-2.5 font-semibold text-stone-800 hover:border-brand-700">
          Back to the shop
        </Link>
      </div>
    </div>
  );
}
