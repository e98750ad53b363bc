// The rules for uploaded images, pure so the browser (the editor's file picker) and the server share them.

/** Largest upload accepted, in bytes (10 MB). */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

/** Largest image accepted, in pixels (40 megapixels): sharp refuses bigger inputs before decoding them. */
export const MAX_IMAGE_PIXELS = 40_000_000;

/** The formats accepted, as sharp's metadata names them, with the content type each is stored under. */
export const IMAGE_CONTENT_TYPES = {
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  heif: "image/avif", // sharp reports AVIF as heif with compression "av1"
} as const;

/** The file picker's `accept`: a hint for the browser's dialog only, the server decides from the content. */
export const IMAGE_ACCEPT = Object.values(IMAGE_CONTENT_TYPES).join(",");

/** Widths /images/<sha>/<width> renders; next/image asks for the nearest one at or above what it needs. */
export const IMAGE_WIDTHS = [200, 400, 800, 1200] as const;
export type ImageWidth = (typeof IMAGE_WIDTHS)[number];
export const LARGEST_IMAGE_WIDTH: ImageWidth = 1200;

/** Why an upload was refused. */
export type ImageErrorCode =
  | "no_file" // the form carried no file, or more than one
  | "too_large" // more than MAX_IMAGE_BYTES
  | "too_many_pixels" // more than MAX_IMAGE_PIXELS
  | "unsupported_type" // not JPEG, PNG, WebP or AVIF (whatever the file's name says)
  | "damaged"; // looks like an image but does not decode (truncated or corrupt)

export const IMAGE_ERRORS: Record<ImageErrorCode, string> = {
  no_file: "Choose one image file to upload.",
  too_large: `The file is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB. Export a smaller version and try again.`,
  too_many_pixels: `The image is larger than ${MAX_IMAGE_PIXELS / 1_000_000} megapixels. Resize it and try again.`,
  unsupported_type: "This file is not a JPEG, PNG, WebP or AVIF image.",
  damaged: "This image is damaged or incomplete and cannot be read.",
};

/** The HTTP status each refusal answers with: a body too large is 413, an image with too many pixels a valid but refused 422. */
export const IMAGE_ERROR_STATUS: Record<ImageErrorCode, 400 | 413 | 415 | 422> = {
  no_file: 400,
  too_large: 413,
  too_many_pixels: 422,
  unsupported_type: 415,
  damaged: 400,
};

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function isSha256Hex(value: string): boolean {
  return SHA256_HEX.test(value);
}

/** The served width for a wanted one: the smallest allowed width that covers it, or the largest. */
export function nearestImageWidth(wanted: number): ImageWidth {
  return IMAGE_WIDTHS.find((w) => w >= wanted) ?? LARGEST_IMAGE_WIDTH;
}

export function parseImageWidth(value: string): ImageWidth | null {
  const width = Number(value);
  return (IMAGE_WIDTHS as readonly number[]).includes(width) && String(width) === value ? (width as ImageWidth) : null;
}

/** The URL of an image at a width: immutable, since the bytes behind a sha never change. */
export function imagePath(sha256: string, width: number): string {
  return `/images/${sha256}/${nearestImageWidth(width)}`;
}
