import "server-only";
import { createHash } from "node:crypto";
import sharp from "sharp";
import { prisma } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Failure } from "@/lib/result";
import { reencodeUpload } from "./encode";
import { inspectUpload } from "./inspect";
import { RenderCache } from "./render-cache";
import type { ImageErrorCode, ImageWidth } from "./rules";

// Image storage: PostgreSQL (ImageBlob), so every instance reads the same images and a restart loses none.
// This module is the only one that reads or writes image bytes; moving them to S3-compatible storage means
// changing storeImage/readOriginal here (keep ImageBlob's sha256, size and key columns, drop `bytes`).

export type StoredImage = { ok: true; id: string; sha256: string; width: number; height: number };

/**
 * Stores an upload, re-encoded without metadata (lib/images/encode.ts), once per content: two uploads of the same
 * picture share a row, keyed by the sha256 of the re-encoded bytes.
 */
export async function storeImage(bytes: Uint8Array): Promise<StoredImage | Failure<ImageErrorCode>> {
  const inspected = await inspectUpload(bytes);
  if (!inspected.ok) return inspected;
  const { data, width, height } = await reencodeUpload(bytes, inspected.format);
  const sha256 = createHash("sha256").update(data).digest("hex");
  const existing = await prisma.imageBlob.findUnique({ where: { sha256 }, select: { id: true, width: true, height: true } });
  if (existing) return { ok: true, sha256, ...existing };
  try {
    const blob = await prisma.imageBlob.create({
      data: { sha256, contentType: inspected.contentType, width, height, bytes: new Uint8Array(data) },
      select: { id: true, width: true, height: true },
    });
    return { ok: true, sha256, ...blob };
  } catch (error) {
    // The same picture uploaded twice at once: the other upload's row won the unique index; use it.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const winner = await prisma.imageBlob.findUniqueOrThrow({ where: { sha256 }, select: { id: true, width: true, height: true } });
      return { ok: true, sha256, ...winner };
    }
    throw error;
  }
}

/** At most this many bytes of rendered WebP per instance (a 1200 px product photo is 50 to 200 KB). */
const RENDER_CACHE_BYTES = 64 * 1024 * 1024;
const renders = new RenderCache(RENDER_CACHE_BYTES);

/** A stored image as WebP at `width` (never enlarged), or null if no image has this sha256. */
export async function renderImage(sha256: string, width: ImageWidth): Promise<Uint8Array | null> {
  return renders.get(`${sha256}/${width}`, async () => {
    const original = await readOriginal(sha256);
    if (!original) return null;
    const webp = await sharp(original).resize({ width, withoutEnlargement: true }).webp({ quality: 80 }).toBuffer();
    return new Uint8Array(webp);
  });
}

/** The stored (re-encoded) bytes of an image, or null. */
async function readOriginal(sha256: string): Promise<Uint8Array | null> {
  const blob = await prisma.imageBlob.findUnique({ where: { sha256 }, select: { bytes: true } });
  return blob?.bytes ?? null;
}
