import { isSha256Hex, parseImageWidth } from "@/lib/images/rules";
import { renderImage } from "@/lib/images/store";

// An uploaded image as WebP at one of the allowed widths. The URL names the content (its sha256), so the answer
// never changes: browsers and CDNs keep it for a year without asking again. next/image reaches this through
// the custom loader in lib/images/loader.ts.
const IMMUTABLE = "public, max-age=31536000, immutable";

export async function GET(request: Request, { params }: { params: Promise<{ sha: string; width: string }> }): Promise<Response> {
  const { sha, width: widthParam } = await params;
  const width = parseImageWidth(widthParam);
  if (!isSha256Hex(sha) || width === null) return new Response("Not found", { status: 404 });
  // Strong: the bytes for a sha and width are fixed (the "w1" names the encoder settings in lib/images/store.ts).
  const etag = `"${sha}-${width}-w1"`;
  // A client holding this ETag holds these exact bytes: answer without touching the database.
  if (ifNoneMatch(request.headers.get("if-none-match"), etag)) {
    return new Response(null, { status: 304, headers: { ETag: etag, "Cache-Control": IMMUTABLE } });
  }
  const webp = await renderImage(sha, width);
  if (!webp) return new Response("Not found", { status: 404, headers: { "Cache-Control": "no-store" } });
  return new Response(webp as BodyInit, {
    headers: {
      "Content-Type": "image/webp",
      "Content-Length": String(webp.byteLength),
      "Cache-Control": IMMUTABLE,
      ETag: etag,
      "X-Content-Type-Options": "nosniff",
    },
  });
}

function ifNoneMatch(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((tag) => {
    const candidate = tag.trim();
    return candidate === "*" || candidate === etag || candidate === `W/${etag}`;
  });
}
