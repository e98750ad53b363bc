import { z } from "zod";
import { parseMajorUnits } from "@/lib/money";
import type { TaxClass } from "@/lib/pricing/types";

// The catalog editor's validation, pure: the product form as typed (strings and flags) becomes either the data
// lib/admin/catalog.ts saves or errors keyed by the field's path ("slug", "options.0.values", "variants.2.sku"),
// which the form shows next to that field. Nothing here reads the database: unique slugs and SKUs across
// products are checked when saving.

/** Images per product, and the longest alt text: a sentence that says what the picture shows, not an essay. */
export const MAX_PRODUCT_IMAGES = 12;
export const MAX_ALT_LENGTH = 250;

const text = (max: number) => z.string().max(max, `At most ${max} characters`);

/** The tax classes a product may have, in the order the editor lists them; lib/pricing chooses the rate by it. */
export const TAX_CLASSES = ["standard", "reduced", "zero"] as const satisfies readonly TaxClass[];

/** The form as posted. Variants name their values by text, one per option in the options' order. */
export const productFormInput = z.object({
  name: text(200),
  slug: text(100),
  description: text(5000),
  categoryId: text(64),
  price: text(32),
  active: z.boolean(),
  featured: z.boolean(),
  // Left out (a form from before tax classes), a saved product keeps its class and a new one gets the default.
  taxClass: text(16).optional(),
  options: z.array(z.object({ name: text(100), values: text(2000) })).max(3, "At most 3 options"),
  variants: z
    .array(
      z.object({
        // The variant's row id when it already exists; new rows have none.
        id: text(64).optional(),
        values: z.array(text(100)).max(3),
        sku: text(64),
        price: text(32),
        stock: text(16),
        // Grams as typed; left out, a saved variant keeps its weight and a new one weighs 0.
        weightGrams: text(16).optional(),
        active: z.boolean(),
      }),
    )
    .max(100, "At most 100 variants"),
  // Uploaded images in the order shown, each by its ImageBlob id (from POST /admin/catalog/images); left out,
  // the product's images stay as they are. The cap on `alt` here only bounds the request: the editor's limit
  // is checked below, as a field error.
  images: z
    .array(z.object({ blobId: text(64), alt: text(2000) }))
    .max(MAX_PRODUCT_IMAGES, `At most ${MAX_PRODUCT_IMAGES} images`)
    .optional(),
});
export type ProductFormInput = z.infer<typeof productFormInput>;

type ProductVariantData = {
  id?: string;
  values: string[];
  sku: string;
  price: number | null;
  stock: number;
  /** Undefined: leave the saved weight as it is (0 for a new variant). */
  weightGrams?: number;
  active: boolean;
};
export type ProductData = {
  name: string;
  slug: string;
  description: string;
  categoryId: string;
  /** Minor units. */
  price: number;
  active: boolean;
  featured: boolean;
  /** Undefined: leave the saved class as it is (the default for a new product). */
  taxClass?: TaxClass;
  options: Array<{ name: string; values: string[] }>;
  variants: ProductVariantData[];
  /** In the order shown (the first is the product's picture in lists); undefined: leave them as they are. */
  images?: Array<{ blobId: string; alt: string }>;
};

export type FieldErrors = Record<string, string>;
type ParsedProduct = { ok: true; data: ProductData } | { ok: false; fieldErrors: FieldErrors };

/** What a slug (a product's or a category's address segment) may be: lowercase words joined by single hyphens. */
export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SKU = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_STOCK = 1_000_000;
/** A tonne: far above anything parcel rates price, low enough that a slipped finger shows. */
const MAX_WEIGHT_GRAMS = 1_000_000;

/** Parses the product form into data or per-field errors (all of them at once, so staff fix everything in one go). */
export function parseProductForm(input: ProductFormInput, currency: string): ParsedProduct {
  const errors: FieldErrors = {};
  const name = input.name.trim();
  const slug = input.slug.trim();
  const description = input.description.trim();
  if (!name) errors.name = "Enter the product's name";
  if (!SLUG.test(slug)) errors.slug = "Use lowercase letters, digits and single hyphens, e.g. harbour-tee";
  if (!input.categoryId) errors.categoryId = "Choose a category";
  const price = parsePrice(input.price, currency);
  if (price === null) errors.price = priceError(input.price, currency);
  // Undefined: the form left the class out (the saved one stays); null: it names no class.
  const taxClass = input.taxClass === undefined ? undefined : (TAX_CLASSES.find((known) => known === input.taxClass?.trim()) ?? null);
  if (taxClass === null) errors.taxClass = "Choose standard, reduced or zero-rated";

  const options = input.options.map((option, i) => {
    const optionName = option.name.trim();
    const values = option.values
      .split(",")
      .map((value) => value.trim())
      .filter(Boolean);
    if (!optionName) errors[`options.${i}.name`] = "Name the option, e.g. Size";
    if (values.length === 0) errors[`options.${i}.values`] = "List its values, separated by commas";
    const repeated = firstDuplicate(values.map((value) => value.toLowerCase()));
    if (repeated !== undefined) errors[`options.${i}.values`] = `“${values[repeated]}” is listed twice`;
    return { name: optionName, values };
  });
  const repeatedOption = firstDuplicate(options.map((option) => option.name.toLowerCase()));
  if (repeatedOption !== undefined && options[repeatedOption]!.name) {
    errors[`options.${repeatedOption}.name`] = `Another option is already called “${options[repeatedOption]!.name}”`;
  }

  if (input.variants.length === 0) errors.variants = "Keep at least one variant";
  const variants = input.variants.map((variant, i): ProductVariantData => {
    const at = `variants.${i}`;
    const sku = variant.sku.trim();
    if (!SKU.test(sku)) errors[`${at}.sku`] = "Use letters, digits, dots, hyphens or underscores";
    const values = variant.values.map((value) => value.trim());
    const onePerOption = values.length === options.length && values.every((value, o) => options[o]!.values.includes(value));
    if (!onePerOption) errors[`${at}.values`] = "Choose one value of each option";
    const variantPrice = variant.price.trim() === "" ? null : parsePrice(variant.price, currency);
    if (variantPrice === null && variant.price.trim() !== "") errors[`${at}.price`] = priceError(variant.price, currency);
    const stock = wholeNumber(variant.stock, MAX_STOCK);
    if (stock === null) errors[`${at}.stock`] = stockError(variant.stock);
    const weightGrams = variant.weightGrams === undefined ? undefined : wholeNumber(variant.weightGrams, MAX_WEIGHT_GRAMS);
    if (weightGrams === null) errors[`${at}.weightGrams`] = weightError(variant.weightGrams!);
    return {
      ...(variant.id ? { id: variant.id } : {}),
      values,
      sku,
      price: variantPrice,
      stock: stock ?? 0,
      ...(typeof weightGrams === "number" ? { weightGrams } : {}),
      active: variant.active,
    };
  });
  const repeatedSku = firstDuplicate(variants.map((variant) => variant.sku.toLowerCase()));
  if (repeatedSku !== undefined && variants[repeatedSku]!.sku) errors[`variants.${repeatedSku}.sku`] = "Another variant has this SKU";
  const repeatedCombination = firstDuplicate(variants.map((variant) => JSON.stringify(variant.values)));
  if (repeatedCombination !== undefined) {
    errors[`variants.${repeatedCombination}.values`] =
      options.length > 0 ? "Another variant has the same values" : "A product without options has one variant";
  }

  const images = input.images?.map((image, i) => {
    const alt = image.alt.trim().replace(/\s+/g, " ");
    if (!image.blobId) errors[`images.${i}`] = "Upload this image again";
    if (!alt) errors[`images.${i}.alt`] = "Describe what the picture shows, for people who cannot see it";
    else if (alt.length > MAX_ALT_LENGTH) errors[`images.${i}.alt`] = `At most ${MAX_ALT_LENGTH} characters`;
    return { blobId: image.blobId, alt };
  });
  const repeatedImage = firstDuplicate(images?.map((image) => image.blobId) ?? []);
  if (repeatedImage !== undefined) errors[`images.${repeatedImage}`] = "This picture is already in the list";

  if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
  return {
    ok: true,
    data: {
      name,
      slug,
      description,
      categoryId: input.categoryId,
      price: price!,
      active: input.active,
      featured: input.featured,
      ...(taxClass ? { taxClass } : {}),
      options,
      variants,
      ...(images ? { images } : {}),
    },
  };
}

/** Every combination of the options' values, in the options' order (what "add all combinations" offers). */
export function combinations(options: Array<{ values: string[] }>): string[][] {
  return options.reduce<string[][]>((rows, option) => rows.flatMap((row) => option.values.map((value) => [...row, value])), [[]]);
}

/** The index of the second occurrence of the first value seen twice, or undefined. */
function firstDuplicate(values: string[]): number | undefined {
  const seen = new Set<string>();
  for (const [i, value] of values.entries()) {
    if (seen.has(value)) return i;
    seen.add(value);
  }
  return undefined;
}

function parsePrice(typed: string, currency: string): number | null {
  const minor = parseMajorUnits(typed, currency);
  return minor !== null && minor <= 100_000_000 ? minor : null;
}

function priceError(typed: string, currency: string): string {
  if (typed.trim().startsWith("-")) return "The price cannot be negative";
  if (typed.trim() === "") return "Enter a price";
  return `Enter an amount in ${currency.toUpperCase()}, e.g. 12.50`;
}

/** A whole number from 0 to `max` typed in digits only (no sign, point or unit), or null. */
function wholeNumber(typed: string, max: number): number | null {
  if (!/^\d+$/.test(typed.trim())) return null;
  const value = Number(typed.trim());
  return value <= max ? value : null;
}

function stockError(typed: string): string {
  if (typed.trim().startsWith("-")) return "Stock cannot be negative";
  if (/^\d+$/.test(typed.trim())) return "Stock is capped at 1,000,000";
  return "Stock must be a whole number";
}

function weightError(typed: string): string {
  if (typed.trim() === "") return "Enter the weight in grams";
  if (typed.trim().startsWith("-")) return "Weight cannot be negative";
  if (/^\d+$/.test(typed.trim())) return "Weight is capped at 1,000,000 g";
  return "Weight must be a whole number of grams";
}
