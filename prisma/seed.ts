import type { PrismaClient, TaxClass } from "../lib/generated/prisma/client";
import { seedPricing } from "./seed-pricing";
import { SHOP_CURRENCY } from "../lib/shop-currency";

// The demo catalog. Prices are integers in cents: the shop sells in one currency (SHOP_CURRENCY, lib/shop-currency.ts), because a cart is single-currency.
// Stock levels are chosen to show every stock state: plenty, "only N left" (≤ 5), sold out, and one inactive product.
// Three products come in variants (options such as Size and Colour); each has one combination that is not made
// and one that is sold out. Every other product has one default variant carrying its stock.
// Every variant has a shipping weight (one unit, packed, in grams) so weight-bracket rates quote real brackets, and
// the printed planner is in the reduced tax class so the demo's German 7% shows beside the 19% (lib/pricing).

type SeedCategory = { slug: string; name: string; description: string; position: number };
type SeedVariant = { values: string[]; stock: number; weightGrams: number; price?: number };
type SeedProduct = {
  slug: string;
  name: string;
  description: string;
  price: number;
  /** The default variant's stock and weight in grams (products without options). */
  stock?: number;
  weightGrams?: number;
  /** Options in display order, each with its values in display order. */
  options?: Array<{ name: string; values: string[] }>;
  /** One entry per combination sold, its values in the options' order. */
  variants?: SeedVariant[];
  category: string;
  featured?: boolean;
  active?: boolean;
  /** Standard unless named. */
  taxClass?: TaxClass;
};

export const seedCategories: SeedCategory[] = [
  { slug: "kitchen", name: "Kitchen", description: "Stoneware, linen and cast iron for everyday cooking and slow mornings.", position: 1 },
  { slug: "stationery", name: "Stationery", description: "Notebooks, pens and planners for people who still like paper.", position: 2 },
  { slug: "lighting", name: "Lighting", description: "Warm light for desks, tables and long evenings.", position: 3 },
  { slug: "outdoors", name: "Outdoors", description: "Sturdy kit for the trail, the park and the back garden.", position: 4 },
];

export const seedProducts: SeedProduct[] = [
  {
    slug: "stoneware-mug",
    name: "Stoneware Mug",
    category: "kitchen",
    price: 1800,
    stock: 40,
    weightGrams: 350,
    featured: true,
    description: "A generous 350 ml mug, wheel-thrown and glazed in rust. Holds heat, survives the dishwasher.",
  },
  {
    slug: "pour-over-coffee-set",
    name: "Pour-Over Coffee Set",
    category: "kitchen",
    price: 4200,
    stock: 12,
    weightGrams: 900,
    featured: true,
    description: "Porcelain dripper and a heat-proof glass carafe for two cups of clear, bright coffee.",
  },
  {
    slug: "linen-tea-towels",
    name: "Linen Tea Towels (Set of 2)",
    category: "kitchen",
    price: 2400,
    stock: 3,
    weightGrams: 200,
    description: "Stonewashed European linen with a red stripe. Absorbent from the first wash and softer with every one.",
  },
  {
    slug: "cast-iron-skillet",
    name: "Cast Iron Skillet",
    category: "kitchen",
    price: 5600,
    stock: 0,
    weightGrams: 2400,
    description: "A 26 cm pre-seasoned skillet that goes from hob to oven to table. Will outlive us all.",
  },
  {
    slug: "ceramic-serving-bowl",
    name: "Ceramic Serving Bowl",
    category: "kitchen",
    price: 3800,
    stock: 18,
    weightGrams: 1100,
    description: "A wide cobalt bowl for salads, noodles and fruit, glazed inside and out.",
  },
  {
    slug: "vintage-kettle",
    name: "Vintage Enamel Kettle",
    category: "kitchen",
    price: 4900,
    stock: 5,
    weightGrams: 1200,
    active: false,
    description: "A teal enamel stovetop kettle from our first collection, now retired.",
  },
  {
    slug: "dot-grid-notebook",
    name: "Dot Grid Notebook",
    category: "stationery",
    price: 1400,
    stock: 120,
    weightGrams: 330,
    featured: true,
    description: "A5, 192 numbered pages of 100 gsm paper that takes fountain pen ink without bleeding.",
  },
  {
    slug: "brass-fountain-pen",
    name: "Brass Fountain Pen",
    category: "stationery",
    price: 6800,
    stock: 4,
    weightGrams: 120,
    description: "Solid brass body with a steel medium nib. Develops a warm patina as you write.",
  },
  {
    slug: "desk-planner",
    name: "Desk Planner",
    // The catalog's printed matter: the demo's one product in the reduced tax class.
    taxClass: "reduced",
    category: "stationery",
    price: 2200,
    stock: 60,
    weightGrams: 450,
    description: "An undated monthly planner that lies flat on the desk, with a page of notes for each week.",
  },
  {
    slug: "washi-tape-set",
    name: "Washi Tape Set",
    category: "stationery",
    price: 900,
    stock: 200,
    weightGrams: 60,
    description: "Three rolls of Japanese paper tape in pink, sky and mint. Tear by hand, lift without residue.",
  },
  {
    slug: "leather-journal-cover",
    name: "Leather Journal Cover",
    category: "stationery",
    price: 5200,
    stock: 9,
    weightGrams: 180,
    description: "Vegetable-tanned leather cover for A5 notebooks, with a brass stud closure.",
  },
  {
    slug: "paper-pendant-lamp",
    name: "Paper Pendant Lamp",
    category: "lighting",
    price: 8900,
    stock: 15,
    weightGrams: 450,
    featured: true,
    description: "A 45 cm mulberry paper shade on a bamboo frame that turns any bulb into soft, even light.",
  },
  {
    slug: "brass-desk-lamp",
    name: "Brass Desk Lamp",
    category: "lighting",
    price: 12500,
    stock: 7,
    weightGrams: 2800,
    featured: true,
    description: "An adjustable task lamp in brushed brass with a weighted base and a warm LED.",
  },
  {
    slug: "beeswax-candles",
    name: "Beeswax Candles (Pair)",
    category: "lighting",
    price: 1600,
    stock: 80,
    weightGrams: 180,
    description: "Hand-rolled pure beeswax tapers that burn clean for eight hours with a faint smell of honey.",
  },
  {
    slug: "storm-lantern",
    name: "Storm Lantern",
    category: "lighting",
    price: 4500,
    stock: 2,
    weightGrams: 700,
    description: "A classic red hurricane lantern with a glass chimney, for power cuts and garden dinners.",
  },
  {
    slug: "canvas-daypack",
    name: "Canvas Daypack",
    category: "outdoors",
    price: 7900,
    stock: 25,
    weightGrams: 1100,
    featured: true,
    description: "Waxed cotton canvas, leather straps and a padded sleeve for a laptop. Twenty litres.",
  },
  {
    slug: "insulated-bottle",
    name: "Insulated Bottle",
    category: "outdoors",
    price: 3200,
    stock: 90,
    weightGrams: 380,
    featured: true,
    description: "Double-walled steel keeps drinks cold for 24 hours or hot for 12. 750 ml, leak-proof lid.",
  },
  {
    slug: "wool-picnic-blanket",
    name: "Wool Picnic Blanket",
    category: "outdoors",
    price: 5400,
    stock: 10,
    weightGrams: 1800,
    featured: true,
    description: "A thick checked wool blanket with a waterproof backing and a leather carrying strap.",
  },
  {
    slug: "enamel-camp-mug",
    name: "Enamel Camp Mug",
    category: "outdoors",
    price: 1500,
    stock: 65,
    weightGrams: 200,
    description: "Speckled enamel on steel: light, unbreakable and happy over a camp stove.",
  },
  {
    slug: "cedar-planter",
    name: "Cedar Planter",
    category: "outdoors",
    price: 3600,
    stock: 1,
    weightGrams: 3500,
    description: "A slatted cedar planter for herbs on a balcony, lined to keep the soil in.",
  },
  {
    slug: "harbour-tee",
    name: "Harbour T-Shirt",
    category: "outdoors",
    price: 2800,
    featured: true,
    description: "Heavy organic cotton, garment-dyed and cut a little long. Softens with every wash.",
    options: [
      { name: "Size", values: ["S", "M", "L"] },
      { name: "Colour", values: ["Navy", "Sand"] },
    ],
    variants: [
      { values: ["S", "Navy"], stock: 8, weightGrams: 170 },
      { values: ["S", "Sand"], stock: 5, weightGrams: 170 },
      { values: ["M", "Navy"], stock: 12, weightGrams: 185 },
      { values: ["L", "Navy"], stock: 0, weightGrams: 200 },
      { values: ["L", "Sand"], stock: 3, weightGrams: 200, price: 3000 },
    ],
  },
  {
    slug: "field-notebook",
    name: "Field Notebook",
    category: "stationery",
    price: 1600,
    description: "A5, 160 pages of 90 gsm paper in a waxed-canvas cover that takes rain and pockets.",
    options: [{ name: "Paper", values: ["Dot grid", "Lined", "Blank"] }],
    variants: [
      { values: ["Dot grid"], stock: 30, weightGrams: 280 },
      { values: ["Lined"], stock: 0, weightGrams: 280 },
    ],
  },
  {
    slug: "tide-mug",
    name: "Tide Mug",
    category: "kitchen",
    price: 2000,
    description: "A squat 300 ml mug glazed to look like the sea at different hours.",
    options: [
      { name: "Glaze", values: ["Dawn", "Noon", "Dusk"] },
      { name: "Handle", values: ["Round", "Square"] },
    ],
    variants: [
      { values: ["Dawn", "Round"], stock: 6, weightGrams: 320 },
      { values: ["Noon", "Round"], stock: 2, weightGrams: 320 },
      { values: ["Noon", "Square"], stock: 0, weightGrams: 340 },
      { values: ["Dusk", "Square"], stock: 9, weightGrams: 340, price: 2200 },
    ],
  },
];

/**
 * Idempotent: upserts by slug. Existing rows keep their stock, price and active flag, because checkout and
 * admins change those and a restart of the dev stack must not undo that; descriptive fields follow the seed.
 * The tax class and weights are staff's too, so on an existing row the seed only fills in what nobody has set
 * (a database from before they existed): the class while staff have never saved the product, a weight while it is 0.
 */
export async function seed(prisma: PrismaClient): Promise<void> {
  const categoryIds = new Map<string, string>();
  for (const category of seedCategories) {
    const { slug, ...fields } = category;
    const row = await prisma.category.upsert({ where: { slug }, create: category, update: fields, select: { id: true } });
    categoryIds.set(slug, row.id);
  }

  for (const product of seedProducts) {
    const categoryId = categoryIds.get(product.category);
    if (!categoryId) throw new Error(`Seed product ${product.slug} names unknown category ${product.category}`);
    if (!product.variants && product.weightGrams === undefined) throw new Error(`Seed product ${product.slug} has no weight`);
    const descriptive = {
      name: product.name,
      description: product.description,
      image: `/products/${product.slug}.svg`,
      featured: product.featured ?? false,
      categoryId,
    };
    const taxClass = product.taxClass ?? "standard";
    const { id: productId } = await prisma.product.upsert({
      where: { slug: product.slug },
      create: {
        ...descriptive,
        slug: product.slug,
        price: product.price,
        currency: SHOP_CURRENCY,
        active: product.active ?? true,
        taxClass,
      },
      update: descriptive,
      select: { id: true },
    });
    // Version 0: no staff save yet (the editor bumps it), so the stored class is the column's default, not a choice.
    await prisma.product.updateMany({ where: { id: productId, version: 0, taxClass: { not: taxClass } }, data: { taxClass } });
    await seedVariants(prisma, productId, product);
  }
  await seedPricing(prisma);
}

/**
 * The product's options, values and variants, created when missing; an existing variant keeps its stock,
 * price and active flag (checkout and staff change those), and its weight unless that is still 0 (never weighed:
 * every demo good weighs something). The option key is the variant's value ids, sorted and joined (lib/catalog: variantKey).
 */
async function seedVariants(prisma: PrismaClient, productId: string, product: SeedProduct): Promise<void> {
  const options = product.options ?? [];
  const valueIds = new Map<string, string>();
  for (const [position, option] of options.entries()) {
    const { id: optionId } = await prisma.productOption.upsert({
      where: { productId_name: { productId, name: option.name } },
      create: { productId, name: option.name, position },
      update: { position },
      select: { id: true },
    });
    for (const [valuePosition, value] of option.values.entries()) {
      const row = await prisma.productOptionValue.upsert({
        where: { optionId_value: { optionId, value } },
        create: { optionId, value, position: valuePosition },
        update: { position: valuePosition },
        select: { id: true },
      });
      valueIds.set(`${option.name}=${value}`, row.id);
    }
  }
  const variants = product.variants ?? [{ values: [], stock: product.stock ?? 0, weightGrams: product.weightGrams ?? 0 }];
  for (const [position, variant] of variants.entries()) {
    const ids = variant.values.map((value, i) => {
      const id = valueIds.get(`${options[i]?.name}=${value}`);
      if (!id) throw new Error(`Seed product ${product.slug}: variant value ${value} is not a value of option ${i + 1}`);
      return id;
    });
    const optionKey = [...ids].sort().join(",");
    const sku = [product.slug, ...variant.values.map((value) => value.toLowerCase().replace(/[^a-z0-9]+/g, "-"))].join("-");
    await prisma.productVariant.upsert({
      where: { productId_optionKey: { productId, optionKey } },
      create: {
        productId,
        optionKey,
        sku,
        stock: variant.stock,
        price: variant.price ?? null,
        weightGrams: variant.weightGrams,
        position,
        values: { create: ids.map((valueId) => ({ valueId })) },
      },
      update: { position },
    });
    await prisma.productVariant.updateMany({
      where: { productId, optionKey, weightGrams: 0 },
      data: { weightGrams: variant.weightGrams },
    });
  }
}
