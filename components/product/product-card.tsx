import Link from "next/link";
import type { ProductSummary } from "@/lib/catalog";
import { productPictures } from "@/lib/images/pictures";
import { stockState } from "@/lib/stock-state";
import { Price } from "@/components/product/price";
import { ProductPicture } from "@/components/product/product-picture";
import { StockBadge } from "@/components/product/stock-badge";

// The grid's columns (ProductGrid) inside max-w-6xl less padding: four of 258 px from lg, two from sm, else one.
const CARD_SIZES = "(min-width: 1152px) 258px, (min-width: 1024px) 25vw, (min-width: 640px) 50vw, 100vw";

export function ProductCard({ product }: { product: ProductSummary }) {
  const showBadge = stockState(product).kind !== "in_stock";
  return (
    <li className="group relative flex flex-col overflow-hidden rounded-xl border border-stone-200 bg-white shadow-sm transition hover:shadow-md">
      <div className="aspect-square overflow-hidden bg-stone-100">
        <ProductPicture
          picture={productPictures(product)[0]}
          sizes={CARD_SIZES}
          decorative
          className="size-full object-cover transition duration-300 group-hover:scale-[1.03]"
        />
      </div>
      <div className="flex flex-1 flex-col gap-1 p-4">
        <p className="text-xs font-medium uppercase tracking-wide text-stone-600">{product.category.name}</p>
        <h3 className="font-semibold text-stone-900">
          {/* The link covers the whole card, but its accessible name stays the product name. */}
          <Link href={`/products/${product.slug}`} className="after:absolute after:inset-0">
            {product.name}
          </Link>
        </h3>
        <div className="mt-auto flex items-center justify-between pt-2">
          <Price amount={product.price} currency={product.currency} className="font-semibold text-stone-900" />
          {showBadge && <StockBadge product={product} />}
        </div>
      </div>
    </li>
  );
}

export function ProductGrid({ products, label }: { products: ProductSummary[]; label: string }) {
  return (
    <ul aria-label={label} className="grid grid-cols-1 gap-6 sm:grid-cols-2 lg:grid-cols-4">
      {products.map((product) => (
        <ProductCard key={product.id} product={product} />
      ))}
    </ul>
  );
}
