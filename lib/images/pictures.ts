import type { ProductSummary } from "@/lib/catalog";
import { imagePath, LARGEST_IMAGE_WIDTH } from "./rules";

// What a page shows of a product: its uploaded images in order, else the legacy picture every seeded product
// has (a square SVG under /public). Pure, so pages and tests share it.

/** `src` is a sha256 for an uploaded image (lib/images/loader.ts turns it into /images/<sha>/<width>), else a path. */
export type Picture = { src: string; alt: string; width: number; height: number; uploaded: boolean };

/** The legacy SVGs are drawn on an 800 × 800 canvas. */
const LEGACY_SIZE = 800;

export function productPictures(product: Pick<ProductSummary, "name" | "image" | "images">): [Picture, ...Picture[]] {
  const [first, ...rest] = product.images.map((image) => ({
    src: image.sha256,
    alt: image.alt,
    width: image.width,
    height: image.height,
    uploaded: true,
  }));
  if (first) return [first, ...rest];
  return [{ src: product.image, alt: product.name, width: LEGACY_SIZE, height: LEGACY_SIZE, uploaded: false }];
}

/** A picture's path at the largest width served, for structured data and share previews. */
export function largestPicturePath(picture: Picture): string {
  return picture.uploaded ? imagePath(picture.src, LARGEST_IMAGE_WIDTH) : picture.src;
}
