import Link from "next/link";
import { getCategories } from "@/lib/catalog";

export async function SiteFooter() {
  const categories = await getCategories();
  return (
    <footer className="mt-16 border-t border-stone-200 bg-brand-950 text-stone-200">
      <div className="mx-auto grid max-w-6xl gap-8 px-4 py-10 sm:grid-cols-3 sm:px-6">
        <div>
          <h2 className="text-lg font-semibold text-white">Tidewater Goods</h2>
          <p className="mt-2 text-sm text-stone-300">Well-made things for home, desk and trail. Prices in US dollars.</p>
        </div>
        <nav aria-labelledby="footer-shop">
          <h2 id="footer-shop" className="text-sm font-semibold text-white">
            Shop
          </h2>
          <ul className="mt-2 space-y-1 text-sm">
            {categories.map((category) => (
              <li key={category.slug}>
                <Link href={`/categories/${category.slug}`} className="hover:text-white hover:underline">
                  {category.name}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <nav aria-labelledby="footer-help">
          <h2 id="footer-help" className="text-sm font-semibold text-white">
            Help
          </h2>
          <ul className="mt-2 space-y-1 text-sm">
            <li>
              <Link href="/search" className="hover:text-white hover:underline">
                Search
              </Link>
            </li>
            <li>
              <Link href="/cart" className="hover:text-white hover:underline">
                Your cart
              </Link>
            </li>
            <li>
              <Link href="/orders" className="hover:text-white hover:underline">
                Find your order
              </Link>
            </li>
          </ul>
        </nav>
      </div>
      <p className="border-t border-white/10 py-4 text-center text-xs text-stone-400">
        A demonstration shop: payments run against a Stripe test sandbox.
      </p>
    </footer>
  );
}
