import { describe, expect, it } from "vitest";
import { categoryFormInput, parseCategoryForm, type CategoryFormInput } from "@/lib/admin/category-rules";

const kitchen = (overrides: Partial<CategoryFormInput> = {}): CategoryFormInput => ({
  name: "Kitchen",
  slug: "kitchen",
  description: "Pots, pans and linen.",
  position: "2",
  ...overrides,
});

const errorsOf = (input: CategoryFormInput) => {
  const result = parseCategoryForm(input);
  return result.ok ? {} : result.fieldErrors;
};

describe("the category form", () => {
  it("turns a valid form into trimmed data with a numeric position", () => {
    expect(parseCategoryForm(kitchen({ name: "  Kitchen ", slug: " kitchen-linen ", position: " 0 " }))).toEqual({
      ok: true,
      data: { name: "Kitchen", slug: "kitchen-linen", description: "Pots, pans and linen.", position: 0 },
    });
  });

  it("accepts an empty description", () => {
    expect(parseCategoryForm(kitchen({ description: "   " }))).toMatchObject({ ok: true, data: { description: "" } });
  });

  it("reports every bad field at once, each on its own field", () => {
    expect(errorsOf({ name: " ", slug: "Kitchen Linen", description: "x".repeat(2_001), position: "first" })).toEqual({
      name: "Enter the category's name",
      slug: expect.stringContaining("lowercase"),
      description: "At most 2,000 characters",
      position: "Enter a whole number; 0 comes first",
    });
  });

  it("holds the name and slug to 100 characters", () => {
    expect(errorsOf(kitchen({ name: "n".repeat(100), slug: "s".repeat(100) }))).toEqual({});
    expect(errorsOf(kitchen({ name: "n".repeat(101), slug: "s".repeat(101) }))).toEqual({
      name: "At most 100 characters",
      slug: "At most 100 characters",
    });
  });

  it("applies the product slug rule: lowercase words joined by single hyphens", () => {
    for (const slug of ["kitchen", "kitchen-linen", "a1-b2"]) expect(errorsOf(kitchen({ slug })), slug).toEqual({});
    for (const slug of ["", "Kitchen", "kitchen--linen", "-kitchen", "kitchen-", "kitchen_linen", "küche", "a/b"]) {
      expect(errorsOf(kitchen({ slug })), slug).toHaveProperty("slug");
    }
  });

  it("takes a whole position from 0 to 10,000", () => {
    expect(parseCategoryForm(kitchen({ position: "10000" }))).toMatchObject({ ok: true, data: { position: 10_000 } });
    expect(errorsOf(kitchen({ position: "-1" }))).toEqual({ position: "The position cannot be negative" });
    expect(errorsOf(kitchen({ position: "1.5" }))).toHaveProperty("position");
    expect(errorsOf(kitchen({ position: "" }))).toHaveProperty("position");
    expect(errorsOf(kitchen({ position: "10001" }))).toEqual({ position: "At most 10,000" });
  });

  it("bounds the request before the field rules run", () => {
    expect(categoryFormInput.safeParse(kitchen()).success).toBe(true);
    expect(categoryFormInput.safeParse(kitchen({ description: "x".repeat(20_001) })).success).toBe(false);
    expect(categoryFormInput.safeParse({ ...kitchen(), position: 3 }).success).toBe(false);
  });
});
