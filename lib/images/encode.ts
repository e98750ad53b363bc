import "server-only";
import { sharpForUpload, type InspectedImage } from "./inspect";

/** Longest side kept: the largest served width is 1200 px, so 2400 leaves room for 2× screens and nothing more. */
const STORED_MAX_SIDE = 2400;

/**
 * Re-encodes an inspected upload in its own format. The output carries pixels only: sharp writes no metadata
 * unless asked (withMetadata/keepExif), so EXIF with camera and GPS, XMP, IPTC and the ICC profile (after
 * conversion to sRGB) are gone; `.rotate()` first applies the EXIF orientation, so the picture still stands upright.
 */
export async function reencodeUpload(bytes: Uint8Array, format: InspectedImage["format"]) {
  const image = sharpForUpload(bytes)
    .rotate()
    .resize({ width: STORED_MAX_SIDE, height: STORED_MAX_SIDE, fit: "inside", withoutEnlargement: true });
  const encoded =
    format === "jpeg"
      ? image.jpeg({ quality: 88, mozjpeg: true })
      : format === "png"
        ? image.png()
        : format === "webp"
          ? image.webp({ quality: 88 })
          : image.avif({ quality: 60 });
  const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}
