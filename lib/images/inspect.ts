import "server-only";
import sharp, { type Metadata } from "sharp";
import type { Failure } from "@/lib/result";
import { fail } from "@/lib/result";
import { IMAGE_CONTENT_TYPES, IMAGE_ERRORS, MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, type ImageErrorCode } from "./rules";

type AcceptedFormat = keyof typeof IMAGE_CONTENT_TYPES;

export type InspectedImage = { ok: true; format: AcceptedFormat; contentType: string; width: number; height: number };

export function imageRefusal(code: ImageErrorCode): Failure<ImageErrorCode> {
  return fail(code, IMAGE_ERRORS[code]);
}

/**
 * sharp with the upload limits: `limitInputPixels` makes libvips refuse a decompression bomb from its header,
 * before a pixel is decoded; `failOn: "warning"` turns a truncated or corrupt image into an error, not grey rows.
 */
export function sharpForUpload(bytes: Uint8Array) {
  return sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: "warning" });
}

/**
 * Decides from the bytes alone (never the file name or the browser's content type) whether an upload is an image
 * the shop takes: JPEG, PNG, WebP or AVIF, at most 10 MB and 40 megapixels, and decodable to the end.
 */
export async function inspectUpload(bytes: Uint8Array): Promise<InspectedImage | Failure<ImageErrorCode>> {
  if (bytes.byteLength === 0) return imageRefusal("no_file");
  if (bytes.byteLength > MAX_IMAGE_BYTES) return imageRefusal("too_large");
  let metadata: Metadata;
  try {
    metadata = await sharpForUpload(bytes).metadata();
  } catch (error) {
    // libvips reads the header before anything else: an oversized image is refused here, still undecoded.
    if (error instanceof Error && /pixel limit/i.test(error.message)) return imageRefusal("too_many_pixels");
    return imageRefusal("unsupported_type");
  }
  const format = acceptedFormat(metadata);
  if (!format) return imageRefusal("unsupported_type");
  const { width, height } = metadata;
  if (!width || !height) return imageRefusal("damaged");
  if (width * height > MAX_IMAGE_PIXELS) return imageRefusal("too_many_pixels");
  try {
    // A full decode into a sink that keeps no pixels: a truncated file has a valid header and fails only here.
    await sharpForUpload(bytes).stats();
  } catch {
    return imageRefusal("damaged");
  }
  return { ok: true, format, contentType: IMAGE_CONTENT_TYPES[format], width, height };
}

function acceptedFormat(metadata: Metadata): AcceptedFormat | null {
  switch (metadata.format) {
    case "jpeg":
    case "png":
    case "webp":
      return metadata.format;
    case "heif":
      // HEIF is a container: only its AV1 flavour (AVIF) is accepted, not HEIC from phones.
      return metadata.compression === "av1" ? "heif" : null;
    default:
      return null;
  }
}
