import { describe, expect, it } from "vitest";
import { cssVariables, resolveAppearance } from "./appearance";

describe("appearance", () => {
  it("uses the stripe theme by default and lets variables override it", () => {
    expect(resolveAppearance(undefined).colorBackground).toBe("#ffffff");
    const style = resolveAppearance({ theme: "stripe", variables: { colorPrimary: "#ff0000", borderRadius: "2px" } });
    expect(style.colorPrimary).toBe("#ff0000");
    expect(style.borderRadius).toBe("2px");
  });

  it("darkens the night theme and greys flat inputs", () => {
    expect(resolveAppearance({ theme: "night" }).colorText).toBe("#ffffff");
    expect(resolveAppearance({ theme: "flat" }).colorInputBackground).toBe("#f1f1f1");
  });

  it("names CSS variables in kebab case", () => {
    expect(cssVariables(resolveAppearance(undefined))).toContainEqual(["--sb-color-primary", "#0570de"]);
  });
});
