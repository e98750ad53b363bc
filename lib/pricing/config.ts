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

export async function loadPricingConfig(db: Reader = prisma): Promise<PricingConfig> {
  const [settings, zones, taxRates] = await Promise.all([
    db.shopSettings.findUnique({ where: { id: "shop" } }),
    db.shippingZone.findMany({
      where: { active: true },
      orderBy: [{ position: "asc" }, { createdAt: "asc" }],
      include: { rates: { where: { active: true }, orderBy: [{ position: "asc" }, { createdAt: "asc" }] } },
    }),
    db.taxRate.findMany(),
  ]);
  return {
    settings: { currency: SHOP_CURRENCY, pricesIncludeTax: settings?.pricesIncludeTax ?? false },
    zones: zones.map((zone) => ({
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
    taxRates: taxRates.flatMap((rate) =>
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
