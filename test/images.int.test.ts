// Uploaded images end to end without a browser: the upload route (origin and role checked, size limited,
// content sniffed), storage deduplicated by content, the serving route's WebP, immutable caching and ETag
// revalidation, and images saved with a product in the catalog editor and read back by the shop and the cart.
// next/headers is the framework's request context: here it is a cookie jar the test controls; next/cache is
// mocked so the shop's cached catalog reads run as plain reads.
import { randomBytes } from "node:crypto";
import sharp from "sharp";
import { describe, expect, it, vi } from "vitest";
import type { ProductFormInput } from "@/lib/admin/catalog-rules";
import { openSession } from "@/lib/auth/sessions";
import type { StaffRole } from "@/lib/auth/roles";
import { prisma } from "@/lib/db";
import { siteEnv } from "@/lib/env";
import { jar } from "./support/next-request";

vi.mock("next/headers", () => import("./support/next-request"));
vi.mock("next/cache", () => ({ cacheTag: () => {}, cacheLife: () => {} }));

const upload = await import("@/app/admin/catalog/images/route");
const serve = await import("@/app/images/[sha]/[width]/route");
const { storeImage } = await import("@/lib/images/store");
const actions = await import("@/components/admin/actions");
const { getProduct } = await import("@/lib/catalog");
const { addItem, getCart, openCart } = await import("@/lib/cart/store");

/** The Origin a browser sends from the shop's own pages. */
const SHOP_ORIGIN = new URL(siteEnv().APP_URL).origin;

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

function uploadRequest(bytes: Uint8Array, name = "photo.jpg", origin: string | null = SHOP_ORIGIN) {
  const form = new FormData();
  form.set("file", new File([new Uint8Array(bytes)], name, { type: "image/jpeg" }));
  return new Request("http://shop.test/admin/catalog/images", { method: "POST", body: form, headers: origin ? { Origin: origin } : {} });
}

/** Uploads a new picture as the signed-in staff member: its blob id and sha256. */
async function uploaded(width = 120, height = 90) {
  const response = await upload.POST(uploadRequest(await picture(width, height).jpeg().toBuffer()));
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; sha256: string; width: number; height: number };
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
    // 640 is one of next/image's default widths: the shop's config lists only the route's own.
    expect((await get(stored.sha256, 640)).status).toBe(404);
    expect((await get(stored.sha256, 200)).status).toBe(200);
  });

  it("renders a width once and answers again with the same bytes", async () => {
    const stored = await storeImage(await picture(900, 300).png().toBuffer());
    if (!stored.ok) throw new Error("not stored");
    const first = new Uint8Array(await (await get(stored.sha256, 800)).arrayBuffer());
    const second = new Uint8Array(await (await get(stored.sha256, 800)).arrayBuffer());
    expect(second).toEqual(first);
    expect(await sharp(first).metadata()).toMatchObject({ format: "webp", width: 800, height: 267 });
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

  it("refuses an upload from another origin, or one without an Origin, before looking at the session", async () => {
    await signedInAs("owner");
    const jpeg = await picture(64, 64).jpeg().toBuffer();
    const blobs = await prisma.imageBlob.count();
    for (const origin of ["https://attacker.example", `${SHOP_ORIGIN}.attacker.example`, "null", null]) {
      const response = await upload.POST(uploadRequest(jpeg, "photo.jpg", origin));
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ code: "foreign_origin", error: expect.any(String) });
    }
    expect(await prisma.imageBlob.count()).toBe(blobs);
  });

  it("refuses an image over 40 megapixels with 422, without storing it", async () => {
    await signedInAs("staff");
    const bomb = await sharp({ create: { width: 10_000, height: 5_000, channels: 3, background: "#fff" } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    const response = await upload.POST(uploadRequest(bomb, "poster.png"));
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ code: "too_many_pixels", error: expect.stringMatching(/40 megapixels/) });
  });

  it("refuses a non-image named .png (415), a damaged image (400) and a form without a file (400)", async () => {
    await signedInAs("staff");
    const text = await upload.POST(uploadRequest(new TextEncoder().encode("not a picture"), "cat.png"));
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ code: "unsupported_type", error: expect.stringMatching(/not a JPEG, PNG, WebP or AVIF/) });
    const png = await picture(100, 100).png().toBuffer();
    expect((await upload.POST(uploadRequest(png.subarray(0, png.length - 200)))).status).toBe(400);
    const empty = new Request("http://shop.test/admin/catalog/images", {
      method: "POST",
      body: new FormData(),
      headers: { Origin: SHOP_ORIGIN },
    });
    expect(await (await upload.POST(empty)).json()).toMatchObject({ code: "no_file" });
  });

  it("refuses more than 10 MB with 413, from Content-Length or while streaming a body without one", async () => {
    await signedInAs("staff");
    const declared = new Request("http://shop.test/admin/catalog/images", {
      method: "POST",
      headers: { "Content-Length": String(50 * 1024 * 1024), "Content-Type": "multipart/form-data; boundary=x", Origin: SHOP_ORIGIN },
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
      headers: { "Content-Type": "multipart/form-data; boundary=x", Origin: SHOP_ORIGIN },
      body: endless,
      duplex: "half",
    } as RequestInit);
    const response = await upload.POST(streamed);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: "too_large" });
    expect(sent).toBeLessThanOrEqual(13 * 1024 * 1024); // the read stopped just past the limit (plus what the stream buffered)
  });
});

const hex = () => randomBytes(4).toString("hex");

let categoryId: Promise<string> | undefined;

/** A product without options whose images are `images`, with a fresh slug and SKU. */
async function productForm(images: ProductFormInput["images"]): Promise<ProductFormInput> {
  categoryId ??= prisma.category.create({ data: { slug: `pictured-${hex()}`, name: "Pictured", description: "" } }).then((c) => c.id);
  const tag = hex();
  return {
    name: "Pictured mug",
    slug: `pictured-mug-${tag}`,
    description: "Stoneware.",
    categoryId: await categoryId,
    price: "18.00",
    active: true,
    featured: false,
    options: [],
    variants: [{ values: [], sku: `PM-${tag}`, price: "", stock: "3", active: true }],
    images,
  };
}

/** The product's images as saved: blob id and alt text, in position order. */
const savedImages = async (productId: string) =>
  (await prisma.productImage.findMany({ where: { productId }, orderBy: { position: "asc" } })).map(({ blobId, alt, position, id }) => ({
    blobId,
    alt,
    position,
    id,
  }));

describe("images in the catalog editor", () => {
  it("saves a product's images in order with their alt text, and the shop shows them in that order", async () => {
    await signedInAs("staff");
    const [front, back, side] = [await uploaded(400, 300), await uploaded(300, 400), await uploaded(200, 200)];
    const form = await productForm([
      { blobId: back.id, alt: "Back of the mug" },
      { blobId: front.id, alt: "  Front of the mug,   with the handle  " },
      { blobId: side.id, alt: "Side" },
    ]);
    const created = await actions.createProductAction(form);
    if (!created.ok) throw new Error(`create refused: ${JSON.stringify(created)}`);

    expect((await savedImages(created.id)).map(({ blobId, alt, position }) => ({ blobId, alt, position }))).toEqual([
      { blobId: back.id, alt: "Back of the mug", position: 0 },
      { blobId: front.id, alt: "Front of the mug, with the handle", position: 1 },
      { blobId: side.id, alt: "Side", position: 2 },
    ]);
    const shown = await getProduct(form.slug);
    expect(shown?.images).toEqual([
      { sha256: back.sha256, alt: "Back of the mug", width: 300, height: 400 },
      { sha256: front.sha256, alt: "Front of the mug, with the handle", width: 400, height: 300 },
      { sha256: side.sha256, alt: "Side", width: 200, height: 200 },
    ]);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { subjectId: created.id, action: "product.create" } });
    expect(JSON.stringify(audit.details)).toContain("Back of the mug");
  });

  it("reorders and removes images in one save, records the change, and leaves the rows alone when nothing changed", async () => {
    await signedInAs("staff");
    const [a, b, c] = [await uploaded(), await uploaded(), await uploaded()];
    const form = await productForm([
      { blobId: a.id, alt: "A" },
      { blobId: b.id, alt: "B" },
      { blobId: c.id, alt: "C" },
    ]);
    const created = await actions.createProductAction(form);
    if (!created.ok) throw new Error(`create refused: ${JSON.stringify(created)}`);
    const variantId = (await prisma.productVariant.findFirstOrThrow({ where: { productId: created.id } })).id;
    const reopened = { ...form, id: created.id, variants: [{ ...form.variants[0]!, id: variantId }] };

    const reordered = [
      { blobId: c.id, alt: "C, now first" },
      { blobId: a.id, alt: "A" },
    ];
    const saved = await actions.updateProductAction({ ...reopened, version: 0, images: reordered });
    expect(saved).toMatchObject({ ok: true, version: 1 });
    const after = await savedImages(created.id);
    expect(after.map(({ blobId, alt }) => [blobId, alt])).toEqual([
      [c.id, "C, now first"],
      [a.id, "A"],
    ]);
    expect((await getProduct(form.slug))?.images.map((image) => image.sha256)).toEqual([c.sha256, a.sha256]);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { subjectId: created.id, action: "product.update" } });
    expect(audit.details).toMatchObject({
      images: { from: expect.stringContaining("“B”"), to: expect.not.stringContaining("“B”") },
    });

    // The same list again (a save of other fields): the rows stay as they are, so no page is expired for nothing.
    const again = await actions.updateProductAction({ ...reopened, name: "Pictured mug, renamed", version: 1, images: reordered });
    expect(again).toMatchObject({ ok: true, version: 2 });
    expect(await savedImages(created.id)).toEqual(after);

    // Without `images` the list stays; an empty list removes them all.
    expect(await actions.updateProductAction({ ...reopened, images: undefined, version: 2 })).toMatchObject({ ok: true });
    expect(await savedImages(created.id)).toEqual(after);
    expect(await actions.updateProductAction({ ...reopened, images: [], version: 3 })).toMatchObject({ ok: true });
    expect(await savedImages(created.id)).toEqual([]);
    expect((await getProduct(form.slug))?.images).toEqual([]);
  });

  it("shows a product's first image in the cart, and the placeholder once its images are removed", async () => {
    await signedInAs("staff");
    const [a, b] = [await uploaded(), await uploaded()];
    const form = await productForm([
      { blobId: a.id, alt: "A" },
      { blobId: b.id, alt: "B" },
    ]);
    const created = await actions.createProductAction(form);
    if (!created.ok) throw new Error(`create refused: ${JSON.stringify(created)}`);
    const variantId = (await prisma.productVariant.findFirstOrThrow({ where: { productId: created.id } })).id;
    const reopened = { ...form, id: created.id, variants: [{ ...form.variants[0]!, id: variantId }] };
    const { cartId } = await openCart(undefined);
    expect((await addItem(cartId, { variantId, quantity: 1 })).result).toMatchObject({ ok: true });
    const thumbnail = async () => (await getCart(cartId)).lines.map((line) => line.image);

    expect(await thumbnail()).toEqual([`/images/${a.sha256}/200`]);
    const reordered = [
      { blobId: b.id, alt: "B" },
      { blobId: a.id, alt: "A" },
    ];
    expect(await actions.updateProductAction({ ...reopened, version: 0, images: reordered })).toMatchObject({ ok: true });
    expect(await thumbnail()).toEqual([`/images/${b.sha256}/200`]);
    expect(await actions.updateProductAction({ ...reopened, version: 1, images: [] })).toMatchObject({ ok: true });
    expect(await thumbnail()).toEqual(["/products/placeholder.svg"]);
  });

  it("keeps a seeded product's own picture in the cart until an upload replaces it", async () => {
    await signedInAs("staff");
    const a = await uploaded();
    const form = await productForm([]);
    const seeded = await prisma.product.create({
      data: {
        name: form.name,
        slug: form.slug,
        description: form.description,
        categoryId: form.categoryId,
        price: 1800,
        image: "/products/stoneware-mug.svg",
        variants: { create: { sku: form.variants[0]!.sku, stock: 3 } },
      },
      include: { variants: { select: { id: true } } },
    });
    const reopened = { ...form, id: seeded.id, variants: [{ ...form.variants[0]!, id: seeded.variants[0]!.id }] };
    const { cartId } = await openCart(undefined);
    expect((await addItem(cartId, { variantId: seeded.variants[0]!.id, quantity: 1 })).result).toMatchObject({ ok: true });
    const thumbnail = async () => (await getCart(cartId)).lines.map((line) => line.image);

    expect(await actions.updateProductAction({ ...reopened, version: 0, images: [] })).toMatchObject({ ok: true });
    expect(await thumbnail()).toEqual(["/products/stoneware-mug.svg"]);
    expect(await actions.updateProductAction({ ...reopened, version: 1, images: [{ blobId: a.id, alt: "A" }] })).toMatchObject({
      ok: true,
    });
    expect(await thumbnail()).toEqual([`/images/${a.sha256}/200`]);
    // The seeded path is not kept anywhere once replaced: removing the upload shows the placeholder.
    expect(await actions.updateProductAction({ ...reopened, version: 2, images: [] })).toMatchObject({ ok: true });
    expect(await thumbnail()).toEqual(["/products/placeholder.svg"]);
  });

  it("refuses an image the shop does not hold, or missing or overlong alt text, with field errors and nothing saved", async () => {
    await signedInAs("staff");
    const [a, b] = [await uploaded(), await uploaded()];
    const products = await prisma.product.count();

    const unknown = await actions.createProductAction(
      await productForm([
        { blobId: a.id, alt: "Known" },
        { blobId: "blob-that-was-never-uploaded", alt: "Unknown" },
      ]),
    );
    expect(unknown).toMatchObject({
      ok: false,
      code: "invalid_fields",
      fieldErrors: { "images.1": expect.stringMatching(/upload it again/) },
    });

    const badAlt = await actions.createProductAction(
      await productForm([
        { blobId: a.id, alt: "   " },
        { blobId: b.id, alt: "x".repeat(251) },
        { blobId: a.id, alt: "Twice" },
      ]),
    );
    expect(badAlt).toMatchObject({ ok: false, code: "invalid_fields" });
    expect(badAlt.ok ? {} : "fieldErrors" in badAlt && badAlt.fieldErrors).toEqual({
      "images.0.alt": expect.stringMatching(/Describe what the picture shows/),
      "images.1.alt": "At most 250 characters",
      "images.2": "This picture is already in the list",
    });
    expect(await prisma.product.count()).toBe(products);
  });

  it("refuses a viewer's save with images", async () => {
    await signedInAs("viewer");
    const refused = await actions.createProductAction(await productForm([{ blobId: "any", alt: "Any" }]));
    expect(refused).toMatchObject({ ok: false, code: "forbidden" });
  });
});
