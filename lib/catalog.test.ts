import { describe, expect, it, vi } from "vitest";

vi.mock("@/lib/db", () => ({ prisma: {} }));

const { normalizeQuery, searchProducts, variantOptions } = await import("@/lib/catalog");
const { isPurchasable, stockState } = await import("@/lib/stock-state");
const { firstPurchasableVariant } = await import("@/lib/variant-choice");

describe("stock state shown on product pages", () => {
  it("says in stock above five units", () => {
    expect(stockState({ stock: 6, active: true })).toEqual({ kind: "in_stock", label: "In stock" });
  });

  it("says only N left from five units down to one", () => {
    expect(stockState({ stock: 5, active: true })).toMatchObject({ kind: "low", label: "Only 5 left" });
    expect(stockState({ stock: 1, active: true })).toMatchObject({ kind: "low", label: "Only 1 left" });
  });

  it("says sold out at zero, and no longer available when inactive whatever the stock", () => {
    expect(stockState({ stock: 0, active: true }).label).toBe("Sold out");
    expect(stockState({ stock: 30, active: false }).label).toBe("No longer available");
  });

  it("lets only in-stock active products be bought", () => {
    expect(isPurchasable({ stock: 3, active: true })).toBe(true);
    expect(isPurchasable({ stock: 0, active: true })).toBe(false);
    expect(isPurchasable({ stock: 3, active: false })).toBe(false);
  });
});

describe("search", () => {
  const products = [
    { name: "Stoneware Mug", description: "Wheel-thrown and glazed in rust." },
    { name: "Enamel Camp Mug", description: "Speckled enamel on steel." },
    { name: "Dot Grid Notebook", description: "Paper that takes fountain pen ink." },
    { name: "100% Cotton Bag", description: "Holds 20_litres." },
  ];

  it("matches name or description regardless of case", () => {
    expect(searchProducts(products, "MUG").map((p) => p.name)).toEqual(["Stoneware Mug", "Enamel Camp Mug"]);
    expect(searchProducts(products, "Fountain").map((p) => p.name)).toEqual(["Dot Grid Notebook"]);
  });

  it("lists products named after the query before those that only mention it", () => {
    expect(searchProducts(products, "ink").map((p) => p.name)).toEqual(["Dot Grid Notebook"]);
    const withPen = [...products, { name: "Ink Bottle", description: "Blue-black." }];
    expect(searchProducts(withPen, "ink").map((p) => p.name)).toEqual(["Ink Bottle", "Dot Grid Notebook"]);
  });

  it("requires every word to match", () => {
    expect(searchProducts(products, "enamel mug").map((p) => p.name)).toEqual(["Enamel Camp Mug"]);
    expect(searchProducts(products, "enamel notebook")).toEqual([]);
  });

  it("treats SQL and LIKE wildcards as plain text", () => {
    expect(searchProducts(products, `' OR 1=1; DROP TABLE "Product"; --`)).toEqual([]);
    expect(searchProducts(products, "%")).toEqual([products[3]]);
    expect(searchProducts(products, "_")).toEqual([products[3]]);
  });

  it("returns nothing for an empty query", () => {
    expect(searchProducts(products, "   ")).toEqual([]);
  });

  it("normalises the raw query parameter", () => {
    expect(normalizeQuery(["  a   b ", "c"])).toBe("a b");
    expect(normalizeQuery(undefined)).toBe("");
    expect(normalizeQuery("x".repeat(300))).toHaveLength(100);
  });
});

describe("variants on a product page", () => {
  const options = [
    {
      id: "size",
      name: "Size",
      values: [
        { id: "s", value: "S" },
        { id: "m", value: "M" },
      ],
    },
    { id: "colour", name: "Colour", values: [{ id: "navy", value: "Navy" }] },
  ];
  const variant = (id: string, values: string[], stock: number, active = true) => ({ id, sku: id, price: 2500, stock, active, values });

  it("names a variant's options in the product's option order, whatever order its values come in", () => {
    expect(variantOptions({ options }, { values: ["navy", "m"] })).toBe("Size: M, Colour: Navy");
    expect(variantOptions({ options: [] }, { values: [] })).toBe("");
  });

  it("offers the first active variant with stock, and none for a retired product", () => {
    const variants = [variant("s-navy", ["s", "navy"], 0), variant("m-old", ["m"], 9, false), variant("m-navy", ["m", "navy"], 2)];
    expect(firstPurchasableVariant({ active: true, variants })?.id).toBe("m-navy");
    expect(firstPurchasableVariant({ active: false, variants })).toBeNull();
    expect(firstPurchasableVariant({ active: true, variants: variants.slice(0, 2) })).toBeNull();
  });
});
