// The catalog editor's saves, through the server actions staff call: a whole product is written or nothing is,
// field errors come back keyed by field, and a save from a version someone else already saved over is refused.
// next/headers is the framework's request context (the session cookie); next/cache is mocked so the cached
// old-slug lookup runs as a plain read.
import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { combinations, type ProductFormInput } from "@/lib/admin/catalog-rules";
import type { StaffRole } from "@/lib/auth/roles";
import { openSession } from "@/lib/auth/sessions";
import { prisma } from "@/lib/db";
import { newCartId } from "@/lib/cart/rules";
import { jar } from "./support/next-request";

vi.mock("next/headers", () => import("./support/next-request"));
vi.mock("next/cache", () => ({ cacheTag: () => {}, cacheLife: () => {} }));

const actions = await import("@/components/admin/actions");
const { getProductRedirect } = await import("@/lib/catalog");

const hex = () => randomBytes(4).toString("hex");

async function signedInAs(role: StaffRole) {
  const staff = await prisma.staff.create({
    data: { email: `${role}-${hex()}@example.com`, role, passwordHash: "scrypt$16384$8$1$AAAA$AAAA" },
  });
  jar.set("admin_session", (await openSession(prisma, staff.id)).token);
  return staff;
}

let categoryId: string;
async function category() {
  categoryId ??= (await prisma.category.create({ data: { slug: `editor-${hex()}`, name: "Editor tests", description: "" } })).id;
  return categoryId;
}

/** A 2×2 T-shirt form with fresh slug and SKUs. */
async function teeForm(): Promise<ProductFormInput> {
  const tag = hex();
  return {
    name: "Editor tee",
    slug: `editor-tee-${tag}`,
    description: "Soft.",
    categoryId: await category(),
    price: "25.00",
    active: true,
    featured: false,
    options: [
      { name: "Size", values: "S, M" },
      { name: "Colour", values: "Navy, Sand" },
    ],
    variants: combinations([{ values: ["S", "M"] }, { values: ["Navy", "Sand"] }]).map((values) => ({
      values,
      sku: `ED-${tag}-${values.join("-")}`,
      price: "",
      stock: "4",
      active: true,
    })),
  };
}

async function created(form: ProductFormInput) {
  const result = await actions.createProductAction(form);
  if (!result.ok) throw new Error(`create refused: ${JSON.stringify(result)}`);
  return result;
}

/** The form as the edit page would fill it for the product `id` (variant ids included). */
async function reopened(id: string, form: ProductFormInput) {
  const variants = await prisma.productVariant.findMany({ where: { productId: id }, orderBy: { position: "asc" } });
  return { ...form, id, variants: form.variants.map((v, i) => ({ ...v, id: variants[i]!.id })) };
}

describe("the catalog editor", () => {
  beforeEach(async () => {
    jar.clear();
    await signedInAs("staff");
  });

  it("creates a product with 2×2 variants, each with its values, option key and audit entry", async () => {
    const form = await teeForm();
    const { id, version } = await created(form);
    expect(version).toBe(0);
    const product = await prisma.product.findUniqueOrThrow({
      where: { id },
      include: { options: { include: { values: true } }, variants: { include: { values: true }, orderBy: { position: "asc" } } },
    });
    expect(product).toMatchObject({ slug: form.slug, price: 2500, version: 0 });
    expect(product.options.map((o) => o.values.length)).toEqual([2, 2]);
    expect(product.variants).toHaveLength(4);
    for (const variant of product.variants) {
      expect(variant.values).toHaveLength(2);
      expect(variant.optionKey).toBe(
        variant.values
          .map((v) => v.valueId)
          .sort()
          .join(","),
      );
      expect(variant).toMatchObject({ stock: 4, price: null, active: true });
    }
    expect(await prisma.auditEvent.count({ where: { subjectId: id, action: "product.create" } })).toBe(1);
  });

  it("refuses a duplicate slug or SKU, a negative price or stock, with field errors and nothing saved", async () => {
    const first = await teeForm();
    await created(first);
    const before = await prisma.product.count();

    const sameSlug = { ...(await teeForm()), slug: first.slug };
    const sameSku = await teeForm();
    sameSku.variants[2]!.sku = first.variants[0]!.sku;
    const negative = await teeForm();
    negative.price = "-1.00";
    negative.variants[1]!.stock = "-3";

    expect(await actions.createProductAction(sameSlug)).toMatchObject({
      ok: false,
      code: "invalid_fields",
      fieldErrors: { slug: expect.any(String) },
    });
    expect(await actions.createProductAction(sameSku)).toMatchObject({
      ok: false,
      code: "invalid_fields",
      fieldErrors: { "variants.2.sku": expect.any(String) },
    });
    expect(await actions.createProductAction(negative)).toMatchObject({
      ok: false,
      code: "invalid_fields",
      fieldErrors: { price: expect.any(String), "variants.1.stock": expect.any(String) },
    });
    expect(await prisma.product.count()).toBe(before);
    const ownSkus = sameSku.variants.filter((_, i) => i !== 2).map((v) => v.sku);
    expect(await prisma.productVariant.count({ where: { sku: { in: ownSkus } } })).toBe(0);
  });

  it("refuses the second of two saves from the same version and keeps the first one's changes", async () => {
    const form = await teeForm();
    const { id } = await created(form);
    const opened = await reopened(id, form);

    const first = await actions.updateProductAction({ ...opened, version: 0, name: "First editor's name" });
    expect(first).toMatchObject({ ok: true, version: 1 });
    const second = await actions.updateProductAction({ ...opened, version: 0, name: "Second editor's name", price: "99.00" });
    expect(second).toMatchObject({ ok: false, code: "conflict" });

    expect(await prisma.product.findUniqueOrThrow({ where: { id } })).toMatchObject({
      name: "First editor's name",
      price: 2500,
      version: 1,
    });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { subjectId: id, action: "product.update" } });
    expect(audit.details).toMatchObject({ name: { from: "Editor tee", to: "First editor's name" } });
  });

  it("keeps an old slug leading to the product after a rename", async () => {
    const form = await teeForm();
    const { id } = await created(form);
    const renamed = `${form.slug}-renamed`;
    expect(await actions.updateProductAction({ ...(await reopened(id, form)), version: 0, slug: renamed })).toMatchObject({ ok: true });
    expect(await getProductRedirect(form.slug)).toBe(renamed);
    expect(await getProductRedirect(`${form.slug}-never`)).toBeNull();
    // The old slug stays reserved for this product's redirect.
    expect(await actions.createProductAction({ ...(await teeForm()), slug: form.slug })).toMatchObject({ code: "invalid_fields" });
  });

  it("deletes a removed variant nobody holds, archives one in a cart, and changes a kept one's values", async () => {
    const form = await teeForm();
    const { id } = await created(form);
    const opened = await reopened(id, form);
    const [keep, inCart, unused, changed] = opened.variants;
    const cart = await prisma.cart.create({ data: { id: newCartId() } });
    await prisma.cartItem.create({ data: { cartId: cart.id, variantId: inCart!.id!, quantity: 1 } });

    // The grid keeps two rows: S/Navy as it was, and M/Sand moved to M/Navy.
    const result = await actions.updateProductAction({
      ...opened,
      version: 0,
      variants: [keep!, { ...changed!, values: ["M", "Navy"], stock: "9" }],
    });
    expect(result).toMatchObject({ ok: true });
    expect(await prisma.productVariant.findUnique({ where: { id: unused!.id! } })).toBeNull();
    expect(await prisma.productVariant.findUniqueOrThrow({ where: { id: inCart!.id! } })).toMatchObject({ active: false });
    const moved = await prisma.productVariant.findUniqueOrThrow({
      where: { id: changed!.id! },
      include: { values: { include: { value: true } } },
    });
    expect(moved.values.map((v) => v.value.value).sort()).toEqual(["M", "Navy"]);
    expect(moved.optionKey).toBe(
      moved.values
        .map((v) => v.valueId)
        .sort()
        .join(","),
    );
    expect(moved.stock).toBe(9);
  });

  it("saves the tax class and each variant's weight, audits their changes, and keeps them when a form leaves them out", async () => {
    const form = await teeForm();
    const weights = ["180", "185", "200", "210"];
    const weighed = { ...form, taxClass: "reduced", variants: form.variants.map((v, i) => ({ ...v, weightGrams: weights[i] })) };
    const { id } = await created(weighed);
    const stored = async () =>
      prisma.product.findUniqueOrThrow({
        where: { id },
        select: { taxClass: true, version: true, variants: { orderBy: { position: "asc" }, select: { sku: true, weightGrams: true } } },
      });
    expect(await stored()).toMatchObject({ taxClass: "reduced", variants: weights.map((w) => ({ weightGrams: Number(w) })) });
    const creation = await prisma.auditEvent.findFirstOrThrow({ where: { subjectId: id, action: "product.create" } });
    expect(creation.details).toMatchObject({ taxClass: "reduced", weightGrams: { [form.variants[0]!.sku]: 180 } });

    const opened = await reopened(id, weighed);
    opened.variants[1]!.weightGrams = "1200";
    expect(await actions.updateProductAction({ ...opened, version: 0, taxClass: "zero" })).toMatchObject({ ok: true });
    expect(await stored()).toMatchObject({ taxClass: "zero", variants: [180, 1200, 200, 210].map((w) => ({ weightGrams: w })) });
    const update = await prisma.auditEvent.findFirstOrThrow({ where: { subjectId: id, action: "product.update" } });
    expect(update.details).toEqual({
      taxClass: { from: "reduced", to: "zero" },
      variantsChanged: { [form.variants[1]!.sku]: { weightGrams: { from: 185, to: 1200 } } },
    });

    // A caller from before these fields (the form as it was) changes the name and leaves class and weights as stored.
    const older = await reopened(id, form);
    expect(await actions.updateProductAction({ ...older, version: 1, name: "Renamed tee" })).toMatchObject({ ok: true });
    expect(await stored()).toMatchObject({
      taxClass: "zero",
      version: 2,
      variants: [180, 1200, 200, 210].map((w) => ({ weightGrams: w })),
    });
  });

  it("refuses a bad weight or tax class beside its field and saves nothing", async () => {
    const form = await teeForm();
    const before = await prisma.product.count();
    const heavy = { ...form, variants: form.variants.map((v, i) => ({ ...v, weightGrams: i === 2 ? "2000000" : "150" })) };
    expect(await actions.createProductAction(heavy)).toMatchObject({
      ok: false,
      code: "invalid_fields",
      fieldErrors: { "variants.2.weightGrams": "Weight is capped at 1,000,000 g" },
    });
    expect(await prisma.product.count()).toBe(before);
    expect(await prisma.productVariant.count({ where: { sku: { in: form.variants.map((v) => v.sku) } } })).toBe(0);

    const { id } = await created({ ...form, variants: form.variants.map((v) => ({ ...v, weightGrams: "150" })) });
    const opened = await reopened(id, form);
    opened.variants[0]!.weightGrams = "-1";
    const refused = await actions.updateProductAction({ ...opened, version: 0, taxClass: "reduced", name: "Not saved" });
    expect(refused).toMatchObject({ ok: false, code: "invalid_fields" });
    expect(!refused.ok && "fieldErrors" in refused && refused.fieldErrors).toEqual({
      "variants.0.weightGrams": "Weight cannot be negative",
    });
    const bogus = await actions.updateProductAction({ ...opened, version: 0, taxClass: "luxury" });
    expect(bogus).toMatchObject({ ok: false, code: "invalid_fields", fieldErrors: { taxClass: expect.any(String) } });
    expect(
      await prisma.product.findUniqueOrThrow({
        where: { id },
        select: { name: true, taxClass: true, version: true, variants: { select: { weightGrams: true } } },
      }),
    ).toEqual({ name: "Editor tee", taxClass: "standard", version: 0, variants: Array(4).fill({ weightGrams: 150 }) });
  });

  it("refuses a viewer's save and changes nothing", async () => {
    const form = await teeForm();
    const { id } = await created(form);
    const opened = await reopened(id, form);
    await signedInAs("viewer");
    expect(await actions.updateProductAction({ ...opened, version: 0, name: "Viewer's name" })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    expect(await actions.createProductAction(await teeForm())).toMatchObject({ ok: false, code: "forbidden" });
    expect(await prisma.product.findUniqueOrThrow({ where: { id } })).toMatchObject({ name: "Editor tee", version: 0 });
  });
});
