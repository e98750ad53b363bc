import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { prisma, type Tx } from "@/lib/db";
import { SHOP_CURRENCY } from "@/lib/shop-currency";
import type { DiscountCode, ShippingRate, ShippingZone, ShopPricingSettings, TaxRate, WeightBracket } from "./types";

// The pricing configuration as the engine (./engine.ts) takes it, read from the database: the shop's settings,
// its active zones with their active rates, its tax rates, and a discount code by what the shopper typed.
// Reads only; staff edit these in the admin. A row the engine cannot use (a weight rate without brackets, a flat
// rate without an amount) is left out rather than priced wrongly.

type Reader = Tx | typeof prisma;

export type PricingConfig = { settings: ShopPricingSettings; zones: ShippingZone[]; taxRates: TaxRate[] };

function brackets(value: Prisma.JsonValue | null): WeightBracket[] | null {
  if (!Array.isArray(value)) return null;
  const parsed = value.map((b) =>
    b && typeof b === "object" && !Array.isArray(b) && typeof b.amount === "number"
      ? { upToGrams: typeof b.upToGrams === "number" ? b.upToGrams : null, amount: b.amount }
      : null,
  );
  return parsed.every((b) => b !== null) && parsed.length > 0 ? (parsed as WeightBracket[]) : null;
}

type ZoneRow = { id: string; name: string; countries: string[]; taxShipping: boolean; rates: RateRow[] };
type RateRow = {
  id: string;
  name: string;
  kind: "flat" | "weight";
  amount: number | null;
  brackets: Prisma.JsonValue | null;
  freeFrom: number | null;
};
type TaxRateRow = { name: string; country: string; region: string; taxClass: "standard" | "reduced" | "zero"; rate: number };

/**
 * The configuration in one query (every checkout start and quote reads it): the setting, the active zones in
 * their order with their active rates in theirs, and the tax rates, each as JSON.
 */
export async function loadPricingConfig(db: Reader = prisma): Promise<PricingConfig> {
  const [row] = await db.$queryRaw<Array<{ pricesIncludeTax: boolean | null; zones: ZoneRow[]; taxRates: TaxRateRow[] }>>`
    SELECT (SELECT "pricesIncludeTax" FROM "ShopSettings" WHERE id = 'shop') AS "pricesIncludeTax",
           (SELECT COALESCE(json_agg(json_build_object('id', z.id, 'name', z.name, 'countries', z.countries,
                     'taxShipping', z."taxShipping", 'rates',
                     (SELECT COALESCE(json_agg(json_build_object('id', r.id, 'name', r.name, 'kind', r.kind, 'amount', r.amount,
                               'brackets', r.brackets, 'freeFrom', r."freeFrom") ORDER BY r.position, r."createdAt"), '[]')
                        FROM "ShippingRate" r WHERE r."zoneId" = z.id AND r.active))
                   ORDER BY z.position, z."createdAt"), '[]')
              FROM "ShippingZone" z WHERE z.active) AS zones,
           (SELECT COALESCE(json_agg(json_build_object('name', t.name, 'country', t.country, 'region', t.region,
                     'taxClass', t."taxClass", 'rate', t.rate)), '[]')
              FROM "TaxRate" t) AS "taxRates"`;
  return {
    settings: { currency: SHOP_CURRENCY, pricesIncludeTax: row?.pricesIncludeTax ?? false },
    zones: (row?.zones ?? []).map((zone) => ({
      id: zone.id,
      name: zone.name,
      countries: zone.countries,
      taxShipping: zone.taxShipping,
      rates: zone.rates.flatMap((rate): ShippingRate[] => {
        const base = { id: rate.id, name: rate.name, freeFrom: rate.freeFrom };
        if (rate.kind === "flat") return rate.amount === null ? [] : [{ ...base, kind: "flat" as const, amount: rate.amount }];
        const list = brackets(rate.brackets);
        return list ? [{ ...base, kind: "weight" as const, brackets: list }] : [];
      }),
    })),
    taxRates: (row?.taxRates ?? []).flatMap((rate) =>
      rate.taxClass === "zero"
        ? []
        : [{ name: rate.name, country: rate.country, region: rate.region || null, taxClass: rate.taxClass, rate: rate.rate }],
    ),
  };
}

/** A code as checkout uses it: what the engine prices with, and its usage limits (lib/pricing/discount-uses.ts). */
export type FoundDiscountCode = DiscountCode & { id: string; usageLimit: number | null; perEmailLimit: number | null };

/** The active code the shopper typed (any letter case, spaces around ignored), or null. */
export async function findDiscountCode(typed: string, db: Reader = prisma): Promise<FoundDiscountCode | null> {
  const code = typed.trim().toUpperCase();
  if (!code) return null;
  const row = await db.discountCode.findUnique({ where: { code } });
  if (!row || !row.active) return null;
  const restricted = row.productIds.length > 0 || row.categoryIds.length > 0;
  return {
    id: row.id,
    code: row.code,
    kind: row.kind,
    value: row.value,
    minimumSubtotal: row.minimumSubtotal,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    appliesTo: restricted ? { productIds: row.productIds, categoryIds: row.categoryIds } : null,
    usageLimit: row.usageLimit,
    perEmailLimit: row.perEmailLimit,
  };
}
