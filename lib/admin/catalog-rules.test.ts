import { describe, expect, it } from "vitest";
import { combinations, parseProductForm, type ProductFormInput } from "@/lib/admin/catalog-rules";

const tee = (overrides: Partial<ProductFormInput> = {}): ProductFormInput => ({
  name: "Harbour tee",
  slug: "harbour-tee",
  description: "A soft tee.",
  categoryId: "cat_1",
  price: "25.00",
  active: true,
  featured: false,
  options: [
    { name: "Size", values: "S, M" },
    { name: "Colour", values: "Navy,Sand" },
  ],
  variants: combinations([{ values: ["S", "M"] }, { values: ["Navy", "Sand"] }]).map((values, i) => ({
    values,
    sku: `TEE-${i}`,
    price: "",
    stock: "5",
    active: true,
  })),
  ...overrides,
});

const errorsOf = (input: ProductFormInput, currency = "usd") => {
  const result = parseProductForm(input, currency);
  return result.ok ? {} : result.fieldErrors;
};

describe("the product form", () => {
  it("turns a valid 2×2 product into data with prices in minor units", () => {
    const result = parseProductForm(
      tee({ variants: [{ values: ["M", "Sand"], sku: "TEE-MS", price: "27.5", stock: "3", active: true }] }),
      "usd",
    );
    expect(result).toEqual({
      ok: true,
      data: expect.objectContaining({
        price: 2500,
        options: [
          { name: "Size", values: ["S", "M"] },
          { name: "Colour", values: ["Navy", "Sand"] },
        ],
        variants: [{ values: ["M", "Sand"], sku: "TEE-MS", price: 2750, stock: 3, active: true }],
      }),
    });
  });

  it("reads prices in the currency's own minor units", () => {
    const result = parseProductForm(tee({ price: "1200" }), "jpy");
    expect(result.ok && result.data.price).toBe(1200);
    expect(errorsOf(tee({ price: "12.5" }), "jpy")).toHaveProperty("price");
  });

  it("keeps a product without options to exactly one variant with no values", () => {
    const single = { values: [], sku: "MUG", price: "", stock: "0", active: true };
    expect(parseProductForm(tee({ options: [], variants: [single] }), "usd").ok).toBe(true);
    expect(errorsOf(tee({ options: [], variants: [single, { ...single, sku: "MUG-2" }] }))).toHaveProperty(["variants.1.values"]);
    expect(errorsOf(tee({ options: [], variants: [] }))).toHaveProperty("variants");
  });

  it("refuses a bad slug, a missing name and a negative price, each on its own field", () => {
    expect(errorsOf(tee({ slug: "Harbour Tee", name: " ", price: "-3" }))).toEqual({
      slug: expect.any(String),
      name: expect.any(String),
      price: "The price cannot be negative",
    });
  });

  it("refuses duplicate option names and duplicate values of an option", () => {
    const errors = errorsOf(
      tee({
        options: [
          { name: "Size", values: "S, M, s" },
          { name: "size", values: "Navy" },
        ],
        variants: [{ values: ["S", "Navy"], sku: "A", price: "", stock: "1", active: true }],
      }),
    );
    expect(errors["options.0.values"]).toMatch(/listed twice/);
    expect(errors["options.1.name"]).toMatch(/already called/);
  });

  it("refuses duplicate SKUs, negative or fractional stock and a negative variant price", () => {
    const form = tee();
    form.variants[1]!.sku = "tee-0";
    form.variants[2]!.stock = "-1";
    form.variants[3]!.stock = "1.5";
    form.variants[3]!.price = "-2.00";
    expect(errorsOf(form)).toEqual({
      "variants.1.sku": "Another variant has this SKU",
      "variants.2.stock": "Stock cannot be negative",
      "variants.3.stock": "Stock must be a whole number",
      "variants.3.price": "The price cannot be negative",
    });
  });

  it("refuses a variant whose values are not one per option, or repeat another variant's", () => {
    const form = tee();
    form.variants[0]!.values = ["S"];
    form.variants[1]!.values = ["S", "Red"];
    form.variants[3]!.values = ["M", "Navy"];
    expect(errorsOf(form)).toEqual({
      "variants.0.values": "Choose one value of each option",
      "variants.1.values": "Choose one value of each option",
      "variants.3.values": "Another variant has the same values",
    });
  });
});

describe("the product form's tax class and weights", () => {
  it("reads the tax class and each variant's weight in whole grams", () => {
    const form = tee({ taxClass: "reduced" });
    form.variants.forEach((variant, i) => (variant.weightGrams = [" 180 ", "0", "1000000", "195"][i]));
    const result = parseProductForm(form, "usd");
    expect(result.ok && result.data.taxClass).toBe("reduced");
    expect(result.ok && result.data.variants.map((variant) => variant.weightGrams)).toEqual([180, 0, 1_000_000, 195]);
    expect(parseProductForm(tee({ taxClass: "zero" }), "usd")).toMatchObject({ ok: true, data: { taxClass: "zero" } });
  });

  it("leaves them out of the data when the form leaves them out, so a save keeps what is stored", () => {
    const result = parseProductForm(tee(), "usd");
    expect(result.ok && "taxClass" in result.data).toBe(false);
    expect(result.ok && result.data.variants.some((variant) => "weightGrams" in variant)).toBe(false);
  });

  it("refuses an unknown tax class, and a weight that is not 0 to 1,000,000 whole grams beside its variant", () => {
    const form = tee({ taxClass: "luxury" });
    form.variants.forEach((variant, i) => (variant.weightGrams = ["-5", "1.5", "", "1000001"][i]));
    expect(errorsOf(form)).toEqual({
      taxClass: "Choose standard, reduced or zero-rated",
      "variants.0.weightGrams": "Weight cannot be negative",
      "variants.1.weightGrams": "Weight must be a whole number of grams",
      "variants.2.weightGrams": "Enter the weight in grams",
      "variants.3.weightGrams": "Weight is capped at 1,000,000 g",
    });
    const withUnit = tee();
    withUnit.variants[0]!.weightGrams = "350 g";
    expect(errorsOf(withUnit)).toEqual({ "variants.0.weightGrams": "Weight must be a whole number of grams" });
  });

  it("weighs a product without options by its one default variant", () => {
    const single = { values: [], sku: "MUG", price: "", stock: "4", weightGrams: "350", active: true };
    const result = parseProductForm(tee({ options: [], variants: [single] }), "usd");
    expect(result.ok && result.data.variants).toEqual([{ values: [], sku: "MUG", price: null, stock: 4, weightGrams: 350, active: true }]);
  });
});

describe("the product form's images", () => {
  it("keeps their order, trims and collapses alt text, and leaves them out when the form has none", () => {
    const result = parseProductForm(
      tee({
        images: [
          { blobId: "b2", alt: "  Back,\n  folded " },
          { blobId: "b1", alt: "Front" },
        ],
      }),
      "usd",
    );
    expect(result.ok && result.data.images).toEqual([
      { blobId: "b2", alt: "Back, folded" },
      { blobId: "b1", alt: "Front" },
    ]);
    const without = parseProductForm(tee(), "usd");
    expect(without.ok && "images" in without.data).toBe(false);
  });

  it("needs alt text of at most 250 characters for each, and each picture once", () => {
    expect(
      errorsOf(
        tee({
          images: [
            { blobId: "b1", alt: " " },
            { blobId: "b2", alt: "x".repeat(251) },
            { blobId: "b1", alt: "Again" },
            { blobId: "", alt: "Lost" },
          ],
        }),
      ),
    ).toEqual({
      "images.0.alt": "Describe what the picture shows, for people who cannot see it",
      "images.1.alt": "At most 250 characters",
      "images.2": "This picture is already in the list",
      "images.3": "Upload this image again",
    });
    expect(errorsOf(tee({ images: [{ blobId: "b1", alt: "x".repeat(250) }] }))).toEqual({});
  });
});

describe("combinations", () => {
  it("lists every combination in the options' order", () => {
    expect(combinations([{ values: ["S", "M"] }, { values: ["Navy", "Sand"] }])).toEqual([
      ["S", "Navy"],
      ["S", "Sand"],
      ["M", "Navy"],
      ["M", "Sand"],
    ]);
    expect(combinations([])).toEqual([[]]);
  });
});
