import "server-only";
import type { FieldErrors, ProductData } from "@/lib/admin/catalog-rules";
import type { TaxClass } from "@/lib/pricing/types";
import { recordAudit, type Actor } from "@/lib/audit";
import { prisma, type Tx } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { IMAGE_WIDTHS, imagePath } from "@/lib/images/rules";
import { fail, type Failure } from "@/lib/result";

// The catalog editor's storage. A save writes the whole product (fields, options, variants, images) and its audit
// entry in one transaction after lib/admin/catalog-rules.ts validated the form: anything refused rolls everything
// back, so nothing is ever half-saved. Catalog pages need no revalidation here: the database's triggers expire
// the product's cache tags when its rows change (migration 20261130140000_cache_tags).

export type SaveFailure = (Failure<"invalid_fields"> & { fieldErrors: FieldErrors }) | Failure<"conflict" | "not_found">;
type SaveResult = { ok: true; id: string; version: number } | SaveFailure;

const CONFLICT_MESSAGE = "This product was changed by someone else since you opened it. Reload to see their changes; nothing was saved.";

/** Shown until the product has an uploaded image. */
const PLACEHOLDER_IMAGE = "/products/placeholder.svg";

/**
 * The product's list picture (`Product.image`, which cart lines show): its first uploaded image at the smallest
 * width served, enough for the cart's 96 px thumbnail at 2x.
 */
function listPicture(images: NonNullable<ProductData["images"]>, shas: Map<string, string>, current: string): string {
  const first = images[0];
  if (first) return imagePath(shas.get(first.blobId)!, IMAGE_WIDTHS[0]);
  // No uploads left: a legacy /public picture (a seeded product's) stays; a removed upload's path gives way to the placeholder.
  return current.startsWith("/images/") ? PLACEHOLDER_IMAGE : current;
}

/** Thrown inside a save's transaction to roll it back and answer `failure`. */
class Refusal extends Error {
  constructor(readonly failure: SaveFailure) {
    super(failure.error);
  }
}

const invalidFields = (fieldErrors: FieldErrors) =>
  fail("invalid_fields", "Some fields need attention; nothing was saved.", { fieldErrors }) as SaveFailure;

export async function createProduct(actor: Actor, data: ProductData): Promise<SaveResult> {
  return save(async (tx) => {
    const shas = await checkReferences(tx, data, null, []);
    const product = await tx.product.create({
      data: { ...productFields(data), image: listPicture(data.images ?? [], shas, PLACEHOLDER_IMAGE) },
      // The class as stored: the schema's default when the form left it out.
      select: { id: true, taxClass: true },
    });
    const valueIds = await syncOptions(tx, product.id, data, []);
    for (const [position, variant] of data.variants.entries()) await createVariant(tx, product.id, variant, position, valueIds);
    await createImages(tx, product.id, data.images ?? []);
    await recordAudit(tx, actor, {
      action: "product.create",
      subjectType: "product",
      subjectId: product.id,
      details: {
        ...productFields(data),
        taxClass: product.taxClass,
        options: optionsText(data.options),
        skus: data.variants.map((v) => v.sku),
        weightGrams: Object.fromEntries(data.variants.map((v) => [v.sku, v.weightGrams ?? 0])),
        images: imagesText(data.images ?? [], shas),
      },
    });
    return { ok: true, id: product.id, version: 0 };
  });
}

/**
 * Saves the form opened at `seenVersion`. Two staff saving from the same version: the first one's UPDATE
 * moves the version on (and holds the row until it commits), so the second one's matches no row and is refused
 * as a conflict, never a silent overwrite.
 */
export async function updateProduct(actor: Actor, id: string, seenVersion: number, data: ProductData): Promise<SaveResult> {
  return save(async (tx) => {
    const bumped = await tx.$executeRaw`UPDATE "Product" SET version = version + 1 WHERE id = ${id} AND version = ${seenVersion}`;
    if (bumped === 0) {
      const exists = await tx.product.findUnique({ where: { id }, select: { id: true } });
      throw new Refusal(exists ? fail("conflict", CONFLICT_MESSAGE) : fail("not_found", "No such product"));
    }
    const before = await tx.product.findUniqueOrThrow({
      where: { id },
      include: {
        options: { include: { values: true }, orderBy: { position: "asc" } },
        variants: { include: { values: true } },
        images: { orderBy: { position: "asc" }, select: { blobId: true, alt: true, blob: { select: { sha256: true } } } },
      },
    });
    const valueText = new Map(
      before.options.flatMap((option) => option.values.map((value) => [value.id, { option: option.name, value: value.value }])),
    );
    const combination = (valueIds: string[]) =>
      data.options.map((option) => valueIds.map((v) => valueText.get(v)).find((v) => v?.option === option.name)?.value ?? null);

    // Rows the form names but that belong to another product are treated as new rows.
    const ownIds = new Set(before.variants.map((variant) => variant.id));
    const formVariants = data.variants.map((variant) => (variant.id && ownIds.has(variant.id) ? variant : { ...variant, id: undefined }));
    const keptIds = new Set(formVariants.flatMap((variant) => (variant.id ? [variant.id] : [])));
    const removed = before.variants.filter((variant) => !keptIds.has(variant.id));
    // A variant in a cart or an order is archived, not deleted: carts restrict its deletion, and deleting one
    // that holds a reservation would lose the units its order must release on cancel.
    // One after the other: a transaction is one connection, and pg will stop queueing queries sent at once.
    const removedIds = removed.map((v) => v.id);
    const inCarts = await tx.cartItem.findMany({ where: { variantId: { in: removedIds } }, select: { variantId: true } });
    const inOrders = await tx.orderItem.findMany({ where: { variantId: { in: removedIds } }, select: { variantId: true } });
    const referenced = new Set([...inCarts, ...inOrders].map((row) => row.variantId));
    const archived = removed.filter((variant) => referenced.has(variant.id));
    const deleted = removed.filter((variant) => !referenced.has(variant.id));

    const errors: FieldErrors = {};
    for (const variant of archived) {
      const values = combination(variant.values.map((v) => v.valueId));
      const lost = variant.values.length > 0 && values.filter((v) => v !== null).length < variant.values.length;
      if (lost) errors.options = `Variant ${variant.sku} is in carts or orders and is kept (inactive): keep the options and values it uses`;
      const twin = formVariants.findIndex((v) => !v.id && JSON.stringify(v.values) === JSON.stringify(values));
      if (twin >= 0) errors[`variants.${twin}.values`] = `Variant ${variant.sku} (kept, inactive) has these values: keep its row instead`;
    }
    if (Object.keys(errors).length > 0) throw new Refusal(invalidFields(errors));
    const shas = await checkReferences(tx, data, id, [...keptIds, ...deleted.map((v) => v.id)]);

    await tx.productVariant.deleteMany({ where: { id: { in: deleted.map((v) => v.id) } } });
    await tx.productVariant.updateMany({ where: { id: { in: archived.map((v) => v.id) } }, data: { active: false } });
    // Re-derived on every save that sends the images, so a row written before list pictures existed is mended too.
    const image = data.images ? listPicture(data.images, shas, before.image) : before.image;
    await tx.product.update({ where: { id }, data: { ...productFields(data), image } });
    if (before.slug !== data.slug) {
      // The old address keeps working (app/products/[slug] redirects); returning to an old slug takes it back.
      await tx.productSlug.upsert({
        where: { slug: before.slug },
        create: { slug: before.slug, productId: id },
        update: { productId: id },
      });
      await tx.productSlug.deleteMany({ where: { slug: data.slug, productId: id } });
    }
    const valueIds = await syncOptions(tx, id, data, before.options);
    const beforeById = new Map(before.variants.map((variant) => [variant.id, variant]));
    // Kept rows whose SKU or values move step aside first, so two rows may swap them without a unique clash.
    const moving = formVariants.filter(
      (v) => v.id && (beforeById.get(v.id)!.sku !== v.sku || beforeById.get(v.id)!.optionKey !== optionKey(v, valueIds)),
    );
    for (const variant of moving) {
      await tx.productVariant.update({ where: { id: variant.id! }, data: { sku: `~${variant.id}`, optionKey: `~${variant.id}` } });
    }
    for (const [position, variant] of formVariants.entries()) {
      if (!variant.id) {
        await createVariant(tx, id, variant, position, valueIds);
        continue;
      }
      const ids = variantValueIds(variant, valueIds);
      await tx.productVariant.update({
        where: { id: variant.id },
        data: {
          sku: variant.sku,
          price: variant.price,
          stock: variant.stock,
          // Undefined (the form left weights out) leaves the saved weight alone.
          weightGrams: variant.weightGrams,
          active: variant.active,
          position,
          optionKey: optionKey(variant, valueIds),
        },
      });
      await tx.variantOptionValue.deleteMany({ where: { variantId: variant.id, valueId: { notIn: ids } } });
      await tx.variantOptionValue.createMany({ data: ids.map((valueId) => ({ variantId: variant.id!, valueId })), skipDuplicates: true });
    }
    // Rewritten only when the list changed: every ProductImage row written expires the product's pages.
    const imageList = (images: Array<{ blobId: string; alt: string }>) => JSON.stringify(images.map((i) => [i.blobId, i.alt]));
    const imagesChanged = data.images !== undefined && imageList(data.images) !== imageList(before.images);
    const shasBefore = new Map(before.images.map((image) => [image.blobId, image.blob.sha256]));
    if (imagesChanged) {
      await tx.productImage.deleteMany({ where: { productId: id } });
      await createImages(tx, id, data.images!);
    }

    await recordAudit(tx, actor, {
      action: "product.update",
      subjectType: "product",
      subjectId: id,
      details: {
        ...fieldChanges(
          before,
          data,
          optionsText(
            before.options.map((o) => ({ name: o.name, values: o.values.sort((a, b) => a.position - b.position).map((v) => v.value) })),
          ),
        ),
        ...variantChanges(before.variants, formVariants, archived, deleted),
        ...(imagesChanged ? { images: { from: imagesText(before.images, shasBefore), to: imagesText(data.images!, shas) } } : {}),
      },
    });
    return { ok: true, id, version: seenVersion + 1 };
  });
}

/** Runs a save's transaction; refusals and unique clashes with a concurrent save come back as answers. */
async function save(work: (tx: Tx) => Promise<SaveResult>): Promise<SaveResult> {
  try {
    return await prisma.$transaction(work);
  } catch (error) {
    if (error instanceof Refusal) return error.failure;
    // Another save took the slug or a SKU between this one's check and its write.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const clash = JSON.stringify(error.meta ?? {});
      return invalidFields(
        clash.includes("sku") ? { variants: "A SKU was just taken by another product" } : { slug: "This slug was just taken" },
      );
    }
    throw error;
  }
}

/**
 * The slug and SKUs are free (apart from rows this save replaces), the category and every image exist; else field
 * errors. Answers each image's sha256 by blob id.
 */
async function checkReferences(
  tx: Tx,
  data: ProductData,
  productId: string | null,
  replacedVariantIds: string[],
): Promise<Map<string, string>> {
  const errors: FieldErrors = {};
  // One query after another: a transaction is one connection.
  const slugOwner = await tx.product.findUnique({ where: { slug: data.slug }, select: { id: true } });
  const oldSlug = await tx.productSlug.findUnique({ where: { slug: data.slug } });
  // FOR SHARE: archiving the category waits for this save to commit and then counts its product, or this save
  // waits for the archive and sees it (lib/admin/categories.ts), so an archived category never gains an active product.
  const [category] = await tx.$queryRaw<Array<{ active: boolean }>>`SELECT active FROM "Category" WHERE id = ${data.categoryId} FOR SHARE`;
  const skus = await tx.productVariant.findMany({
    where: { sku: { in: data.variants.map((v) => v.sku), mode: "insensitive" }, id: { notIn: replacedVariantIds } },
    select: { sku: true },
  });
  const blobs = await tx.imageBlob.findMany({
    where: { id: { in: data.images?.map((image) => image.blobId) ?? [] } },
    select: { id: true, sha256: true },
  });
  if (slugOwner && slugOwner.id !== productId) errors.slug = "Another product has this slug";
  else if (oldSlug && oldSlug.productId !== productId) errors.slug = "This slug is an old address of another product";
  if (!category) errors.categoryId = "Choose a category";
  else if (!category.active && data.active) errors.categoryId = "This category is archived: choose another, or archive the product too";
  const taken = new Set(skus.map((row) => row.sku.toLowerCase()));
  for (const [i, variant] of data.variants.entries()) {
    if (taken.has(variant.sku.toLowerCase())) errors[`variants.${i}.sku`] = "Another variant already has this SKU";
  }
  const shas = new Map(blobs.map((blob) => [blob.id, blob.sha256]));
  for (const [i, image] of (data.images ?? []).entries()) {
    if (!shas.has(image.blobId)) errors[`images.${i}`] = "This image is not in the shop's storage: upload it again";
  }
  if (Object.keys(errors).length > 0) throw new Refusal(invalidFields(errors));
  return shas;
}

async function createImages(tx: Tx, productId: string, images: NonNullable<ProductData["images"]>): Promise<void> {
  await tx.productImage.createMany({
    data: images.map((image, position) => ({ productId, blobId: image.blobId, alt: image.alt, position })),
  });
}

/** The images for the audit trail, in order: each one's alt text and the start of its sha256. */
const imagesText = (images: Array<{ blobId: string; alt: string }>, shas: Map<string, string>) =>
  images.map((image) => `“${image.alt}” (${shas.get(image.blobId)?.slice(0, 12) ?? image.blobId})`).join("; ");

const productFields = (data: ProductData) => ({
  name: data.name,
  slug: data.slug,
  description: data.description,
  categoryId: data.categoryId,
  price: data.price,
  active: data.active,
  featured: data.featured,
  // Left out when the form did not send it, so a save neither writes nor reports it.
  ...(data.taxClass ? { taxClass: data.taxClass } : {}),
});

type StoredOption = { id: string; name: string; values: Array<{ id: string; value: string }> };
/** Per option (in the form's order): value text → value id. */
type ValueIds = Array<Map<string, string>>;

/** Makes the product's options and values those of the form, keeping the ids of those that stay. */
async function syncOptions(tx: Tx, productId: string, data: ProductData, before: StoredOption[]): Promise<ValueIds> {
  const wanted = new Set(data.options.map((option) => option.name));
  await tx.productOption.deleteMany({ where: { id: { in: before.filter((o) => !wanted.has(o.name)).map((o) => o.id) } } });
  const result: ValueIds = [];
  for (const [position, option] of data.options.entries()) {
    const existing = before.find((o) => o.name === option.name);
    const optionId = existing
      ? (await tx.productOption.update({ where: { id: existing.id }, data: { position }, select: { id: true } })).id
      : (await tx.productOption.create({ data: { productId, name: option.name, position }, select: { id: true } })).id;
    const stale = existing?.values.filter((v) => !option.values.includes(v.value)) ?? [];
    await tx.productOptionValue.deleteMany({ where: { id: { in: stale.map((v) => v.id) } } });
    const ids = new Map<string, string>();
    for (const [valuePosition, value] of option.values.entries()) {
      const kept = existing?.values.find((v) => v.value === value);
      const row = kept
        ? await tx.productOptionValue.update({ where: { id: kept.id }, data: { position: valuePosition }, select: { id: true } })
        : await tx.productOptionValue.create({ data: { optionId, value, position: valuePosition }, select: { id: true } });
      ids.set(value, row.id);
    }
    result.push(ids);
  }
  return result;
}

const variantValueIds = (variant: { values: string[] }, valueIds: ValueIds) => variant.values.map((value, o) => valueIds[o]!.get(value)!);
/** The sorted value ids joined by ",": "" for a product without options. */
const optionKey = (variant: { values: string[] }, valueIds: ValueIds) => variantValueIds(variant, valueIds).sort().join(",");

async function createVariant(tx: Tx, productId: string, variant: ProductData["variants"][number], position: number, valueIds: ValueIds) {
  const ids = variantValueIds(variant, valueIds);
  await tx.productVariant.create({
    data: {
      productId,
      sku: variant.sku,
      price: variant.price,
      stock: variant.stock,
      weightGrams: variant.weightGrams,
      active: variant.active,
      position,
      optionKey: optionKey(variant, valueIds),
      values: { create: ids.map((valueId) => ({ valueId })) },
    },
  });
}

const optionsText = (options: Array<{ name: string; values: string[] }>) =>
  options.map((o) => `${o.name}: ${o.values.join(", ")}`).join("; ");

/** The product's fields that the save changed, as { field: { from, to } }. */
function fieldChanges(
  before: ReturnType<typeof productFields> & { taxClass: TaxClass },
  data: ProductData,
  optionsBefore: string,
): Prisma.InputJsonObject {
  const changes: Record<string, { from: string | number | boolean; to: string | number | boolean }> = {};
  const after = productFields(data);
  for (const key of Object.keys(after) as Array<keyof typeof after>) {
    const to = after[key];
    if (to !== undefined && before[key] !== to) changes[key] = { from: before[key], to };
  }
  const optionsAfter = optionsText(data.options);
  if (optionsBefore !== optionsAfter) changes.options = { from: optionsBefore, to: optionsAfter };
  return changes;
}

type StoredVariant = { id: string; sku: string; price: number | null; stock: number; weightGrams: number; active: boolean };

function variantChanges(
  before: StoredVariant[],
  after: ProductData["variants"],
  archived: StoredVariant[],
  deleted: StoredVariant[],
): Prisma.InputJsonObject {
  const changes: Record<string, Prisma.InputJsonValue> = {};
  const added = after.filter((v) => !v.id).map((v) => v.sku);
  if (added.length > 0) changes.variantsAdded = added;
  if (archived.length > 0) changes.variantsArchived = archived.map((v) => v.sku);
  if (deleted.length > 0) changes.variantsDeleted = deleted.map((v) => v.sku);
  const changed: Record<string, Prisma.InputJsonObject> = {};
  for (const variant of after) {
    const old = before.find((v) => v.id === variant.id);
    if (!old) continue;
    const diff: Record<string, Prisma.InputJsonObject> = {};
    for (const key of ["sku", "price", "stock", "weightGrams", "active"] as const) {
      const to = variant[key];
      // A weight the form left out is not a change.
      if (to !== undefined && old[key] !== to) diff[key] = { from: old[key], to };
    }
    if (Object.keys(diff).length > 0) changed[old.sku] = diff;
  }
  if (Object.keys(changed).length > 0) changes.variantsChanged = changed;
  return changes;
}

type ProductListRow = { id: string; name: string; slug: string; category: string; active: boolean; variants: number; stock: number };

/** The editor's product list: by name, matching `search` in name, slug or SKU; archived products only when asked. */
export async function listProducts(search: string, archived: boolean): Promise<ProductListRow[]> {
  const rows = await prisma.product.findMany({
    where: {
      active: !archived,
      ...(search
        ? {
            OR: [
              { name: { contains: search, mode: "insensitive" } },
              { slug: { contains: search, mode: "insensitive" } },
              { variants: { some: { sku: { contains: search, mode: "insensitive" } } } },
            ],
          }
        : {}),
    },
    orderBy: { name: "asc" },
    take: 200,
    select: { id: true, name: true, slug: true, active: true, category: { select: { name: true } }, variants: { select: { stock: true } } },
  });
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    slug: row.slug,
    category: row.category.name,
    active: row.active,
    variants: row.variants.length,
    stock: row.variants.reduce((total, v) => total + v.stock, 0),
  }));
}

/** A product as the editor's form shows it, or null. */
export async function productForEdit(id: string) {
  const product = await prisma.product.findUnique({
    where: { id },
    include: {
      options: { orderBy: { position: "asc" }, include: { values: { orderBy: { position: "asc" } } } },
      variants: { orderBy: [{ position: "asc" }, { sku: "asc" }], include: { values: { select: { valueId: true } } } },
      images: {
        orderBy: { position: "asc" },
        select: { blobId: true, alt: true, blob: { select: { sha256: true, width: true, height: true } } },
      },
    },
  });
  if (!product) return null;
  return {
    id: product.id,
    version: product.version,
    currency: product.currency,
    name: product.name,
    slug: product.slug,
    description: product.description,
    categoryId: product.categoryId,
    price: product.price,
    active: product.active,
    featured: product.featured,
    taxClass: product.taxClass,
    options: product.options.map((option) => ({ name: option.name, values: option.values.map((v) => v.value) })),
    variants: product.variants.map((variant) => ({
      id: variant.id,
      // The values in the options' order, by text.
      values: product.options.map((option) => option.values.find((v) => variant.values.some((vv) => vv.valueId === v.id))?.value ?? ""),
      sku: variant.sku,
      price: variant.price,
      stock: variant.stock,
      weightGrams: variant.weightGrams,
      active: variant.active,
    })),
    images: product.images.map((image) => ({ blobId: image.blobId, alt: image.alt, ...image.blob })),
  };
}

/** The categories a product may be put in: the active ones, and the product's own even when archived (marked so). */
export async function listCategoryChoices(productId?: string) {
  const rows = await prisma.category.findMany({
    where: { OR: [{ active: true }, ...(productId ? [{ products: { some: { id: productId } } }] : [])] },
    orderBy: { position: "asc" },
    select: { id: true, name: true, active: true },
  });
  return rows.map((row) => ({ id: row.id, name: row.active ? row.name : `${row.name} (archived)` }));
}
