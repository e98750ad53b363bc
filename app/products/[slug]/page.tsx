import type { Metadata } from "next";
import Link from "next/link";
import { notFound, permanentRedirect } from "next/navigation";
import { Suspense } from "react";
import { variantName } from "@/lib/variant-name";
import {
  getActiveProducts,
  getProduct,
  getProductRedirect,
  shownLineLimit,
  variantOptions,
  type ProductSummary,
  type VariantSummary,
} from "@/lib/catalog";
import { largestPicturePath, productPictures } from "@/lib/images/pictures";
import { isPurchasable, stockState } from "@/lib/stock-state";
import { firstPurchasableVariant, initialChoice } from "@/lib/variant-choice";
import { toDecimalString } from "@/lib/money";
import { absoluteUrl } from "@/lib/site";
import { AddToCartButton } from "@/components/cart/add-to-cart-button";
import { Price } from "@/components/product/price";
import { ProductGallery } from "@/components/product/product-gallery";
import { StockBadge } from "@/components/product/stock-badge";
import { VariantChoiceView, type VariantPurchase } from "@/components/product/variant-choice-view";
import { VariantPicker } from "@/components/product/variant-picker";

type Props = { params: Promise<{ slug: string }> };

// Params are awaited outside <Suspense> on purpose: an unknown slug must answer with a real 404 status, so a
// navigation to a slug that was not prerendered may block. This tells the dev-time instant-navigation check so.
export const instant = false;

export async function generateStaticParams() {
  return (await getActiveProducts()).map((product) => ({ slug: product.slug }));
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const product = await getProduct((await params).slug);
  if (!product) return { title: "Product not found" };
  return {
    title: product.name,
    description: product.description,
    alternates: { canonical: `/products/${product.slug}` },
    // Retired products stay reachable for old links but leave search engines' indexes.
    robots: product.active ? undefined : { index: false },
    openGraph: {
      title: product.name,
      description: product.description,
      url: `/products/${product.slug}`,
    },
  };
}

const availability = {
  in_stock: "https://schema.org/InStock",
  low: "https://schema.org/LimitedAvailability",
  sold_out: "https://schema.org/OutOfStock",
  unavailable: "https://schema.org/Discontinued",
} as const;

/** A variant as a catalog page judges it: on sale only while its product is too. */
const variantState = (product: ProductSummary, variant: VariantSummary) =>
  stockState({ stock: variant.stock, active: product.active && variant.active });

function productJsonLd(product: ProductSummary) {
  const [only] = product.variants;
  // One Offer per variant on sale, each with its SKU, price and availability.
  const offers = product.variants
    .filter((variant) => variant.active)
    .map((variant) => ({
      "@type": "Offer",
      url: absoluteUrl(`/products/${product.slug}`),
      sku: variant.sku,
      price: toDecimalString(variant.price, product.currency),
      priceCurrency: product.currency.toUpperCase(),
      availability: availability[variantState(product, variant).kind],
    }));
  return {
    "@context": "https://schema.org",
    "@type": "Product",
    name: product.name,
    description: product.description,
    // A product sold as one variant is that SKU; a product with several has one per offer.
    ...(product.variants.length === 1 && only ? { sku: only.sku } : {}),
    image: productPictures(product).map((picture) => absoluteUrl(largestPicturePath(picture))),
    category: product.category.name,
    offers,
  };
}

/** What the add button needs of each variant that can be bought, by variant id. */
function variantPurchases(product: ProductSummary): Record<string, VariantPurchase> {
  return Object.fromEntries(
    product.variants
      .filter((variant) => isPurchasable({ stock: variant.stock, active: product.active && variant.active }))
      .map((variant) => [
        variant.id,
        {
          productName: variantName(product.name, variantOptions(product, variant)),
          limit: shownLineLimit({ stock: variant.stock, active: product.active && variant.active }),
        },
      ]),
  );
}

export default async function ProductPage({ params }: Props) {
  const { slug } = await params;
  const product = await getProduct(slug);
  if (!product) {
    // An old slug of a renamed product: its links keep working, permanently moved.
    const current = await getProductRedirect(slug);
    if (current) permanentRedirect(`/products/${current}`);
    notFound();
  }
  const state = stockState(product);
  const variant = firstPurchasableVariant(product);
  const purchases = variantPurchases(product);
  const purchase = variant ? purchases[variant.id] : undefined;
  // "<" escaped so a product text can never close the script element.
  const jsonLd = JSON.stringify(productJsonLd(product)).replace(/</g, "\\u003c");
  const withPicker = product.options.length > 0 && product.active;

  // Without a picker (no options, or retired): the default variant's price, stock and form.
  const priceAndStock = (
    <div className="flex items-center gap-4">
      <Price amount={variant?.price ?? product.price} currency={product.currency} className="text-2xl font-semibold" />
      <StockBadge product={variant ? { stock: variant.stock, active: product.active && variant.active } : product} />
    </div>
  );
  const buy =
    variant && purchase ? (
      <AddToCartButton variantId={variant.id} productName={purchase.productName} limit={purchase.limit} />
    ) : (
      <p className="rounded-lg bg-stone-100 px-4 py-3 font-medium text-stone-700">
        {state.kind === "sold_out" ? "Sold out. We are restocking soon." : "This product is no longer available."}
      </p>
    );

  return (
    <article className="grid gap-10 md:grid-cols-2">
      <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonLd }} />
      <ProductGallery product={product} />
      <div className="space-y-6">
        <nav aria-label="Breadcrumb" className="text-sm text-stone-600">
          <Link href={`/categories/${product.category.slug}`} className="hover:text-stone-900 hover:underline">
            {product.category.name}
          </Link>
        </nav>
        <h1 className="text-3xl font-semibold tracking-tight sm:text-4xl">{product.name}</h1>
        {withPicker ? (
          <>
            <p className="text-lg leading-relaxed text-stone-700">{product.description}</p>
            {/* The fallback is the picker's own view of the default choice, radios disabled until it runs. */}
            <Suspense fallback={<VariantChoiceView product={product} purchases={purchases} choice={initialChoice(product, null)} />}>
              <VariantPicker product={product} purchases={purchases} />
            </Suspense>
          </>
        ) : (
          <>
            {priceAndStock}
            <p className="text-lg leading-relaxed text-stone-700">{product.description}</p>
            {buy}
          </>
        )}
      </div>
    </article>
  );
}
