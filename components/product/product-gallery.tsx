import { productPictures } from "@/lib/images/pictures";
import type { ProductSummary } from "@/lib/catalog";
import { ProductPicture } from "@/components/product/product-picture";

// Drawn widths, from the page's layout: main is at most max-w-6xl (1152 px) less padding, halved by the product
// page's two columns (532 px), and the whole width less padding below md; the others share that column two by two.
const MAIN_SIZES = "(min-width: 1152px) 532px, (min-width: 768px) 50vw, 100vw";
const MORE_SIZES = "(min-width: 1152px) 260px, (min-width: 768px) 25vw, 50vw";

/**
 * The product page's pictures: the first one large, the others below it, all static (no script). Each sits in a
 * square frame, whole (object-contain), as the legacy pictures and the cards are square: the layout does not
 * depend on a photo's proportions and nothing moves when it loads.
 */
export function ProductGallery({ product }: { product: Pick<ProductSummary, "name" | "image" | "images"> }) {
  const [main, ...more] = productPictures(product);
  return (
    <div className="space-y-3">
      <div className="overflow-hidden rounded-2xl border border-stone-200 bg-white">
        <ProductPicture picture={main} sizes={MAIN_SIZES} priority className="aspect-square w-full object-contain" />
      </div>
      {more.length > 0 && (
        <ul aria-label={`More pictures of ${product.name}`} className="grid grid-cols-2 gap-3">
          {more.map((picture) => (
            <li key={picture.src} className="overflow-hidden rounded-xl border border-stone-200 bg-white">
              <ProductPicture picture={picture} sizes={MORE_SIZES} className="aspect-square w-full object-contain" />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
