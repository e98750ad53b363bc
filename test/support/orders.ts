// Orders written straight into the database for tests that need one in a given state, each on a cart of
// its own. Only what a test cares about is passed; the rest is a plausible US order.
import { randomBytes } from "node:crypto";
import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

export async function insertOrder(fields: Partial<Prisma.OrderUncheckedCreateInput> & { total: number }) {
  const cartId = randomBytes(32).toString("base64url");
  await prisma.cart.create({ data: { id: cartId } });
  return prisma.order.create({
    data: {
      number: `T-${randomBytes(4).toString("hex")}`,
      cartId,
      email: "order@example.com",
      shippingName: "Test Shopper",
      shippingLine1: "1 Market St",
      shippingCity: "San Francisco",
      shippingPostalCode: "94105",
      shippingCountry: "US",
      shippingMethod: "standard",
      currency: "usd",
      subtotal: fields.total,
      shippingCost: 0,
      ...fields,
    },
  });
}
