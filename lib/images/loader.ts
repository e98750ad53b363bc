// next/image's loader (images.loaderFile in next.config.mjs): every <Image> in the shop asks it for URLs.
// An uploaded image's `src` is its sha256, and each width maps to /images/<sha>/<width>, rendered as WebP with
// immutable caching by app/images/[sha]/[width]/route.ts; next.config.mjs lists only the widths that route
// renders, so srcset offers those. Any other `src` (a path under /public, e.g. the seed's pictures) is served as
// it is: product pictures pass `unoptimized` for those, and elsewhere the `w` query only tells next/image that
// the loader honoured the width (static files ignore it).
import { imagePath, isSha256Hex } from "./rules";

export default function imageLoader({ src, width }: { src: string; width: number; quality?: number }): string {
  return isSha256Hex(src) ? imagePath(src, width) : `${src}?w=${width}`;
}
