import Image from "next/image";
import type { Picture } from "@/lib/images/pictures";

type Props = {
  picture: Picture;
  /** How wide the picture is drawn at each breakpoint, so the browser fetches the smallest width that is sharp. */
  sizes: string;
  className?: string;
  /** The page's main picture: fetched early, not lazily. */
  priority?: boolean;
  /** Next to a link that names the product already, the picture adds nothing for a screen reader. */
  decorative?: boolean;
};

/**
 * A product picture through next/image: an uploaded one from /images/<sha>/<width> (lib/images/loader.ts, the
 * widths the route renders); a legacy SVG as it is, since a vector needs no resizing. width and height carry the
 * picture's proportions, so its box is reserved before it loads.
 */
export function ProductPicture({ picture, sizes, className, priority, decorative }: Props) {
  return (
    <Image
      src={picture.src}
      alt={decorative ? "" : picture.alt}
      width={picture.width}
      height={picture.height}
      sizes={sizes}
      unoptimized={!picture.uploaded}
      priority={priority}
      className={className}
    />
  );
}
