import { describe, expect, it } from "vitest";
import { choiceAnnouncement, choiceText, chosenVariant, initialChoice, valueAvailability, variantAvailability } from "@/lib/variant-choice";

// A T-shirt like the seed's: S/M/L × Navy/Sand, M/Sand not made, S/Navy and L/Navy sold out.
const options = [
  { id: "size", name: "Size", values: ["s", "m", "l"].map((id) => ({ id, value: id.toUpperCase() })) },
  { id: "colour", name: "Colour", values: ["navy", "sand"].map((id) => ({ id, value: id })) },
];
const variant = (size: string, colour: string, stock: number, active = true) => ({
  id: `${size}-${colour}`,
  sku: `tee-${size}-${colour}`,
  price: 2800,
  stock,
  active,
  values: [colour, size],
});
const variants = [
  variant("s", "navy", 0),
  variant("s", "sand", 5),
  variant("m", "navy", 6),
  variant("l", "navy", 0),
  variant("l", "sand", 3),
];
const tee = { active: true, options, variants };

describe("the variant a choice names", () => {
  it("is the variant with exactly the chosen values, whatever order it stores them in", () => {
    expect(chosenVariant(tee, { size: "m", colour: "navy" })?.id).toBe("m-navy");
  });

  it("is none for a combination not made, or while an option is unchosen", () => {
    expect(chosenVariant(tee, { size: "m", colour: "sand" })).toBeNull();
    expect(chosenVariant(tee, { size: "m" })).toBeNull();
  });
});

describe("the choice a product page starts with", () => {
  it("is the variant of the SKU in the URL, even one that cannot be bought", () => {
    expect(initialChoice(tee, "tee-s-sand")).toEqual({ size: "s", colour: "sand" });
    expect(initialChoice(tee, "tee-l-navy")).toEqual({ size: "l", colour: "navy" });
  });

  it("is the first variant on sale with stock without a SKU or for an unknown one", () => {
    expect(initialChoice(tee, null)).toEqual({ size: "s", colour: "sand" });
    expect(initialChoice(tee, "no-such-sku")).toEqual({ size: "s", colour: "sand" });
  });

  it("is the first active variant when none has stock, and every option's first value when there is none", () => {
    const soldOut = { ...tee, variants: [variant("l", "sand", 0, false), variant("m", "navy", 0)] };
    expect(initialChoice(soldOut, null)).toEqual({ size: "m", colour: "navy" });
    expect(initialChoice({ ...tee, variants: [] }, null)).toEqual({ size: "s", colour: "navy" });
  });
});

describe("how each value reads with the other options as chosen", () => {
  const choice = { size: "m", colour: "navy" };

  it("is available when that variant is on sale with stock", () => {
    expect(valueAvailability(tee, { size: "s", colour: "navy" }, "colour", "sand")).toBe("available");
    expect(valueAvailability(tee, { size: "s", colour: "sand" }, "size", "l")).toBe("available");
    expect(valueAvailability(tee, choice, "size", "m")).toBe("available");
  });

  it("is sold out when that variant has no stock, and not available when it is not made or retired", () => {
    expect(valueAvailability(tee, choice, "size", "l")).toBe("sold_out");
    expect(valueAvailability(tee, choice, "colour", "sand")).toBe("not_available");
    const retired = { ...tee, variants: [variant("m", "navy", 6, false)] };
    expect(valueAvailability(retired, choice, "size", "m")).toBe("not_available");
  });

  it("is not available for anything of a retired product", () => {
    expect(variantAvailability({ active: false }, variants[2]!)).toBe("not_available");
    expect(variantAvailability({ active: true }, null)).toBe("not_available");
  });
});

describe("what the picker announces after a pick", () => {
  const shop = { ...tee, currency: "usd" };

  it("is the choice with the variant's price and stock as the page shows them", () => {
    expect(choiceAnnouncement(shop, { size: "m", colour: "navy" })).toBe("Size: M, Colour: navy. $28.00, In stock.");
    expect(choiceAnnouncement(shop, { size: "l", colour: "sand" })).toBe("Size: L, Colour: sand. $28.00, Only 3 left.");
  });

  it("is the choice with why it cannot be bought: sold out, or not made (or retired) in that combination", () => {
    expect(choiceAnnouncement(shop, { size: "l", colour: "navy" })).toBe("Size: L, Colour: navy. Sold out.");
    expect(choiceAnnouncement(shop, { size: "m", colour: "sand" })).toBe("Size: M, Colour: sand. Not available in this combination.");
    const retired = { ...shop, variants: [variant("m", "navy", 6, false)] };
    expect(choiceAnnouncement(retired, { size: "m", colour: "navy" })).toBe("Size: M, Colour: navy. Not available in this combination.");
  });

  it("names the chosen values in option order, leaving out an option not chosen", () => {
    expect(choiceText(tee, { colour: "sand", size: "s" })).toBe("Size: S, Colour: sand");
    expect(choiceText(tee, { colour: "sand" })).toBe("Colour: sand");
  });
});
