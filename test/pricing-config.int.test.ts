// The seeded demo configuration, read from the database, priced by the pure engine: the figures a shopper in
// California, Germany or Brazil would see, and the demo code in any letter case.
import { describe, expect, it } from "vitest";
import { findDiscountCode, loadPricingConfig } from "@/lib/pricing/config";
import { priceOrder } from "@/lib/pricing/engine";
import type { CartLine, Destination } from "@/lib/pricing/types";

const line = (unitPrice: number, quantity = 1, fields: Partial<CartLine> = {}): CartLine => ({
  variantId: "v",
  productId: "p",
  categoryId: null,
  unitPrice,
  quantity,
  taxClass: "standard",
  weightGrams: 400,
  ...fields,
});

async function price(destination: Destination, lines: CartLine[], rateName: RegExp, code: string | null = null) {
  const config = await loadPricingConfig();
  const zone = config.zones.find((z) => z.countries.includes(destination.country));
  const rate = zone?.rates.find((r) => rateName.test(r.name));
  return priceOrder({
    ...config,
    lines,
    destination,
    shippingRateId: rate?.id ?? "none",
    discountCode: code ? await findDiscountCode(code) : null,
    now: new Date(),
  });
}

describe("the demo shop's pricing", () => {
  it("California: sales tax on the goods, standard shipping free from $75", async () => {
    const under = await price({ country: "US", region: "CA" }, [line(2400, 2)], /^Standard/);
    expect(under).toMatchObject({ ok: true, subtotal: 4800, shipping: { amount: 500, tax: 0 }, tax: 348, total: 5648 });
    const over = await price({ country: "US", region: "CA" }, [line(4000, 2)], /^Standard/);
    expect(over).toMatchObject({ ok: true, shipping: { amount: 0 }, tax: 580, total: 8580 });
  });

  it("Germany: 19% VAT on goods and on shipping (taxed in the EU zone), 7% on reduced goods", async () => {
    const priced = await price(
      { country: "DE", region: null },
      [line(2000), line(1000, 1, { variantId: "book", taxClass: "reduced" })],
      /international/,
    );
    expect(priced).toMatchObject({ ok: true, subtotal: 3000, shipping: { amount: 1499, tax: 285 } });
    if (!priced.ok) throw new Error("not priced");
    expect(priced.taxLines.map((t) => [t.name, t.amount])).toEqual(
      expect.arrayContaining([
        ["German VAT", 380 + 285],
        ["German VAT (reduced)", 70],
      ]),
    );
    expect(priced.total).toBe(3000 + 1499 + priced.tax);
  });

  it("a country in no zone cannot check out", async () => {
    expect(await price({ country: "BR", region: null }, [line(2000)], /./)).toMatchObject({ ok: false, code: "no_zone_for_country" });
  });

  it("the demo code, typed in any case, takes 10% off", async () => {
    const priced = await price({ country: "US", region: "NY" }, [line(5000)], /^Standard/, "  welcome10 ");
    expect(priced).toMatchObject({ ok: true, discount: 500, discountCode: "WELCOME10", tax: 180 });
    expect(await findDiscountCode("NOPE")).toBeNull();
  });
});
