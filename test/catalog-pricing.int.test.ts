// A price change saved in the catalog editor, against the real PostgreSQL and the Stripe sandbox over HTTP
// (see test/global-setup.ts): open carts are priced live, a pending checkout takes the new price at the
// re-check before paying, and a paid order keeps the prices it was bought at.
import { randomBytes } from "node:crypto";
import Stripe from "stripe";
import { beforeAll, describe, expect, it } from "vitest";
import { createProduct, updateProduct } from "@/lib/admin/catalog";
import type { ProductData } from "@/lib/admin/catalog-rules";
import type { Actor } from "@/lib/audit";
import { getCart } from "@/lib/cart/store";
import { recheckBeforePayment, startCheckout } from "@/lib/checkout/start";
import { prisma } from "@/lib/db";
import { syncOrderWithStripe } from "@/lib/orders";
import { cartWith, checkoutDetails as details, standardShipping } from "./support/catalog";

const stripe = () => {
  const base = new URL(process.env.STRIPE_API_BASE!);
  return new Stripe(process.env.STRIPE_SECRET_KEY!, { host: base.hostname, port: base.port, protocol: "http" });
};

const hex = () => randomBytes(4).toString("hex");

let actor: Actor;
let categoryId: string;
beforeAll(async () => {
  const staff = await prisma.staff.create({
    data: { email: `pricing-${hex()}@example.com`, role: "staff", passwordHash: "scrypt$16384$8$1$AAAA$AAAA" },
  });
  actor = { id: staff.id, email: staff.email };
  categoryId = (await prisma.category.create({ data: { slug: `pricing-${hex()}`, name: "Pricing tests", description: "" } })).id;
});

/** What staff set: the product's price, and the small size's own price (null: the product's). */
type Prices = { product: number; small: number | null };

/** The unit price each size sells at under `prices`: a variant's own price, else the product's. */
const unitPrices = (prices: Prices) => ({ small: prices.small ?? prices.product, medium: prices.product });

/**
 * A product saved through the editor's storage: "Size" with S and M, 10 of each, priced by `prices` (M never has
 * a price of its own). `reprice` saves the same form again with other prices, as staff would.
 */
async function sizedProduct(prices: Prices) {
  const tag = hex();
  const form = (next: Prices, ids: string[] = []): ProductData => ({
    name: `Priced tee ${tag}`,
    slug: `priced-tee-${tag}`,
    description: "For price changes.",
    categoryId,
    price: next.product,
    active: true,
    featured: false,
    options: [{ name: "Size", values: ["S", "M"] }],
    variants: [
      { values: ["S"], sku: `PT-${tag}-S`, price: next.small, stock: 10, active: true },
      { values: ["M"], sku: `PT-${tag}-M`, price: null, stock: 10, active: true },
    ].map((variant, i) => (ids[i] ? { ...variant, id: ids[i] } : variant)),
  });
  const created = await createProduct(actor, form(prices));
  if (!created.ok) throw new Error(`create refused: ${JSON.stringify(created)}`);
  const variants = await prisma.productVariant.findMany({ where: { productId: created.id }, orderBy: { position: "asc" } });
  const [small, medium] = variants.map((variant) => variant.id) as [string, string];
  let version = created.version;
  return {
    id: created.id,
    small,
    medium,
    async reprice(next: Prices) {
      const saved = await updateProduct(actor, created.id, version, form(next, [small, medium]));
      if (!saved.ok) throw new Error(`save refused: ${JSON.stringify(saved)}`);
      version = saved.version;
    },
  };
}

/** The cart page's view of a cart, as { variantId: [unitPrice, lineTotal] } and the subtotal. */
async function cartPrices(cartId: string) {
  const view = await getCart(cartId);
  return {
    lines: Object.fromEntries(view.lines.map((line) => [line.variantId, [line.unitPrice, line.lineTotal]])),
    subtotal: view.subtotal,
  };
}

/** A cart of 1 S and 2 M: its subtotal and order total (standard shipping) under `prices`. */
function pricedCart(prices: Prices) {
  const unit = unitPrices(prices);
  const subtotal = unit.small * 1 + unit.medium * 2;
  return { subtotal, total: subtotal + standardShipping(subtotal) };
}

const BEFORE: Prices = { product: 2500, small: 2800 };
const PRODUCT_RAISED: Prices = { product: 2650, small: 2800 };
const BOTH_RAISED: Prices = { product: 2650, small: 2950 };

/** A new sized product at BEFORE's prices, a cart of one S and two M, and that cart's started checkout. */
async function checkoutStarted() {
  const tee = await sizedProduct(BEFORE);
  const cartId = await cartWith([
    { variantId: tee.small, quantity: 1 },
    { variantId: tee.medium, quantity: 2 },
  ]);
  const started = await startCheckout(cartId, details);
  if (!started.ok) throw new Error(started.code);
  return { tee, cartId, started };
}

describe("a price change in the catalog editor", () => {
  it("reaches an open cart at once: the product's price on the line without its own, the variant's own price on its line", async () => {
    const tee = await sizedProduct(BEFORE);
    const cartId = await cartWith([
      { variantId: tee.small, quantity: 1 },
      { variantId: tee.medium, quantity: 2 },
    ]);
    const expected = (prices: Prices) => {
      const unit = unitPrices(prices);
      return {
        lines: { [tee.small]: [unit.small, unit.small * 1], [tee.medium]: [unit.medium, unit.medium * 2] },
        subtotal: pricedCart(prices).subtotal,
      };
    };
    expect(await cartPrices(cartId)).toEqual(expected(BEFORE));

    // The product's price moves M, which has none of its own; S keeps its own.
    await tee.reprice(PRODUCT_RAISED);
    expect(await cartPrices(cartId)).toEqual(expected(PRODUCT_RAISED));

    // S's own price moves S alone.
    await tee.reprice(BOTH_RAISED);
    expect(await cartPrices(cartId)).toEqual(expected(BOTH_RAISED));
  });

  it("reaches a pending checkout at the re-check before paying: the order, its items and its PaymentIntent charge the new prices", async () => {
    const { tee, cartId, started } = await checkoutStarted();
    const before = pricedCart(BEFORE);
    expect(started.summary.total).toBe(before.total);
    const { paymentIntentId } = await prisma.order.findUniqueOrThrow({ where: { id: started.summary.orderId } });
    expect((await stripe().paymentIntents.retrieve(paymentIntentId!)).amount).toBe(before.total);

    await tee.reprice(BOTH_RAISED);
    // The shopper's payment form still shows the old total; pressing Pay re-checks first.
    const check = await recheckBeforePayment(cartId, started.summary.orderId, started.summary.total);
    if (!check.ok) throw new Error(check.code);
    const after = pricedCart(BOTH_RAISED);
    const unit = unitPrices(BOTH_RAISED);
    expect(check).toMatchObject({ changed: true, clientSecret: started.clientSecret });
    expect(check.summary).toMatchObject({ orderId: started.summary.orderId, totals: { subtotal: after.subtotal }, total: after.total });

    const order = await prisma.order.findUniqueOrThrow({ where: { id: started.summary.orderId }, include: { items: true } });
    expect(order).toMatchObject({ status: "pending", subtotal: after.subtotal, total: after.total, paymentIntentId });
    expect(Object.fromEntries(order.items.map((item) => [item.variantId, item.unitPrice]))).toEqual({
      [tee.small]: unit.small,
      [tee.medium]: unit.medium,
    });
    expect((await stripe().paymentIntents.retrieve(paymentIntentId!)).amount).toBe(after.total);

    // Paying now charges the new total, and the order accepts it as paid.
    const paid = await stripe().paymentIntents.confirm(paymentIntentId!, {
      payment_method: "pm_card_visa",
      return_url: "http://localhost/checkout/complete",
    });
    expect(paid.amount_received).toBe(after.total);
    expect((await syncOrderWithStripe(order.id)).status).toBe("paid");
  });

  it("leaves a paid order as it was bought: its items' unit prices and its totals", async () => {
    const { tee, started } = await checkoutStarted();
    const { paymentIntentId } = await prisma.order.findUniqueOrThrow({ where: { id: started.summary.orderId } });
    await stripe().paymentIntents.confirm(paymentIntentId!, {
      payment_method: "pm_card_visa",
      return_url: "http://localhost/checkout/complete",
    });
    expect((await syncOrderWithStripe(started.summary.orderId)).status).toBe("paid");

    await tee.reprice(BOTH_RAISED);
    // The change took: a cart opened now pays the new prices.
    const fresh = await cartWith([{ variantId: tee.small, quantity: 1 }]);
    expect((await cartPrices(fresh)).subtotal).toBe(unitPrices(BOTH_RAISED).small);
    // A later sync with Stripe (a late webhook, the return page) must not re-price the order either.
    await syncOrderWithStripe(started.summary.orderId);

    const bought = pricedCart(BEFORE);
    const unit = unitPrices(BEFORE);
    const order = await prisma.order.findUniqueOrThrow({ where: { id: started.summary.orderId }, include: { items: true } });
    expect(order).toMatchObject({ status: "paid", subtotal: bought.subtotal, total: bought.total });
    expect(order.items.map(({ variantId, unitPrice, quantity }) => ({ variantId, unitPrice, quantity }))).toEqual(
      expect.arrayContaining([
        { variantId: tee.small, unitPrice: unit.small, quantity: 1 },
        { variantId: tee.medium, unitPrice: unit.medium, quantity: 2 },
      ]),
    );
    expect(order.items).toHaveLength(2);
    expect((await stripe().paymentIntents.retrieve(paymentIntentId!)).amount_received).toBe(bought.total);
  });
});
