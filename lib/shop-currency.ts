import { currencyExponent } from "./money";

// The shop's one currency: every price, cart, order and PaymentIntent is in it, and every amount is an integer
// in its minor unit (lib/money.ts). Set by SHOP_CURRENCY (lowercase ISO 4217, default usd) when the shop is
// deployed, not in the admin: prices are entered in it, so changing it later means re-entering every price.
// Read on the server; components in the browser get the currency with the figures they show.

function shopCurrency(value: string | undefined): string {
  const currency = (value ?? "").trim().toLowerCase() || "usd";
  currencyExponent(currency); // throws on anything that is not a three-letter code
  return currency;
}

export const SHOP_CURRENCY = shopCurrency(process.env.SHOP_CURRENCY);
