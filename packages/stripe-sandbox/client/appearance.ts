// Appearance API (theme + variables) → CSS custom properties for the card frame, DOM-free.
import type { Appearance } from "@stripe/stripe-js";

type Theme = NonNullable<Appearance["theme"]>;

export interface FrameStyle {
  colorPrimary: string;
  colorBackground: string;
  colorText: string;
  colorDanger: string;
  colorInputBackground: string;
  colorBorder: string;
  fontFamily: string;
  fontSizeBase: string;
  borderRadius: string;
  spacingUnit: string;
}

const SYSTEM_FONTS = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Ubuntu, sans-serif';

// Defaults of Stripe's three built-in themes (values read off the rendered element; unconfirmed in detail).
const THEMES: Record<Theme, FrameStyle> = {
  stripe: {
    colorPrimary: "#0570de",
    colorBackground: "#ffffff",
    colorText: "#30313d",
    colorDanger: "#df1b41",
    colorInputBackground: "#ffffff",
    colorBorder: "#e6e6e6",
    fontFamily: SYSTEM_FONTS,
    fontSizeBase: "16px",
    borderRadius: "5px",
    spacingUnit: "4px",
  },
  night: {
    colorPrimary: "#0570de",
    colorBackground: "#30313d",
    colorText: "#ffffff",
    colorDanger: "#fe87a1",
    colorInputBackground: "#30313d",
    colorBorder: "#424353",
    fontFamily: SYSTEM_FONTS,
    fontSizeBase: "16px",
    borderRadius: "5px",
    spacingUnit: "4px",
  },
  flat: {
    colorPrimary: "#0570de",
    colorBackground: "#ffffff",
    colorText: "#30313d",
    colorDanger: "#df1b41",
    colorInputBackground: "#f1f1f1",
    colorBorder: "#f1f1f1",
    fontFamily: SYSTEM_FONTS,
    fontSizeBase: "16px",
    borderRadius: "5px",
    spacingUnit: "4px",
  },
};

/** Theme defaults overlaid with the merchant's `appearance.variables` (unknown themes fall back to 'stripe' like Stripe.js). */
export function resolveAppearance(appearance: Appearance | undefined): FrameStyle {
  const base = THEMES[appearance?.theme ?? "stripe"] ?? THEMES.stripe;
  const vars = appearance?.variables ?? {};
  // colorBackground also paints inputs unless the theme gives them their own colour (flat).
  const background = vars.colorBackground ?? base.colorBackground;
  return {
    colorPrimary: vars.colorPrimary ?? base.colorPrimary,
    colorBackground: background,
    colorText: vars.colorText ?? base.colorText,
    colorDanger: vars.colorDanger ?? base.colorDanger,
    colorInputBackground: appearance?.theme === "flat" ? base.colorInputBackground : background,
    colorBorder: base.colorBorder,
    fontFamily: vars.fontFamily ?? base.fontFamily,
    fontSizeBase: vars.fontSizeBase ?? base.fontSizeBase,
    borderRadius: vars.borderRadius ?? base.borderRadius,
    spacingUnit: vars.spacingUnit ?? base.spacingUnit,
  };
}

/** [["--sb-color-primary", "#0570de"], …] for the frame's :root; set one by one so a value cannot break out of its declaration. */
export function cssVariables(style: FrameStyle): Array<[string, string]> {
  return Object.entries(style).map(([key, value]) => [`--sb-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, value]);
}
