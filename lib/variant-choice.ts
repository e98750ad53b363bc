// The product page's variant picker, as pure rules: which variant a choice of option values names, what the
// page starts with (from ?variant=<sku> or the default), and how each value reads given the other choices.
// Pure and free of server-only imports, so the picker (a client component) and the server page share it.
import type { ProductSummary, VariantSummary } from "@/lib/catalog";
import { formatMoney } from "@/lib/money";
import { stockState } from "@/lib/stock-state";

type Product = Pick<ProductSummary, "active" | "options" | "variants">;

/** One value id per option id. */
export type Choice = Record<string, string>;

/** How a value reads with the other options as chosen: "sold_out" and "not_available" cannot be bought. */
export type ValueAvailability = "available" | "sold_out" | "not_available";

/** The variant a product page offers first: the first active one with stock, or null when none can be bought. */
export function firstPurchasableVariant(product: Pick<ProductSummary, "active" | "variants">): VariantSummary | null {
  return product.active ? (product.variants.find((variant) => variant.active && variant.stock > 0) ?? null) : null;
}

/** A variant's values as a choice over the product's options (options it has no value for are left out). */
export function choiceOf(product: Pick<ProductSummary, "options">, variant: Pick<VariantSummary, "values">): Choice {
  const choice: Choice = {};
  for (const option of product.options) {
    const value = option.values.find((candidate) => variant.values.includes(candidate.id));
    if (value) choice[option.id] = value.id;
  }
  return choice;
}

/** The variant whose values are exactly the chosen ones, one per option; null for a combination not sold. */
export function chosenVariant(product: Pick<ProductSummary, "options" | "variants">, choice: Choice): VariantSummary | null {
  const chosen = product.options.map((option) => choice[option.id]);
  if (chosen.some((value) => value === undefined)) return null;
  return (
    product.variants.find(
      (variant) => variant.values.length === chosen.length && chosen.every((value) => variant.values.includes(value!)),
    ) ?? null
  );
}

/**
 * What the page starts with: the variant of `sku` when the product has one, else the first purchasable
 * variant, else the first active one, else the first; an option none of those covers takes its first value.
 */
export function initialChoice(product: Product, sku: string | null): Choice {
  const variant =
    (sku === null ? undefined : product.variants.find((candidate) => candidate.sku === sku)) ??
    firstPurchasableVariant(product) ??
    product.variants.find((candidate) => candidate.active) ??
    product.variants[0];
  const choice = variant ? choiceOf(product, variant) : {};
  for (const option of product.options) {
    const first = option.values[0];
    if (choice[option.id] === undefined && first) choice[option.id] = first.id;
  }
  return choice;
}

/** Whether a variant can be bought: on sale (it and its product) with stock; which reason when not. */
export function variantAvailability(product: Pick<ProductSummary, "active">, variant: VariantSummary | null): ValueAvailability {
  if (!variant || !product.active || !variant.active) return "not_available";
  return variant.stock > 0 ? "available" : "sold_out";
}

/** How `valueId` of `optionId` reads with every other option as chosen: the availability of that variant. */
export function valueAvailability(product: Product, choice: Choice, optionId: string, valueId: string): ValueAvailability {
  return variantAvailability(product, chosenVariant(product, { ...choice, [optionId]: valueId }));
}

/** The chosen values as text, "Size: M, Colour: Navy", in option order, whether or not that variant is made. */
export function choiceText(product: Pick<ProductSummary, "options">, choice: Choice): string {
  return product.options
    .flatMap((option) => {
      const value = option.values.find((candidate) => candidate.id === choice[option.id]);
      return value ? [`${option.name}: ${value.value}`] : [];
    })
    .join(", ");
}

/**
 * What the picker's live region says after a pick: the choice, then its price and stock, or why it cannot be
 * bought ("Size: M, Colour: Navy. $28.00, In stock." or "Size: L, Colour: Navy. Sold out.").
 */
export function choiceAnnouncement(product: Product & Pick<ProductSummary, "currency">, choice: Choice): string {
  const variant = chosenVariant(product, choice);
  const availability = variantAvailability(product, variant);
  const chosen = choiceText(product, choice);
  if (variant && availability === "available") {
    return `${chosen}. ${formatMoney(variant.price, product.currency)}, ${stockState({ stock: variant.stock, active: true }).label}.`;
  }
  return `${chosen}. ${availability === "sold_out" ? "Sold out." : "Not available in this combination."}`;
}
