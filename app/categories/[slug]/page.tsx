import type { Metadata } from "next";
import { notFound, permanentRedirect } from "next/navigation";
import { getCategories, getCategory, getCategoryRedirect } from "@/lib/catalog";
import { ProductGrid } from "@/components/product/product-card";

type Props = { params: Promise<{ slug: string }> };

// Params are awaited outside <Suspense> on purpose: an unknown slug must answer with a real 404 status, so a
// navigation to a slug that was not prerendered may block. This tells the dev-time instant-navigation check so.
export const instant = false;

export async function generateStaticParams() {
  return (await getCategories()).map((category) => ({ slug: category.slug }));
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const found = await getCategory((await params).slug);
  if (!found) return { title: "Category not found" };
  const { category } = found;
  return {
    title: category.name,
    description: category.description,
    alternates: { canonical: `/categories/${category.slug}` },
    openGraph: { title: category.name, description: category.description, url: `/categories/${category.slug}` },
  };
}

export default async function CategoryPage({ params }: Props) {
  const { slug } = await params;
  const found = await getCategory(slug);
  if (!found) {
    // An old slug of a renamed category: its links keep working, permanently moved.
    const current = await getCategoryRedirect(slug);
    if (current) permanentRedirect(`/categories/${current}`);
    notFound();
  }
  const { category, products } = found;
  return (
    <div className="space-y-8">
      <header>
        <h1 className="text-3xl font-semibold tracking-tight">{category.name}</h1>
        <p className="mt-2 max-w-2xl text-stone-700">{category.description}</p>
      </header>
      {products.length > 0 ? (
        <ProductGrid products={products} label={`${category.name} products`} />
      ) : (
        <p className="text-stone-700">Nothing here right now. Check back soon.</p>
      )}
    </div>
  );
}
