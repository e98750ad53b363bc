import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { expectedStockLabel, listingStock, productPageStock } from "../src/stock";

// Real pages of the shop's production build (seed catalog).
const fixture = (name: string) => readFile(path.join(import.meta.dirname, "fixtures", name), "utf8");

describe("reading stock from the shop's pages", () => {
  it("reads the badge of a product page", async () => {
    expect(productPageStock(await fixture("product-only-2-left.html"))).toBe("Only 2 left");
    expect(productPageStock(await fixture("product-sold-out.html"))).toBe("Sold out");
  });

  it("reads a product's card on a listing: its badge, or In stock when it shows none", async () => {
    const category = await fixture("category-lighting.html");
    expect(listingStock(category, "storm-lantern")).toBe("Only 2 left");
    expect(listingStock(category, "paper-pendant-lamp")).toBe("In stock");
    expect(listingStock(category, "stoneware-mug")).toBeNull();
  });

  it("ignores the words in scripts and finds no label where the page shows none", () => {
    expect(productPageStock(`<script>self.__next_f.push([1,"<span>Sold out</span>"])</script><article><p>Hello</p></article>`)).toBeNull();
    expect(productPageStock(`<article><p>Sold out. We are restocking soon.</p><span>In stock</span></article>`)).toBe("In stock");
  });
});

describe("the label a stock level should show", () => {
  it("follows the shop's thresholds", () => {
    expect(expectedStockLabel({ stock: 6 })).toBe("In stock");
    expect(expectedStockLabel({ stock: 5 })).toBe("Only 5 left");
    expect(expectedStockLabel({ stock: 1 })).toBe("Only 1 left");
    expect(expectedStockLabel({ stock: 0 })).toBe("Sold out");
    expect(expectedStockLabel({ stock: 9, active: false })).toBe("No longer available");
  });
});
