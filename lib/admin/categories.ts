import "server-only";
import type { FieldErrors } from "@/lib/admin/catalog-rules";
import type { CategoryData } from "@/lib/admin/category-rules";
import { recordAudit, type Actor } from "@/lib/audit";
import { prisma, type Tx } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { fail, type Failure } from "@/lib/result";

// The category editor's storage. Every save (fields, archive, restore) is one transaction holding the change,
// the old slug kept for redirects and the audit entry: a refusal rolls all of it back. Catalog pages need no
// revalidation here: the Category trigger expires `categories` and `category:<id>` (and `products` when
// archiving or restoring) in the same transaction (migration 20261130180000_catalog_admin).

export type CategoryFailure =
  (Failure<"invalid_fields"> & { fieldErrors: FieldErrors }) | Failure<"conflict" | "not_found" | "invalid_input" | "has_active_products">;
type SaveResult = { ok: true; id: string; version: number } | CategoryFailure;

const CONFLICT_MESSAGE = "This category was changed by someone else since you opened it. Reload to see their changes; nothing was saved.";

/** Thrown inside a save's transaction to roll it back and answer `failure`. */
class Refusal extends Error {
  constructor(readonly failure: CategoryFailure) {
    super(failure.error);
  }
}

const invalidFields = (fieldErrors: FieldErrors) =>
  fail("invalid_fields", "Some fields need attention; nothing was saved.", { fieldErrors }) as CategoryFailure;

export async function createCategory(actor: Actor, data: CategoryData): Promise<SaveResult> {
  return save(async (tx) => {
    await checkSlug(tx, data.slug, null);
    const category = await tx.category.create({ data, select: { id: true } });
    await recordAudit(tx, actor, { action: "category.create", subjectType: "category", subjectId: category.id, details: data });
    return { ok: true, id: category.id, version: 0 };
  });
}

/** Saves the form opened at `seenVersion`; a rename keeps the old slug, which the category page redirects from. */
export async function updateCategory(actor: Actor, id: string, seenVersion: number, data: CategoryData): Promise<SaveResult> {
  return save(async (tx) => {
    const before = await claim(tx, id, seenVersion);
    await checkSlug(tx, data.slug, id);
    await tx.category.update({ where: { id }, data });
    if (before.slug !== data.slug) {
      await tx.categorySlug.upsert({
        where: { slug: before.slug },
        create: { slug: before.slug, categoryId: id },
        update: { categoryId: id },
      });
      // Going back to an old slug takes it back: it is the current one again, not a redirect.
      await tx.categorySlug.deleteMany({ where: { slug: data.slug, categoryId: id } });
    }
    const changes: Record<string, { from: string | number; to: string | number }> = {};
    for (const key of ["name", "slug", "description", "position"] as const) {
      if (before[key] !== data[key]) changes[key] = { from: before[key], to: data[key] };
    }
    await recordAudit(tx, actor, { action: "category.update", subjectType: "category", subjectId: id, details: changes });
    return { ok: true, id, version: seenVersion + 1 };
  });
}

/** Takes the category out of the navigation (its page answers 404); refused while it holds active products. */
export async function archiveCategory(actor: Actor, id: string, seenVersion: number): Promise<SaveResult> {
  return setActive(actor, id, seenVersion, false);
}

export async function restoreCategory(actor: Actor, id: string, seenVersion: number): Promise<SaveResult> {
  return setActive(actor, id, seenVersion, true);
}

async function setActive(actor: Actor, id: string, seenVersion: number, active: boolean): Promise<SaveResult> {
  return save(async (tx) => {
    const before = await claim(tx, id, seenVersion);
    if (before.active === active) throw new Refusal(fail("invalid_input", `This category is already ${active ? "active" : "archived"}`));
    if (!active) {
      // Counted after claim() locked the row: a product save checks the category FOR SHARE (lib/admin/catalog.ts),
      // so one that got there first has committed by now and is counted, and a later one sees the category archived.
      const count = await tx.product.count({ where: { categoryId: id, active: true } });
      if (count > 0) {
        throw new Refusal(
          fail(
            "has_active_products",
            `Move or archive its ${count} active ${count === 1 ? "product" : "products"} first; nothing was changed.`,
          ),
        );
      }
    }
    await tx.category.update({ where: { id }, data: { active } });
    await recordAudit(tx, actor, {
      action: active ? "category.restore" : "category.archive",
      subjectType: "category",
      subjectId: id,
      details: { active: { from: before.active, to: active } },
    });
    return { ok: true, id, version: seenVersion + 1 };
  });
}

/**
 * Moves the version on from `seenVersion` and answers the row as it was. Two staff saving from the same version:
 * the first one's UPDATE holds the row until it commits, the second one's then matches no row and is refused
 * as a conflict, never a silent overwrite.
 */
async function claim(tx: Tx, id: string, seenVersion: number) {
  const bumped = await tx.$executeRaw`UPDATE "Category" SET version = version + 1 WHERE id = ${id} AND version = ${seenVersion}`;
  if (bumped === 0) {
    const exists = await tx.category.findUnique({ where: { id }, select: { id: true } });
    throw new Refusal(exists ? fail("conflict", CONFLICT_MESSAGE) : fail("not_found", "No such category"));
  }
  return tx.category.findUniqueOrThrow({ where: { id } });
}

/** Runs a save's transaction; refusals and a slug taken by a concurrent save come back as answers. */
async function save(work: (tx: Tx) => Promise<SaveResult>): Promise<SaveResult> {
  try {
    return await prisma.$transaction(work);
  } catch (error) {
    if (error instanceof Refusal) return error.failure;
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
      return invalidFields({ slug: "This slug was just taken" });
    throw error;
  }
}

/** The slug is no other category's, current or old (each old slug redirects to its category); else a field error. */
async function checkSlug(tx: Tx, slug: string, categoryId: string | null): Promise<void> {
  const owner = await tx.category.findUnique({ where: { slug }, select: { id: true, active: true } });
  const old = await tx.categorySlug.findUnique({ where: { slug } });
  if (owner && owner.id !== categoryId) {
    throw new Refusal(invalidFields({ slug: owner.active ? "Another category has this slug" : "An archived category has this slug" }));
  }
  if (old && old.categoryId !== categoryId) throw new Refusal(invalidFields({ slug: "This slug is an old address of another category" }));
}

type CategoryListRow = { id: string; name: string; slug: string; position: number; products: number; activeProducts: number };

/** The editor's category list in navigation order, with product counts; archived categories only when asked. */
export async function listCategories(archived: boolean): Promise<CategoryListRow[]> {
  const [categories, counts] = await Promise.all([
    prisma.category.findMany({
      where: { active: !archived },
      orderBy: [{ position: "asc" }, { name: "asc" }],
      select: { id: true, name: true, slug: true, position: true },
    }),
    prisma.product.groupBy({ by: ["categoryId", "active"], _count: { _all: true } }),
  ]);
  const count = (categoryId: string, active?: boolean) =>
    counts
      .filter((row) => row.categoryId === categoryId && (active === undefined || row.active === active))
      .reduce((total, row) => total + row._count._all, 0);
  return categories.map((category) => ({ ...category, products: count(category.id), activeProducts: count(category.id, true) }));
}

/** A category as the editor shows it, or null. */
export async function categoryForEdit(id: string) {
  const [category, counts] = await Promise.all([
    prisma.category.findUnique({ where: { id }, include: { oldSlugs: { orderBy: { slug: "asc" }, select: { slug: true } } } }),
    prisma.product.groupBy({ by: ["active"], where: { categoryId: id }, _count: { _all: true } }),
  ]);
  if (!category) return null;
  return {
    id: category.id,
    version: category.version,
    name: category.name,
    slug: category.slug,
    description: category.description,
    position: category.position,
    active: category.active,
    oldSlugs: category.oldSlugs.map((row) => row.slug),
    products: counts.reduce((total, row) => total + row._count._all, 0),
    activeProducts: counts.find((row) => row.active)?._count._all ?? 0,
  };
}

/** Where a new category goes by default: after the last one. */
export async function nextCategoryPosition(): Promise<number> {
  const { _max } = await prisma.category.aggregate({ _max: { position: true } });
  return _max.position === null ? 0 : _max.position + 1;
}
