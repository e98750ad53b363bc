// Products and carts written straight into the database for integration tests. Each product gets a fresh
// slug and one default variant (optionKey "", as every product without options has), so test files running
// in parallel never share stock.
import { randomBytes } from "node:crypto";
import { newCartId } from "@/lib/cart/rules";
import { prisma } from "@/lib/db";

/**
 * Contact and shipping details a checkout accepts: an Oregon address (no sales tax in the demo configuration) with
 * the seeded US standard rate, so a test's total is its subtotal plus SEEDED_STANDARD_SHIPPING unless it is about
 * taxes (test/pricing-checkout.int.test.ts is).
 */
export const checkoutDetails = {
  email: "shopper@example.com",
  name: "Ada Shopper",
  line1: "1 Pioneer Square",
  city: "Portland",
  state: "OR",
  postalCode: "97204",
  country: "US",
  shippingMethod: "standard",
};

/** The seeded US standard rate (prisma/seed-pricing.ts): 5.00, free from 75.00 after discounts. */
export function standardShipping(discountedSubtotal: number): number {
  return discountedSubtotal >= 7500 ? 0 : 500;
}

let categoryId: Promise<string> | undefined;

/** A product with one default variant holding `stock`; `variantId` is what carts and stock are keyed by. */
export async function testProduct(stock: number, price = 2500) {
  // One category per test file (each runs in a worker of its own).
  categoryId ??= prisma.category
    .create({ data: { slug: `test-support-${randomBytes(4).toString("hex")}`, name: "Test support", description: "Test products" } })
    .then((category) => category.id);
  const slug = `test-${randomBytes(4).toString("hex")}`;
  const product = await prisma.product.create({
    data: {
      slug,
      name: `Test item ${slug}`,
      description: "test",
      price,
      image: "/x.svg",
      categoryId: await categoryId,
      variants: { create: { sku: slug, stock } },
    },
    include: { variants: { select: { id: true } } },
  });
  return { ...product, variantId: product.variants[0]!.id };
}

/** A new open cart holding `lines`; its id, as the cart cookie carries it. */
export async function cartWith(lines: Array<{ variantId: string; quantity: number }>): Promise<string> {
  const id = newCartId();
  await prisma.cart.create({ data: { id, items: { create: lines } } });
  return id;
}

/** A variant's stock on the shelf. */
export const stockOf = async (variantId: string) => (await prisma.productVariant.findUniqueOrThrow({ where: { id: variantId } })).stock;
