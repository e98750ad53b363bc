import type { Metadata } from "next";
import { Suspense } from "react";
import { normalizeQuery, searchCatalog, type ProductSummary } from "@/lib/catalog";
import { ProductGrid } from "@/components/product/product-card";

export const metadata: Metadata = {
  title: "Search",
  description: "Search the Tidewater Goods catalog.",
  robots: { index: false },
};

type Props = { searchParams: Promise<{ q?: string | string[] }> };

export default function SearchPage({ searchParams }: Props) {
  return (
    <div className="space-y-8">
      <h1 className="text-3xl font-semibold tracking-tight">Search</h1>
      <Suspense fallback={<p className="text-stone-700">Searching…</p>}>
        <SearchResults searchParams={searchParams} />
      </Suspense>
    </div>
  );
}

async function SearchResults({ searchParams }: Props) {
  const query = normalizeQuery((await searchParams).q);
  const results = query ? await searchCatalog(query) : [];
  return (
    <div className="space-y-8">
      <form action="/search" role="search" className="flex max-w-xl gap-2">
        <label htmlFor="search-page-query" className="sr-only">
          Search the catalog
        </label>
        <input
          id="search-page-query"
          name="q"
          type="search"
          defaultValue={query}
          placeholder="Mugs, lamps, notebooks…"
          className="w-full rounded-md border border-stone-400 bg-white px-3 py-2 text-stone-900 placeholder:text-stone-500"
        />
        <button type="submit" className="rounded-md bg-brand-800 px-4 font-semibold text-white hover:bg-brand-900">
          Search
        </button>
      </form>
      {query ? <Results query={query} results={results} /> : null}
    </div>
  );
}

function Results({ query, results }: { query: string; results: ProductSummary[] }) {
  return (
    <section aria-labelledby="results-heading" className="space-y-6">
      <h2 id="results-heading" aria-live="polite" className="text-lg text-stone-700">
        {results.length === 0
          ? `No products match “${query}”.`
          : `${results.length} ${results.length === 1 ? "product matches" : "products match"} “${query}”`}
      </h2>
      {results.length > 0 && <ProductGrid products={results} label="Search results" />}
    </section>
  );
}
