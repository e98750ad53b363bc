// Uploaded images end to end without a browser: the upload route (role checked, size limited, content sniffed),
// storage deduplicated by content, and the serving route's WebP, immutable caching and ETag revalidation.
// next/headers is the framework's request context: here it is a cookie jar the test controls.
import { randomBytes } from "node:crypto";
import sharp from "sharp";
import { describe, expect, it, vi } from "vitest";
import { openSession } from "@/lib/auth/sessions";
import type { StaffRole } from "@/lib/auth/roles";
import { prisma } from "@/lib/db";

const jar = new Map<string, string>();
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined),
    set: (name: string, value: string) => void jar.set(name, value),
    delete: (name: string) => void jar.delete(name),
  }),
  headers: async () => new Headers(),
}));

const upload = await import("@/app/admin/catalog/images/route");
const serve = await import("@/app/images/[sha]/[width]/route");
const { storeImage } = await import("@/lib/images/store");

async function signedInAs(role: StaffRole | null) {
  jar.clear();
  if (!role) return;
  const staff = await prisma.staff.create({
    data: { email: `${role}-${randomBytes(4).toString("hex")}@example.com`, role, passwordHash: "scrypt$16384$8$1$AAAA$AAAA" },
  });
  jar.set("admin_session", (await openSession(prisma, staff.id)).token);
}

/** A picture no other test makes: random noise of the given size. */
const picture = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: "#000", noise: { type: "gaussian", mean: 128, sigma: 60 } } });

function uploadRequest(bytes: Uint8Array, name = "photo.jpg") {
  const form = new FormData();
  form.set("file", new File([new Uint8Array(bytes)], name, { type: "image/jpeg" }));
  return new Request("http://shop.test/admin/catalog/images", { method: "POST", body: form });
}

const get = (sha: string, width: number, headers: Record<string, string> = {}) =>
  serve.GET(new Request(`http://shop.test/images/${sha}/${width}`, { headers }), {
    params: Promise.resolve({ sha, width: String(width) }),
  });

describe("storing images", () => {
  it("stores the same picture once, whatever it was called, and serves it as immutable WebP", async () => {
    const jpeg = await picture(1000, 600).jpeg().toBuffer();
    const first = await storeImage(jpeg);
    const second = await storeImage(jpeg);
    expect(first).toMatchObject({ ok: true, width: 1000, height: 600 });
    if (!first.ok || !second.ok) throw new Error("not stored");
    expect(second).toEqual(first);
    expect(await prisma.imageBlob.count({ where: { sha256: first.sha256 } })).toBe(1);

    const response = await get(first.sha256, 400);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/webp");
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const etag = response.headers.get("etag");
    expect(etag).toMatch(/^"[0-9a-f]{64}-400-\w+"$/);
    expect(await sharp(Buffer.from(await response.arrayBuffer())).metadata()).toMatchObject({ format: "webp", width: 400, height: 240 });

    const again = await get(first.sha256, 400, { "If-None-Match": etag! });
    expect(again.status).toBe(304);
    expect(await again.arrayBuffer()).toHaveProperty("byteLength", 0);
    // A small image is never enlarged: asking for 1200 gives its own 1000 px.
    expect(await sharp(Buffer.from(await (await get(first.sha256, 1200)).arrayBuffer())).metadata()).toHaveProperty("width", 1000);
  });

  it("answers 404 for an unknown sha, a malformed one or a width it does not render", async () => {
    expect((await get("0".repeat(64), 400)).status).toBe(404);
    expect((await get("../../etc/passwd", 400)).status).toBe(404);
    const stored = await storeImage(await picture(50, 50).png().toBuffer());
    if (!stored.ok) throw new Error("not stored");
    expect((await get(stored.sha256, 401)).status).toBe(404);
  });
});

describe("POST /admin/catalog/images", () => {
  it("lets staff and owners upload, and refuses viewers and strangers without storing anything", async () => {
    const jpeg = await picture(300, 200).jpeg().toBuffer();
    const blobs = await prisma.imageBlob.count();
    await signedInAs(null);
    expect((await upload.POST(uploadRequest(jpeg))).status).toBe(401);
    await signedInAs("viewer");
    const refused = await upload.POST(uploadRequest(jpeg));
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: "forbidden" });
    expect(await prisma.imageBlob.count()).toBe(blobs);

    for (const role of ["staff", "owner"] as const) {
      await signedInAs(role);
      const response = await upload.POST(uploadRequest(jpeg));
      expect(response.status).toBe(201);
      const body = (await response.json()) as { id: string; sha256: string; url: string; width: number; height: number };
      expect(body).toMatchObject({ width: 300, height: 200, url: `/images/${body.sha256}/400` });
    }
    expect(await prisma.imageBlob.count()).toBe(blobs + 1);
  });

  it("refuses a non-image named .png (415), a damaged image (400) and a form without a file (400)", async () => {
    await signedInAs("staff");
    const text = await upload.POST(uploadRequest(new TextEncoder().encode("not a picture"), "cat.png"));
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ code: "unsupported_type", error: expect.stringMatching(/not a JPEG, PNG, WebP or AVIF/) });
    const png = await picture(100, 100).png().toBuffer();
    expect((await upload.POST(uploadRequest(png.subarray(0, png.length - 200)))).status).toBe(400);
    const empty = new Request("http://shop.test/admin/catalog/images", { method: "POST", body: new FormData() });
    expect(await (await upload.POST(empty)).json()).toMatchObject({ code: "no_file" });
  });

  it("refuses more than 10 MB with 413, from Content-Length or while streaming a body without one", async () => {
    await signedInAs("staff");
    const declared = new Request("http://shop.test/admin/catalog/images", {
      method: "POST",
      headers: { "Content-Length": String(50 * 1024 * 1024), "Content-Type": "multipart/form-data; boundary=x" },
      body: "x",
    });
    expect((await upload.POST(declared)).status).toBe(413);

    let sent = 0;
    const chunk = new Uint8Array(1024 * 1024);
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const streamed = new Request("http://shop.test/admin/catalog/images", {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data; boundary=x" },
      body: endless,
      duplex: "half",
    } as RequestInit);
    const response = await upload.POST(streamed);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: "too_large" });
    expect(sent).toBeLessThanOrEqual(13 * 1024 * 1024); // the read stopped just past the limit (plus what the stream buffered)
  });
});
