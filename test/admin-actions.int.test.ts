// Every staff server action refuses to run without a valid session, and changes nothing when it refuses.
// Refusals are matched by their code (lib/result.ts), never by their wording.
// next/headers is the framework's request context: here it is a cookie jar the test controls.
import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { createSessionToken } from "@/lib/auth/session-token";
import { prisma } from "@/lib/db";
import { insertOrder } from "./support/orders";

const jar = new Map<string, string>();
// Next-Action marks a call from the hydrated page; a form posted without JavaScript has no such header.
const requestHeaders = new Headers({ "x-forwarded-for": "203.0.113.9", "next-action": "test" });
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined),
    set: (name: string, value: string) => void jar.set(name, value),
    delete: (name: string) => void jar.delete(name),
  }),
  headers: async () => requestHeaders,
}));

const actions = await import("@/components/admin/actions");

/** A staff session cookie signed with `secret`, valid for `seconds` (negative: already expired). */
const staffSession = (secret = process.env.ADMIN_SESSION_SECRET!, seconds = 3600) =>
  jar.set("admin_session", createSessionToken("admin@example.com", secret, seconds));

describe("admin server actions without a session", () => {
  beforeEach(() => jar.clear());

  const refused = { ok: false, code: "not_signed_in", error: expect.any(String) };

  it("refuse every guarded action and change nothing", async () => {
    const variant = await prisma.productVariant.findFirstOrThrow({ where: { active: true } });
    const order = await insertOrder({ total: 1000, status: "paid" });
    const guarded = {
      refundOrderAction: () => actions.refundOrderAction({ orderId: order.id, amount: "1.00", requestKey: crypto.randomUUID() }),
      cancelOrderAction: () => actions.cancelOrderAction({ orderId: order.id }),
      setStockAction: () => actions.setStockAction({ variantId: variant.id, stock: 0 }),
      repairOrderAction: () => actions.repairOrderAction({ orderId: order.id }),
    };
    // Every exported action except sign-in/out must be in this list, so a new action cannot skip the check.
    const exported = Object.keys(actions).filter((name) => name.endsWith("Action") && !/^sign(In|Out)Action$/.test(name));
    expect(exported.sort()).toEqual(Object.keys(guarded).sort());

    for (const [name, run] of Object.entries(guarded)) {
      expect(await run(), name).toEqual(refused);
    }
    expect((await prisma.productVariant.findUniqueOrThrow({ where: { id: variant.id } })).stock).toBe(variant.stock);
    expect(await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({ status: "paid", amountRefunded: 0 });
  });

  it("refuse a forged or expired session cookie", async () => {
    const variant = await prisma.productVariant.findFirstOrThrow({ where: { active: true } });
    staffSession("not-the-secret-not-the-secret-not-the-secret");
    expect(await actions.setStockAction({ variantId: variant.id, stock: 1 })).toEqual(refused);
    staffSession(undefined, -10);
    expect(await actions.setStockAction({ variantId: variant.id, stock: 1 })).toEqual(refused);
    expect((await prisma.productVariant.findUniqueOrThrow({ where: { id: variant.id } })).stock).toBe(variant.stock);
  });

  it("validate their input once the session is valid", async () => {
    const variant = await prisma.productVariant.findFirstOrThrow({ where: { active: true } });
    staffSession();
    for (const stock of [-1, 2.5, "many", 1e9]) {
      expect(await actions.setStockAction({ variantId: variant.id, stock }), String(stock)).toMatchObject({
        ok: false,
        code: "invalid_input",
      });
    }
    expect(await actions.refundOrderAction({ orderId: "x", amount: "1.00", requestKey: "not-a-uuid" })).toMatchObject({
      ok: false,
      code: "invalid_input",
    });
    expect(await actions.cancelOrderAction({ orderId: "" })).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await actions.repairOrderAction(null)).toMatchObject({ ok: false, code: "invalid_input" });
    expect((await prisma.productVariant.findUniqueOrThrow({ where: { id: variant.id } })).stock).toBe(variant.stock);
  });

  it("answer not_found for a variant or order that does not exist", async () => {
    staffSession();
    expect(await actions.setStockAction({ variantId: "no-such-variant", stock: 3 })).toMatchObject({ ok: false, code: "not_found" });
    expect(await actions.repairOrderAction({ orderId: "no-such-order" })).toMatchObject({ ok: false, code: "not_found" });
  });
});

describe("staff sign-in", () => {
  beforeEach(() => jar.clear());

  const form = (fields: Record<string, string>) => {
    const data = new FormData();
    for (const [key, value] of Object.entries(fields)) data.set(key, value);
    return data;
  };
  const initial = { email: "", failure: null };

  it("hands back the email it was given, never the password, when it refuses", async () => {
    const email = `typo-${randomBytes(3).toString("hex")}@example.com`;
    const wrong = await actions.signInAction(initial, form({ email: ` ${email} `, password: "not the password", next: "/admin" }));
    expect(wrong).toEqual({ email, failure: { ok: false, code: "invalid_credentials", error: expect.any(String) } });
    expect(JSON.stringify(wrong)).not.toContain("not the password");
    expect(await actions.signInAction(wrong, form({ email, password: "" }))).toMatchObject({ email, failure: { code: "invalid_input" } });
    expect(jar.has("admin_session")).toBe(false);
  });

  it("sends a form posted without JavaScript back to the sign-in page with the email and the code in the URL", async () => {
    const email = `nojs-${randomBytes(3).toString("hex")}@example.com`;
    requestHeaders.delete("next-action");
    try {
      const answer = await actions
        .signInAction(initial, form({ email, password: "not the password", next: "/admin/orders" }))
        .catch((error: unknown) => error);
      const digest = String((answer as { digest?: string }).digest);
      expect(digest).toMatch(/^NEXT_REDIRECT;/);
      const target = new URL(digest.split(";")[2]!, "http://shop.test");
      expect(target.pathname).toBe("/admin/sign-in");
      expect(Object.fromEntries(target.searchParams)).toEqual({ next: "/admin/orders", email, failed: "invalid_credentials" });
    } finally {
      requestHeaders.set("next-action", "test");
    }
  });

  it("locks an account after five failures, even with the right password, and records them in the database", async () => {
    const email = `locked-${randomBytes(3).toString("hex")}@example.com`;
    const { signIn } = await import("@/lib/auth/session");
    for (let i = 0; i < 5; i += 1) expect(await signIn(email, "wrong")).toMatchObject({ ok: false, code: "invalid_credentials" });
    expect(await signIn(email, "vitest-admin-password")).toMatchObject({ ok: false, code: "rate_limited" });
    expect(await prisma.adminLoginAttempt.count({ where: { key: `account:${email}` } })).toBe(5);
  });

  it("lets the right credentials in and sets a session cookie", async () => {
    const { signIn, currentAdmin } = await import("@/lib/auth/session");
    expect(await signIn("ADMIN@example.com", "vitest-admin-password")).toEqual({ ok: true });
    expect(jar.get("admin_session")).toBeTruthy();
    expect(await currentAdmin()).toEqual({ email: "admin@example.com" });
  });
});
