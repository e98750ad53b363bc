// The category editor's saves, through the server actions staff call, and what the storefront makes of them:
// a category is written whole or not at all, a rename keeps the old address as a redirect, a save from a
// version someone else already saved over is refused, and an archived category leaves the shop.
// next/headers is the framework's request context (the session cookie); next/cache is mocked so the cached
// catalog reads run as plain reads.
import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { CategoryFormInput } from "@/lib/admin/category-rules";
import type { StaffRole } from "@/lib/auth/roles";
import { openSession } from "@/lib/auth/sessions";
import { prisma } from "@/lib/db";
import { jar } from "./support/next-request";

vi.mock("next/headers", () => import("./support/next-request"));
vi.mock("next/cache", () => ({ cacheTag: () => {}, cacheLife: () => {} }));

const actions = await import("@/components/admin/actions");
const { getCategories, getCategory, getCategoryRedirect, getProduct } = await import("@/lib/catalog");
const { listCategoryChoices } = await import("@/lib/admin/catalog");
const { default: CategoryPage } = await import("@/app/categories/[slug]/page");

const hex = () => randomBytes(4).toString("hex");

async function signedInAs(role: StaffRole) {
  const staff = await prisma.staff.create({
    data: { email: `${role}-${hex()}@example.com`, role, passwordHash: "scrypt$16384$8$1$AAAA$AAAA" },
  });
  jar.set("admin_session", (await openSession(prisma, staff.id)).token);
  return staff;
}

const categoryForm = (overrides: Partial<CategoryFormInput> = {}): CategoryFormInput => ({
  name: "Garden tools",
  slug: `garden-${hex()}`,
  description: "Trowels and twine.",
  position: "7",
  ...overrides,
});

async function created(form: CategoryFormInput) {
  const result = await actions.createCategoryAction(form);
  if (!result.ok) throw new Error(`create refused: ${JSON.stringify(result)}`);
  return result;
}

/** A product in `categoryId`, written straight into the database. */
async function productIn(categoryId: string, active = true) {
  const slug = `cat-test-${hex()}`;
  return prisma.product.create({
    data: {
      slug,
      name: slug,
      description: "",
      price: 100,
      image: "/x.svg",
      categoryId,
      active,
      variants: { create: { sku: slug, stock: 1 } },
    },
  });
}

/** What the category page does for `slug`: renders, or throws Next's redirect or not-found signal. */
async function visit(slug: string): Promise<string> {
  try {
    await CategoryPage({ params: Promise.resolve({ slug }) });
    return "rendered";
  } catch (error) {
    return String((error as { digest?: string }).digest ?? error);
  }
}

describe("the category editor", () => {
  beforeEach(async () => {
    jar.clear();
    await signedInAs("staff");
  });

  it("creates a category, with its audit entry, and the shop lists it", async () => {
    const form = categoryForm({ name: "  Garden tools ", description: " Trowels. " });
    const { id, version } = await created(form);
    expect(version).toBe(0);
    expect(await prisma.category.findUniqueOrThrow({ where: { id } })).toMatchObject({
      name: "Garden tools",
      slug: form.slug,
      description: "Trowels.",
      position: 7,
      active: true,
      version: 0,
    });
    const entry = await prisma.auditEvent.findFirstOrThrow({ where: { subjectType: "category", subjectId: id } });
    expect(entry).toMatchObject({ action: "category.create", details: { name: "Garden tools", slug: form.slug, position: 7 } });
    expect((await getCategories()).map((c) => c.slug)).toContain(form.slug);
    expect(await visit(form.slug)).toBe("rendered");
  });

  it("refuses bad fields with an error on each and saves nothing", async () => {
    const before = await prisma.category.count();
    const result = await actions.createCategoryAction(categoryForm({ name: "", slug: "Garden Tools", position: "-1" }));
    expect(result).toMatchObject({
      ok: false,
      code: "invalid_fields",
      fieldErrors: { name: expect.any(String), slug: expect.any(String), position: "The position cannot be negative" },
    });
    expect(await prisma.category.count()).toBe(before);
  });

  it("edits the fields, records what changed, and answers the next version", async () => {
    const form = categoryForm();
    const { id } = await created(form);
    const result = await actions.updateCategoryAction({ ...form, id, version: 0, name: "Garden", position: "2" });
    expect(result).toMatchObject({ ok: true, id, version: 1 });
    expect(await prisma.category.findUniqueOrThrow({ where: { id } })).toMatchObject({ name: "Garden", position: 2, version: 1 });
    const entry = await prisma.auditEvent.findFirstOrThrow({ where: { subjectId: id, action: "category.update" } });
    expect(entry.details).toEqual({ name: { from: "Garden tools", to: "Garden" }, position: { from: 7, to: 2 } });
  });

  it("keeps an old slug redirecting (308) to the current one, reserved for its category until it takes it back", async () => {
    const form = categoryForm();
    const { id } = await created(form);
    const renamed = `${form.slug}-renamed`;
    expect(await actions.updateCategoryAction({ ...form, id, version: 0, slug: renamed })).toMatchObject({ ok: true });

    expect(await prisma.categorySlug.findUnique({ where: { slug: form.slug } })).toMatchObject({ categoryId: id });
    expect(await getCategoryRedirect(form.slug)).toBe(renamed);
    expect(await getCategoryRedirect(`${form.slug}-never`)).toBeNull();
    expect(await visit(form.slug)).toMatch(new RegExp(`^NEXT_REDIRECT;[a-z]+;/categories/${renamed};308;`));
    expect(await visit(renamed)).toBe("rendered");
    expect(await visit(`${form.slug}-never`)).toMatch(/^NEXT_HTTP_ERROR_FALLBACK;404/);

    // Another category may not take the old address...
    expect(await actions.createCategoryAction(categoryForm({ slug: form.slug }))).toMatchObject({
      code: "invalid_fields",
      fieldErrors: { slug: "This slug is an old address of another category" },
    });
    // ...but the category itself may go back to it, which turns the newer slug into the redirect.
    expect(await actions.updateCategoryAction({ ...form, id, version: 1 })).toMatchObject({ ok: true, version: 2 });
    expect(await prisma.categorySlug.findMany({ where: { categoryId: id }, select: { slug: true } })).toEqual([{ slug: renamed }]);
    expect(await getCategoryRedirect(renamed)).toBe(form.slug);
    expect(await getCategoryRedirect(form.slug)).toBeNull();
  });

  it("refuses a slug another category has, archived or not, and changes nothing", async () => {
    const first = categoryForm();
    const { id: firstId } = await created(first);
    const second = categoryForm();
    const { id } = await created(second);
    expect(await actions.createCategoryAction(categoryForm({ slug: first.slug }))).toMatchObject({
      code: "invalid_fields",
      fieldErrors: { slug: "Another category has this slug" },
    });
    expect(await actions.archiveCategoryAction({ id: firstId, version: 0 })).toMatchObject({ ok: true });
    expect(await actions.updateCategoryAction({ ...second, id, version: 0, name: "Renamed", slug: first.slug })).toMatchObject({
      code: "invalid_fields",
      fieldErrors: { slug: "An archived category has this slug" },
    });
    expect(await prisma.category.findUniqueOrThrow({ where: { id } })).toMatchObject({
      name: "Garden tools",
      slug: second.slug,
      version: 0,
    });
    expect(await prisma.categorySlug.count({ where: { categoryId: id } })).toBe(0);
  });

  it("refuses the second of two saves from the same version and keeps the first one's changes", async () => {
    const form = categoryForm();
    const { id } = await created(form);
    expect(await actions.updateCategoryAction({ ...form, id, version: 0, name: "First editor's name" })).toMatchObject({
      ok: true,
      version: 1,
    });
    const second = await actions.updateCategoryAction({ ...form, id, version: 0, name: "Second", slug: `${form.slug}-second` });
    expect(second).toMatchObject({ ok: false, code: "conflict" });
    expect(second.ok ? "" : second.error).toContain("changed by someone else since you opened it");

    expect(await prisma.category.findUniqueOrThrow({ where: { id } })).toMatchObject({
      name: "First editor's name",
      slug: form.slug,
      version: 1,
    });
    expect(await prisma.categorySlug.count({ where: { categoryId: id } })).toBe(0);
    expect(await prisma.auditEvent.count({ where: { subjectId: id, action: "category.update" } })).toBe(1);
    // An archive from the version the second editor saw is refused the same way.
    expect(await actions.archiveCategoryAction({ id, version: 0 })).toMatchObject({ ok: false, code: "conflict" });
  });

  it("lets exactly one of two simultaneous saves from the same version through", async () => {
    const form = categoryForm();
    const { id } = await created(form);
    const answers = await Promise.all(
      ["Left", "Right"].map((name) =>
        actions.updateCategoryAction({ ...form, id, version: 0, name, slug: `${form.slug}-${name.toLowerCase()}` }),
      ),
    );
    expect(answers.map((a) => (a.ok ? "ok" : a.code)).sort()).toEqual(["conflict", "ok"]);
    const winner = answers.findIndex((a) => a.ok) === 0 ? "Left" : "Right";
    expect(await prisma.category.findUniqueOrThrow({ where: { id } })).toMatchObject({ name: winner, version: 1 });
    expect(await prisma.categorySlug.findMany({ where: { categoryId: id }, select: { slug: true } })).toEqual([{ slug: form.slug }]);
  });

  it("refuses to archive a category with active products, naming how many, and changes nothing", async () => {
    const form = categoryForm();
    const { id } = await created(form);
    await productIn(id);
    await productIn(id);
    await productIn(id, false);
    const refused = await actions.archiveCategoryAction({ id, version: 0 });
    expect(refused).toMatchObject({ ok: false, code: "has_active_products" });
    expect(refused.ok ? "" : refused.error).toContain("Move or archive its 2 active products first");
    expect(await prisma.category.findUniqueOrThrow({ where: { id } })).toMatchObject({ active: true, version: 0 });
    expect(await prisma.auditEvent.count({ where: { subjectId: id, action: "category.archive" } })).toBe(0);
  });

  it("archives a category out of the shop and restores it, with an audit entry for each", async () => {
    const form = categoryForm();
    const { id } = await created(form);
    const retired = await productIn(id, false);
    const renamed = `${form.slug}-new`;
    expect(await actions.updateCategoryAction({ ...form, id, version: 0, slug: renamed })).toMatchObject({ ok: true, version: 1 });

    expect(await actions.archiveCategoryAction({ id, version: 1 })).toMatchObject({ ok: true, version: 2 });
    expect((await getCategories()).map((c) => c.id)).not.toContain(id);
    expect(await getCategory(renamed)).toBeNull();
    expect(await visit(renamed)).toMatch(/^NEXT_HTTP_ERROR_FALLBACK;404/);
    // The old address of an archived category leads nowhere either, not to a redirect that then 404s.
    expect(await getCategoryRedirect(form.slug)).toBeNull();
    expect(await visit(form.slug)).toMatch(/^NEXT_HTTP_ERROR_FALLBACK;404/);
    // Its products keep their own pages.
    expect(await getProduct(retired.slug)).toMatchObject({ id: retired.id });
    expect(await actions.archiveCategoryAction({ id, version: 2 })).toMatchObject({ ok: false, code: "invalid_input" });

    expect(await actions.restoreCategoryAction({ id, version: 2 })).toMatchObject({ ok: true, version: 3 });
    expect((await getCategories()).map((c) => c.id)).toContain(id);
    expect(await getCategoryRedirect(form.slug)).toBe(renamed);

    const entries = await prisma.auditEvent.findMany({ where: { subjectType: "category", subjectId: id }, orderBy: { at: "asc" } });
    expect(entries.map((e) => e.action)).toEqual(["category.create", "category.update", "category.archive", "category.restore"]);
    expect(entries[2]!.details).toEqual({ active: { from: true, to: false } });
  });

  it("keeps an archived category out of product saves, except for the product already in it", async () => {
    const { id } = await created(categoryForm());
    const retired = await productIn(id, false);
    expect(await actions.archiveCategoryAction({ id, version: 0 })).toMatchObject({ ok: true });
    const tag = hex();
    const product = {
      name: "In an archived category",
      slug: `archived-cat-${tag}`,
      description: "",
      categoryId: id,
      price: "1.00",
      active: true,
      featured: false,
      options: [],
      variants: [{ values: [], sku: `ARCH-${tag}`, price: "", stock: "1", active: true }],
    };
    expect(await actions.createProductAction(product)).toMatchObject({
      code: "invalid_fields",
      fieldErrors: { categoryId: expect.any(String) },
    });
    expect(await prisma.product.count({ where: { slug: product.slug } })).toBe(0);
    expect((await listCategoryChoices()).map((c) => c.id)).not.toContain(id);
    expect(await listCategoryChoices(retired.id)).toContainEqual({ id, name: "Garden tools (archived)" });
  });

  it("never leaves an archived category with an active product when an archive races a product save", async () => {
    for (let round = 0; round < 5; round += 1) {
      const { id } = await created(categoryForm());
      const tag = hex();
      const [archived, product] = await Promise.all([
        actions.archiveCategoryAction({ id, version: 0 }),
        actions.createProductAction({
          name: "Racing",
          slug: `racing-${tag}`,
          description: "",
          categoryId: id,
          price: "1.00",
          active: true,
          featured: false,
          options: [],
          variants: [{ values: [], sku: `RACE-${tag}`, price: "", stock: "1", active: true }],
        }),
      ]);
      expect([archived.ok, product.ok], `round ${round}`).not.toEqual([true, true]);
      const category = await prisma.category.findUniqueOrThrow({ where: { id } });
      const active = await prisma.product.count({ where: { categoryId: id, active: true } });
      expect(category.active || active === 0, `round ${round}`).toBe(true);
    }
  });

  it("refuses a viewer's save, archive and restore, and changes nothing", async () => {
    const form = categoryForm();
    const { id } = await created(form);
    await signedInAs("viewer");
    expect(await actions.updateCategoryAction({ ...form, id, version: 0, name: "Viewer's" })).toMatchObject({ code: "forbidden" });
    expect(await actions.archiveCategoryAction({ id, version: 0 })).toMatchObject({ code: "forbidden" });
    expect(await actions.createCategoryAction(categoryForm())).toMatchObject({ code: "forbidden" });
    expect(await prisma.category.findUniqueOrThrow({ where: { id } })).toMatchObject({ name: "Garden tools", version: 0, active: true });
  });
});
