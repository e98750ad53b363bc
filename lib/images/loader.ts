// next/image's custom loader for uploaded images. To use it, set `images: { loaderFile: "./lib/images/loader.ts" }`
// in next.config.mjs (or pass `loader={imageLoader}` to one <Image>), and give <Image> the image's sha256 as `src`
// plus `sizes` that fit the layout: the browser then picks from /images/<sha>/200…1200, each served as WebP with
// immutable caching by app/images/[sha]/[width]/route.ts, and Next's own optimizer is not involved.
// A `src` that is not a sha256 (a path under /public, e.g. the seed's pictures) is served as it is; the `w` query
// only tells next/image that the loader honoured the width (static files ignore it).
import { imagePath, isSha256Hex } from "./rules";

export default function imageLoader({ src, width }: { src: string; width: number; quality?: number }): string {
  return isSha256Hex(src) ? imagePath(src, width) : `${src}?w=${width}`;
}
