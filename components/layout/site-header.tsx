import Link from "next/link";
import { getCategories } from "@/lib/catalog";
import { CartBadge } from "@/components/cart/cart-badge";

export async function SiteHeader() {
  const categories = await getCategories();
  return (
    <header className="border-b border-stone-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-x-6 gap-y-3 px-4 py-4 sm:px-6">
        <Link href="/" className="flex items-center gap-2 text-lg font-semibold tracking-tight text-brand-900 sm:text-xl">
          <svg aria-hidden="true" viewBox="0 0 64 64" className="size-8">
            <rect width="64" height="64" rx="14" fill="#0f3d3e" />
            <path d="M8 40q6-6 12 0t12 0t12 0t12 0" stroke="#f5efe6" strokeWidth="5" fill="none" strokeLinecap="round" />
            <path d="M8 28q6-6 12 0t12 0t12 0t12 0" stroke="#7fc4bd" strokeWidth="5" fill="none" strokeLinecap="round" />
          </svg>
          Tidewater Goods
        </Link>
        <form action="/search" role="search" className="order-last flex w-full sm:order-none sm:ml-auto sm:w-72">
          <label htmlFor="site-search" className="sr-only">
            Search products
          </label>
          <input
            id="site-search"
            name="q"
            type="search"
            placeholder="Search products"
            className="w-full rounded-l-md border border-stone-400 bg-white px-3 py-2 text-sm text-stone-900 placeholder:text-stone-500"
          />
          <button
            type="submit"
            className="rounded-r-md border border-l-0 border-brand-800 bg-brand-800 px-3 text-sm font-semibold text-white hover:bg-brand-900"
          >
            Search
          </button>
        </form>
        <div>
          <CartBadge />
        </div>
      </div>
      <nav aria-label="Categories" className="border-t border-stone-100">
        <ul className="mx-auto flex max-w-6xl gap-1 overflow-x-auto px-2 py-1 sm:px-4">
          {categories.map((category) => (
            <li key={category.slug}>
              <Link
                href={`/categories/${category.slug}`}
                className="block rounded-md px-3 py-2 text-sm font-medium text-stone-700 hover:bg-stone-100 hover:text-stone-900"
              >
                {category.name}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}
