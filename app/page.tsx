import Link from "next/link";
import { getCategories, getFeaturedProducts } from "@/lib/catalog";
import { ProductGrid } from "@/components/product/product-card";

export default async function HomePage() {
  const [featured, categories] = await Promise.all([getFeaturedProducts(), getCategories()]);
  return (
    <div className="space-y-14">
      <section className="overflow-hidden rounded-2xl bg-brand-900 px-6 py-14 text-white sm:px-12">
        <h1 className="max-w-2xl text-4xl font-semibold tracking-tight sm:text-5xl">Well-made things for home, desk and trail.</h1>
        <p className="mt-4 max-w-xl text-lg text-brand-100">
          Stoneware that holds heat, paper that takes ink, lamps that glow warm. Chosen to last, priced fairly.
        </p>
        <Link
          href={`/categories/${categories[0]?.slug ?? ""}`}
          className="mt-8 inline-block rounded-lg bg-white px-6 py-3 font-semibold text-brand-900 hover:bg-brand-50"
        >
          Shop {categories[0]?.name ?? "the catalog"}
        </Link>
      </section>

      <section aria-labelledby="featured-heading">
        <h2 id="featured-heading" className="mb-6 text-2xl font-semibold tracking-tight">
          Featured
        </h2>
        <ProductGrid products={featured} label="Featured products" />
      </section>

      <section aria-labelledby="categories-heading">
        <h2 id="categories-heading" className="mb-6 text-2xl font-semibold tracking-tight">
          Shop by category
        </h2>
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {categories.map((category) => (
            <li key={category.slug} className="relative rounded-xl border border-stone-200 bg-white p-5 hover:border-brand-700">
              <h3 className="font-semibold">
                <Link href={`/categories/${category.slug}`} className="after:absolute after:inset-0">
                  {category.name}
                </Link>
              </h3>
              <p className="mt-1 text-sm text-stone-600">{category.description}</p>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
