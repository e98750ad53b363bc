// The demo shop's pricing (issue 15): zones for the United States, the European Union and the rest of the
// world, US state sales tax for a few states, EU VAT with reduced rates, a free-shipping threshold and one
// demo code. Idempotent: each row is created once by its natural key and left alone after, because staff
// edit these in the admin and a restart must not undo that.
import type { PrismaClient } from "../lib/generated/prisma/client";

/** The EU's member states (ISO 3166-1 alpha-2). */
const EU = "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split(" ");

type SeedZone = {
  name: string;
  countries: string[];
  taxShipping: boolean;
  rates: Array<{
    /** Stable ids, so scripts and tests can choose a rate by name ("standard") as the form does by id. */
    id: string;
    name: string;
    kind: "flat" | "weight";
    amount?: number;
    brackets?: Array<{ upToGrams: number | null; amount: number }>;
    freeFrom?: number;
  }>;
};

const ZONES: SeedZone[] = [
  {
    name: "United States",
    countries: ["US"],
    taxShipping: false,
    rates: [
      { id: "standard", name: "Standard (3–5 business days)", kind: "flat", amount: 500, freeFrom: 7500 },
      { id: "express", name: "Express (1–2 business days)", kind: "flat", amount: 1500 },
    ],
  },
  {
    name: "European Union",
    countries: EU,
    taxShipping: true,
    rates: [
      {
        id: "eu-standard",
        name: "Standard international",
        kind: "weight",
        brackets: [
          { upToGrams: 1000, amount: 1499 },
          { upToGrams: 5000, amount: 2499 },
          { upToGrams: 20000, amount: 4999 },
        ],
      },
    ],
  },
  {
    name: "Rest of the world",
    countries: "CA GB AU NZ JP CH NO SG".split(" "),
    taxShipping: false,
    rates: [{ id: "international", name: "International", kind: "flat", amount: 2999 }],
  },
];

/** Basis points: 725 = 7.25%. */
const TAX_RATES = [
  { name: "California sales tax", country: "US", region: "CA", taxClass: "standard", rate: 725 },
  { name: "New York sales tax", country: "US", region: "NY", taxClass: "standard", rate: 400 },
  { name: "Washington sales tax", country: "US", region: "WA", taxClass: "standard", rate: 650 },
  { name: "German VAT", country: "DE", region: "", taxClass: "standard", rate: 1900 },
  { name: "German VAT (reduced)", country: "DE", region: "", taxClass: "reduced", rate: 700 },
  { name: "French VAT", country: "FR", region: "", taxClass: "standard", rate: 2000 },
  { name: "French VAT (reduced)", country: "FR", region: "", taxClass: "reduced", rate: 550 },
  { name: "Dutch VAT", country: "NL", region: "", taxClass: "standard", rate: 2100 },
  { name: "Dutch VAT (reduced)", country: "NL", region: "", taxClass: "reduced", rate: 900 },
] as const;

/** The README's demo code: 10% off everything, any number of times. */
const DEMO_CODE = "WELCOME10";

export async function seedPricing(prisma: PrismaClient): Promise<void> {
  await prisma.shopSettings.upsert({ where: { id: "shop" }, create: { id: "shop", pricesIncludeTax: false }, update: {} });
  for (const [position, zone] of ZONES.entries()) {
    if (await prisma.shippingZone.findFirst({ where: { name: zone.name }, select: { id: true } })) continue;
    await prisma.shippingZone.create({
      data: {
        name: zone.name,
        countries: zone.countries,
        taxShipping: zone.taxShipping,
        position,
        rates: {
          create: zone.rates.map((rate, i) => ({
            id: rate.id,
            name: rate.name,
            kind: rate.kind,
            amount: rate.amount ?? null,
            brackets: rate.brackets ?? undefined,
            freeFrom: rate.freeFrom ?? null,
            position: i,
          })),
        },
      },
    });
  }
  for (const rate of TAX_RATES) {
    const key = { country: rate.country, region: rate.region, taxClass: rate.taxClass };
    await prisma.taxRate.upsert({ where: { country_region_taxClass: key }, create: rate, update: {} });
  }
  await prisma.discountCode.upsert({
    where: { code: DEMO_CODE },
    create: { code: DEMO_CODE, kind: "percentage", value: 1000 },
    update: {},
  });
}
