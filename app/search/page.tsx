import type { Metadata } from "next";
import { Suspense } from "react";
import { normalizeQuery, searchCatalog } from "@/lib/catalog";
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
  if (!query) return <p className="text-stone-700">Type what you are looking for in the search box above.</p>;
  const results = await searchCatalog(query);
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
