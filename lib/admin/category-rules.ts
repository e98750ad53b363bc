import { z } from "zod";
import { SLUG, type FieldErrors } from "@/lib/admin/catalog-rules";

// The category editor's validation, pure: the form as typed becomes either the data lib/admin/categories.ts
// saves or errors keyed by field ("name", "slug", "description", "position"), shown next to that field.
// Nothing here reads the database: a slug free of other categories' current and old slugs is checked when saving.

/** Bounds the request itself, well above the field limits below, so an overlong field still gets its own error. */
const text = (max: number) => z.string().max(max, `At most ${max} characters`);

/** The form as posted. */
export const categoryFormInput = z.object({
  name: text(2_000),
  slug: text(2_000),
  description: text(20_000),
  position: text(32),
});
export type CategoryFormInput = z.infer<typeof categoryFormInput>;

export type CategoryData = { name: string; slug: string; description: string; position: number };

const MAX_NAME = 100;
const MAX_SLUG = 100;
const MAX_DESCRIPTION = 2_000;
const MAX_POSITION = 10_000;

type ParsedCategory = { ok: true; data: CategoryData } | { ok: false; fieldErrors: FieldErrors };

/** Parses the category form into data or per-field errors, all of them at once. */
export function parseCategoryForm(input: CategoryFormInput): ParsedCategory {
  const errors: FieldErrors = {};
  const name = input.name.trim();
  const slug = input.slug.trim();
  const description = input.description.trim();
  const position = input.position.trim();

  if (!name) errors.name = "Enter the category's name";
  else if (name.length > MAX_NAME) errors.name = `At most ${MAX_NAME} characters`;
  if (slug.length > MAX_SLUG) errors.slug = `At most ${MAX_SLUG} characters`;
  else if (!SLUG.test(slug)) errors.slug = "Use lowercase letters, digits and single hyphens, e.g. kitchen-linen";
  if (description.length > MAX_DESCRIPTION) errors.description = "At most 2,000 characters";
  if (!/^\d+$/.test(position)) {
    errors.position = position.startsWith("-") ? "The position cannot be negative" : "Enter a whole number; 0 comes first";
  } else if (Number(position) > MAX_POSITION) {
    errors.position = "At most 10,000";
  }

  if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
  return { ok: true, data: { name, slug, description, position: Number(position) } };
}
