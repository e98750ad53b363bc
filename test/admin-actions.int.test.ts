// Every staff server action refuses to run without a valid session, and changes nothing when it refuses.
// next/headers is the framework's request context: here it is a cookie jar the test controls.
import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { createSessionToken } from "@/lib/auth/session-token";
import { prisma } from "@/lib/db";

const jar = new Map<string, string>();
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined),
    set: (name: string, value: string) => void jar.set(name, value),
    delete: (name: string) => void jar.delete(name),
  }),
  headers: async () => new Headers({ "x-forwarded-for": "203.0.113.9" }),
}));

const actions = await import("@/components/admin/actions");

async function pendingOrder() {
  const cartId = randomBytes(32).toString("base64url");
  await prisma.cart.create({ data: { id: cartId } });
  return prisma.order.create({
    data: {
      number: `A-${randomBytes(4).toString("hex")}`,
      cartId,
      email: "x@example.com",
      shippingName: "X",
      shippingLine1: "1 St",
      shippingCity: "Town",
      shippingPostalCode: "94105",
      shippingCountry: "US",
      shippingMethod: "standard",
      currency: "usd",
      subtotal: 1000,
      shippingCost: 0,
      total: 1000,
      status: "paid",
    },
  });
}

describe("admin server actions without a session", () => {
  beforeEach(() => jar.clear());

  const refused = { ok: false, error: "Your staff session has ended. Sign in again." };

  it("refuse every guarded action and change nothing", async () => {
    const product = await prisma.product.findFirstOrThrow({ where: { active: true } });
    const order = await pendingOrder();
    const guarded = {
      refundOrderAction: () => actions.refundOrderAction({ orderId: order.id, amount: "1.00", requestKey: crypto.randomUUID() }),
      cancelOrderAction: () => actions.cancelOrderAction({ orderId: order.id }),
      setStockAction: () => actions.setStockAction({ productId: product.id, stock: 0 }),
      repairOrderAction: () => actions.repairOrderAction({ orderId: order.id }),
    };
    // Every exported action except sign-in/out must be in this list, so a new action cannot skip the check.
    const exported = Object.keys(actions).filter((name) => name.endsWith("Action") && !/^sign(In|Out)Action$/.test(name));
    expect(exported.sort()).toEqual(Object.keys(guarded).sort());

    for (const [name, run] of Object.entries(guarded)) {
      expect(await run(), name).toEqual(refused);
    }
    expect((await prisma.product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(product.stock);
    expect(await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({ status: "paid", amountRefunded: 0 });
  });

  it("refuse a forged or expired session cookie", async () => {
    const product = await prisma.product.findFirstOrThrow({ where: { active: true } });
    jar.set("admin_session", createSessionToken("admin@example.com", "not-the-secret-not-the-secret-not-the-secret", 3600));
    expect(await actions.setStockAction({ productId: product.id, stock: 1 })).toEqual(refused);
    jar.set("admin_session", createSessionToken("admin@example.com", process.env.ADMIN_SESSION_SECRET!, -10));
    expect(await actions.setStockAction({ productId: product.id, stock: 1 })).toEqual(refused);
    expect((await prisma.product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(product.stock);
  });

  it("validate their input once the session is valid", async () => {
    const product = await prisma.product.findFirstOrThrow({ where: { active: true } });
    jar.set("admin_session", createSessionToken("admin@example.com", process.env.ADMIN_SESSION_SECRET!, 3600));
    expect(await actions.setStockAction({ productId: product.id, stock: -1 })).toEqual({ ok: false, error: "Stock cannot be negative" });
    expect(await actions.setStockAction({ productId: product.id, stock: 2.5 })).toEqual({ ok: false, error: "Stock must be a whole number" });
    expect((await prisma.product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(product.stock);
  });
});

describe("staff sign-in rate limits", () => {
  beforeEach(() => jar.clear());

  it("lock an account after five failures, even with the right password, and record them in the database", async () => {
    const email = `locked-${randomBytes(3).toString("hex")}@example.com`;
    const { signIn } = await import("@/lib/auth/session");
    for (let i = 0; i < 5; i += 1) expect(await signIn(email, "wrong")).toEqual({ ok: false, error: "Wrong email or password." });
    const blocked = await signIn(email, "vitest-admin-password");
    expect(blocked.ok).toBe(false);
    expect(!blocked.ok && blocked.error).toMatch(/Too many failed sign-ins. Try again in \d+ minutes?\./);
    expect(await prisma.adminLoginAttempt.count({ where: { key: `account:${email}` } })).toBe(5);
  });

  it("let the right credentials in and set a session cookie", async () => {
    const { signIn, currentAdmin } = await import("@/lib/auth/session");
    expect(await signIn("ADMIN@example.com", "vitest-admin-password")).toEqual({ ok: true });
    expect(jar.get("admin_session")).toBeTruthy();
    expect(await currentAdmin()).toEqual({ email: "admin@example.com" });
  });
});
