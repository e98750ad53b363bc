// The shopper's order status page and "Find your order", against the real PostgreSQL (test/global-setup.ts):
// which links open an order, and what asking for a fresh link writes and answers. next/headers is the
// framework's request context: here it holds the client address the test chooses.
import { randomBytes } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { prisma } from "@/lib/db";
import { hashOrderToken, issueOrderLink, ORDER_LINK_DAYS } from "@/lib/order-links";
import { ORDER_LINK_ANSWER } from "@/lib/order-link-rules";
import { orderForToken } from "@/lib/order-status-page";
import { SOCKET_ADDRESS_HEADER } from "@/lib/socket-address";
import { testProduct } from "./support/catalog";
import { requestHeaders } from "./support/next-request";
import { insertOrder } from "./support/orders";

vi.mock("next/headers", () => import("./support/next-request"));

const { requestOrderLinkAction } = await import("@/components/orders/actions");

const DAY_MS = 86_400_000;
// A client address from the documentation range, a new one for each test (limits are kept per address).
const newAddress = () => `2001:db8::${randomBytes(2).toString("hex")}:${randomBytes(2).toString("hex")}`;
// Order numbers as the shop writes them: upper case.
const newNumber = () => `T-${randomBytes(4).toString("hex").toUpperCase()}`;

/** A paid order with one line of a test product, shipped in one parcel. */
async function paidOrder() {
  const product = await testProduct(10, 1200);
  const order = await insertOrder({
    number: newNumber(),
    status: "paid",
    paidAt: new Date(),
    email: "Grace.Tester@example.com",
    shippingName: "Grace Tester",
    shippingLine1: "500 Howard Street",
    shippingLine2: "Apartment 12",
    shippingState: "CA",
    // 10% off with a code, then California's sales tax on what is left.
    subtotal: 2400,
    discount: 240,
    discountCode: "WELCOME10",
    shippingMethod: "Standard",
    shippingCost: 500,
    tax: 157,
    taxLines: [{ name: "CA sales tax", rate: 725, amount: 157 }],
    total: 2817,
    fulfilment: "shipped",
    items: {
      create: {
        productId: product.id,
        variantId: product.variantId,
        name: "Stoneware Mug",
        options: "Colour: Sand",
        unitPrice: 1200,
        quantity: 2,
        discount: 240,
        tax: 157,
      },
    },
  });
  const [item] = await prisma.orderItem.findMany({ where: { orderId: order.id } });
  await prisma.shipment.create({
    data: {
      orderId: order.id,
      carrier: "UPS",
      trackingNumber: "1Z999AA10123456784",
      trackingUrl: "https://www.ups.com/track?tracknum=1Z999AA10123456784",
      staffEmail: "staff@example.com",
      items: { create: { orderItemId: item!.id, quantity: 2 } },
    },
  });
  return order;
}

async function linkFor(orderId: string, issuedAt = new Date()): Promise<string> {
  const url = await prisma.$transaction((tx) => issueOrderLink(tx, orderId, issuedAt));
  const token = new URL(url).pathname.split("/").at(-1)!;
  expect(url).toMatch(/\/orders\/status\/[A-Za-z0-9_-]{43}$/);
  return token;
}

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

const ask = (fields: Record<string, string>) => requestOrderLinkAction({ result: null, number: "", email: "" }, form(fields));
const linkEmails = (orderId: string) => prisma.emailMessage.count({ where: { orderId, kind: "order_link" } });

describe("the order status page", () => {
  it("a paid order's link opens it: status, items, totals, shipment, and the address masked", async () => {
    const order = await paidOrder();
    const view = await orderForToken(await linkFor(order.id), new Date());
    expect(view).toMatchObject({
      number: order.number,
      status: "paid",
      fulfilment: "shipped",
      currency: "usd",
      totals: {
        currency: "usd",
        pricesIncludeTax: false,
        subtotal: 2400,
        discount: 240,
        discountCode: "WELCOME10",
        shippingName: "Standard",
        shippingCost: 500,
        tax: 157,
        taxLines: [{ name: "CA sales tax", rate: 725, amount: 157 }],
        total: 2817,
      },
      amountRefunded: 0,
      email: "G…@example.com",
      address: ["G… T…", "500 Ho…", "San Francisco, CA, 94•••", "United States"],
    });
    expect(view!.items).toEqual([
      expect.objectContaining({ name: "Stoneware Mug", options: "Colour: Sand", quantity: 2, unitPrice: 1200 }),
    ]);
    expect(view!.shipments).toEqual([
      expect.objectContaining({
        carrier: "UPS",
        trackingNumber: "1Z999AA10123456784",
        items: [{ name: "Stoneware Mug", options: "Colour: Sand", quantity: 2 }],
      }),
    ]);
    // Nothing on the page gives the address away.
    expect(JSON.stringify(view)).not.toMatch(/Grace|Tester|Howard|Apartment|94105/);
  });

  it("an expired link opens nothing, whether it expired long ago or just now", async () => {
    const order = await paidOrder();
    const old = await linkFor(order.id, new Date(Date.now() - (ORDER_LINK_DAYS + 1) * DAY_MS));
    expect(await orderForToken(old, new Date())).toBeNull();
    const fresh = await linkFor(order.id);
    expect(await orderForToken(fresh, new Date(Date.now() + ORDER_LINK_DAYS * DAY_MS + 1000))).toBeNull();
    expect(await orderForToken(fresh, new Date())).not.toBeNull();
  });

  it("a forged link opens nothing: a random token, a real one with one character changed, or no token shape at all", async () => {
    const order = await paidOrder();
    const real = await linkFor(order.id);
    const changed = `${real.slice(0, 10)}${real[10] === "A" ? "B" : "A"}${real.slice(11)}`;
    for (const forged of [
      randomBytes(32).toString("base64url"),
      changed,
      `${real}x`,
      real.slice(1),
      "",
      "../../admin",
      hashOrderToken(real),
    ]) {
      expect(await orderForToken(forged, new Date())).toBeNull();
    }
    expect(await orderForToken(real, new Date())).not.toBeNull();
  });
});

describe("asking for a fresh link", () => {
  it("a match queues exactly one order_link email to the order's address; a mismatch queues none and answers the same", async () => {
    requestHeaders.set(SOCKET_ADDRESS_HEADER, newAddress());
    const order = await paidOrder();

    // Case and spaces do not matter in either field.
    const match = await ask({ number: ` ${order.number.toLowerCase()} `, email: "  grace.tester@EXAMPLE.com " });
    expect(match.result).toEqual({ ok: true, message: ORDER_LINK_ANSWER });
    const emails = await prisma.emailMessage.findMany({ where: { orderId: order.id, kind: "order_link" } });
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ to: "Grace.Tester@example.com", status: "pending" });
    expect(emails[0]!.subject).toContain(order.number);
    // The email carries a new link that opens the order.
    const token = emails[0]!.text.match(/\/orders\/status\/([A-Za-z0-9_-]{43})/)?.[1];
    expect(token).toBeDefined();
    expect((await orderForToken(token!, new Date()))?.number).toBe(order.number);

    const wrongEmail = await ask({ number: order.number, email: "someone.else@example.com" });
    const unknownNumber = await ask({ number: newNumber(), email: "grace.tester@example.com" });
    expect(wrongEmail.result).toEqual(match.result);
    expect(unknownNumber.result).toEqual(match.result);
    expect(await linkEmails(order.id)).toBe(1);
  });

  it("malformed input is refused with the fields named, and counts against no limit", async () => {
    const address = newAddress();
    requestHeaders.set(SOCKET_ADDRESS_HEADER, address);
    const refused = await ask({ number: "", email: "not an email" });
    expect(refused.result).toMatchObject({
      ok: false,
      code: "invalid_fields",
      fieldErrors: { number: expect.any(String), email: expect.any(String) },
    });
    // What was typed comes back for the form.
    expect(refused.email).toBe("not an email");
    expect(await prisma.rateLimitHit.count({ where: { key: `order-link:ip:${address}` } })).toBe(0);
  });

  it("the sixth request from one address within fifteen minutes is refused, with when to try again", async () => {
    requestHeaders.set(SOCKET_ADDRESS_HEADER, newAddress());
    const order = await paidOrder();
    for (let i = 0; i < 5; i += 1) {
      expect((await ask({ number: newNumber(), email: "grace.tester@example.com" })).result).toMatchObject({ ok: true });
    }
    const sixth = await ask({ number: order.number, email: "grace.tester@example.com" });
    expect(sixth.result).toMatchObject({ ok: false, code: "rate_limited", error: expect.stringMatching(/try again in \d+ minutes?\./) });
    // Refused before the lookup: the matching order got no email.
    expect(await linkEmails(order.id)).toBe(0);
  });

  it("the fourth request for one order number within an hour is refused, from any address", async () => {
    const order = await paidOrder();
    for (let i = 0; i < 3; i += 1) {
      requestHeaders.set(SOCKET_ADDRESS_HEADER, newAddress());
      expect((await ask({ number: order.number, email: "grace.tester@example.com" })).result).toMatchObject({ ok: true });
    }
    requestHeaders.set(SOCKET_ADDRESS_HEADER, newAddress());
    expect((await ask({ number: order.number, email: "grace.tester@example.com" })).result).toMatchObject({ code: "rate_limited" });
    expect(await linkEmails(order.id)).toBe(3);
  });
});
