import "server-only";
import { MAX_IMAGE_BYTES } from "./rules";

/** Room for the multipart envelope (boundaries, part headers) around a file of MAX_IMAGE_BYTES. */
const MULTIPART_OVERHEAD = 64 * 1024;
export const MAX_UPLOAD_BODY_BYTES = MAX_IMAGE_BYTES + MULTIPART_OVERHEAD;

/**
 * The request body, or null once it is larger than `limit`. A declared Content-Length over the limit is refused
 * before a byte is read; a body without one (chunked) or lying about it is counted while it streams and the read
 * is cancelled at the limit, so a 50 MB upload never sits in memory.
 */
export async function readBodyUpTo(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > limit) return null;
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** The one file in a multipart/form-data body, or null if there is none, more than one, or no such body. */
export async function singleFile(body: Uint8Array<ArrayBuffer>, contentType: string): Promise<File | null> {
  if (!contentType.toLowerCase().startsWith("multipart/form-data")) return null;
  let form: FormData;
  try {
    form = await new Response(body, { headers: { "Content-Type": contentType } }).formData();
  } catch {
    return null;
  }
  const files = [...form.values()].filter((value): value is File => typeof value !== "string");
  return files.length === 1 ? (files[0] ?? null) : null;
}

/**
 * Whether a request was sent by the shop's own pages: its Origin is APP_URL's origin, the one Server Actions
 * accept (next.config.mjs allowedOrigins). Browsers send Origin with every POST, so none at all is refused too.
 * The session cookie is SameSite=Lax, but a sibling subdomain is "same site": this check holds against it.
 */
export function fromShopOrigin(request: Request, appUrl: string): boolean {
  const origin = request.headers.get("origin");
  return origin !== null && origin === new URL(appUrl).origin;
}
