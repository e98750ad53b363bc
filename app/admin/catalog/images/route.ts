import { can } from "@/lib/auth/roles";
import { currentStaff } from "@/lib/auth/session";
import { siteEnv } from "@/lib/env";
import { imageRefusal } from "@/lib/images/inspect";
import { IMAGE_ERROR_STATUS, imagePath, MAX_IMAGE_BYTES, type ImageErrorCode } from "@/lib/images/rules";
import { storeImage } from "@/lib/images/store";
import { fromShopOrigin, MAX_UPLOAD_BODY_BYTES, readBodyUpTo, singleFile } from "@/lib/images/upload";

// Image upload for the catalog editor: multipart/form-data with one file field. Answers 201 { id, sha256, url,
// width, height } or { code, error }: 403 from another origin or a role that cannot change the catalog, 401
// without a session, 413 over 10 MB (before reading more than that), 415 for anything but JPEG, PNG, WebP or
// AVIF, 422 over 40 megapixels, 400 for no file or a damaged one. Nothing is stored unless all of that passes.
export async function POST(request: Request): Promise<Response> {
  // First, before the session is even read: a page on another origin gets nothing but this refusal.
  if (!fromShopOrigin(request, siteEnv().APP_URL)) {
    return Response.json({ code: "foreign_origin", error: "Upload images from the shop's own admin pages" }, { status: 403 });
  }
  const staff = await currentStaff();
  if (!staff) return Response.json({ code: "not_signed_in", error: "Sign in as staff to upload images" }, { status: 401 });
  if (!can(staff.role, "catalog.write")) {
    return Response.json({ code: "forbidden", error: "Your role does not allow changing the catalog" }, { status: 403 });
  }
  const body = await readBodyUpTo(request, MAX_UPLOAD_BODY_BYTES);
  if (!body) return refused("too_large");
  const file = await singleFile(body, request.headers.get("content-type") ?? "");
  if (!file) return refused("no_file");
  if (file.size > MAX_IMAGE_BYTES) return refused("too_large");
  const stored = await storeImage(new Uint8Array(await file.arrayBuffer()));
  if (!stored.ok) return refused(stored.code);
  const { id, sha256, width, height } = stored;
  return Response.json({ id, sha256, url: imagePath(sha256, width), width, height }, { status: 201 });
}

function refused(code: ImageErrorCode): Response {
  const { error } = imageRefusal(code);
  return Response.json({ code, error }, { status: IMAGE_ERROR_STATUS[code] });
}
