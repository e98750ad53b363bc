import { Prisma } from "@/lib/generated/prisma/client";

// How a variant's options read as text, e.g. "Size: M, Colour: Navy": options in their position order
// (then by name), "" for a product without options. One SQL fragment for the one-statement reads and one
// function for Prisma's nested reads; both order the same way. The text is what carts show and what order
// items keep as their snapshot.

/** The options text of the variant whose id is `variantId` (a column or a value). */
export function variantOptionsSql(variantId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(SELECT COALESCE(string_agg(o.name || ': ' || ov.value, ', ' ORDER BY o.position, o.name), '')
     FROM "VariantOptionValue" vov JOIN "ProductOptionValue" ov ON ov.id = vov."valueId" JOIN "ProductOption" o ON o.id = ov."optionId"
     WHERE vov."variantId" = ${variantId})`;
}

/** What Prisma reads of a variant's option values for variantOptionsText. */
export const variantValuesSelect = {
  select: { value: { select: { value: true, option: { select: { name: true, position: true } } } } },
} as const satisfies Prisma.ProductVariant$valuesArgs;

type VariantValues = Prisma.VariantOptionValueGetPayload<typeof variantValuesSelect>[];

export function variantOptionsText(values: VariantValues): string {
  return values
    .map(({ value }) => value)
    .sort((a, b) => a.option.position - b.option.position || (a.option.name < b.option.name ? -1 : a.option.name > b.option.name ? 1 : 0))
    .map((value) => `${value.option.name}: ${value.value}`)
    .join(", ");
}
