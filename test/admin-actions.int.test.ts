// Every staff server action refuses to run without a valid session or with a role that does not allow it,
// and changes nothing when it refuses. Refusals are matched by their code (lib/result.ts), never by their
// wording. next/headers is the framework's request context: here it is a cookie jar and headers the test controls.
import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { can, STAFF_ROLES, type Permission, type StaffRole } from "@/lib/auth/roles";
import { openSession } from "@/lib/auth/sessions";
import { prisma } from "@/lib/db";
import { SOCKET_ADDRESS_HEADER } from "@/lib/socket-address";
import { insertOrder } from "./support/orders";

const jar = new Map<string, string>();
// Next-Action marks a call from the hydrated page; a form posted without JavaScript has no such header.
const requestHeaders = new Headers({ [SOCKET_ADDRESS_HEADER]: "203.0.113.9", "next-action": "test" });
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined),
    set: (name: string, value: string) => void jar.set(name, value),
    delete: (name: string) => void jar.delete(name),
  }),
  headers: async () => requestHeaders,
}));

const actions = await import("@/components/admin/actions");
const { currentStaff, signIn, signOut } = await import("@/lib/auth/session");
const { createStaff } = await import("@/lib/auth/staff");

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString("hex")}@example.com`;

/** A staff member with `role` (and a password hash nobody knows). */
async function makeStaff(role: StaffRole, email = unique(role)) {
  return prisma.staff.create({ data: { email, role, passwordHash: "scrypt$16384$8$1$AAAA$AAAA" } });
}

/** Signs the test's browser in as a new staff member with `role`; returns them. */
async function signedInAs(role: StaffRole) {
  const staff = await makeStaff(role);
  jar.set("admin_session", (await openSession(prisma, staff.id)).token);
  return staff;
}

function form(fields: Record<string, string>) {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
}

/** Runs `work` as if the request came from `address`. */
async function from<T>(address: string, work: () => Promise<T>): Promise<T> {
  const before = requestHeaders.get(SOCKET_ADDRESS_HEADER)!;
  requestHeaders.set(SOCKET_ADDRESS_HEADER, address);
  try {
    return await work();
  } finally {
    requestHeaders.set(SOCKET_ADDRESS_HEADER, before);
  }
}

/** Every guarded action, with valid input against fresh rows, and the permission it needs. */
async function guardedActions() {
  const variant = await prisma.productVariant.findFirstOrThrow({ where: { active: true } });
  const order = await insertOrder({ total: 1000, status: "paid" });
  const pending = await insertOrder({ total: 1000, status: "pending" });
  const target = await makeStaff("staff");
  const cases: Record<string, { permission: Permission; run: () => Promise<{ ok: boolean }> }> = {
    refundOrderAction: {
      permission: "orders.write",
      run: () => actions.refundOrderAction({ orderId: order.id, amount: "1.00", requestKey: crypto.randomUUID() }),
    },
    cancelOrderAction: { permission: "orders.write", run: () => actions.cancelOrderAction({ orderId: pending.id }) },
    setStockAction: { permission: "catalog.write", run: () => actions.setStockAction({ variantId: variant.id, stock: 0 }) },
    createProductAction: { permission: "catalog.write", run: () => actions.createProductAction(productForm(variant.productId)) },
    updateProductAction: {
      permission: "catalog.write",
      run: () => actions.updateProductAction({ ...productForm(variant.productId), id: variant.productId, version: 0 }),
    },
    repairOrderAction: { permission: "orders.write", run: () => actions.repairOrderAction({ orderId: order.id }) },
    inviteStaffAction: { permission: "staff.manage", run: () => actions.inviteStaffAction({ email: unique("invitee"), role: "viewer" }) },
    changeStaffRoleAction: { permission: "staff.manage", run: () => actions.changeStaffRoleAction({ staffId: target.id, role: "viewer" }) },
    removeStaffAction: { permission: "staff.manage", run: () => actions.removeStaffAction({ staffId: target.id }) },
  };
  // A valid product form for a new product in the category of `productId`'s product (the action refuses before reading it).
  const { categoryId } = await prisma.product.findUniqueOrThrow({ where: { id: variant.productId } });
  const productForm = (productId: string) => {
    const tag = `${productId.slice(-6)}-${randomBytes(3).toString("hex")}`.toLowerCase();
    return {
      name: "Guarded",
      slug: `guarded-${tag}`,
      description: "",
      categoryId,
      price: "1.00",
      active: true,
      featured: false,
      options: [],
      variants: [{ values: [], sku: `GUARD-${tag}`, price: "", stock: "1", active: true }],
    };
  };
  const productBefore = await prisma.product.findUniqueOrThrow({ where: { id: variant.productId } });
  const unchanged = async () => {
    expect(await prisma.product.findUniqueOrThrow({ where: { id: variant.productId } })).toMatchObject({
      name: productBefore.name,
      version: productBefore.version,
    });
    expect(await prisma.product.count({ where: { name: "Guarded" } })).toBe(0);
    expect((await prisma.productVariant.findUniqueOrThrow({ where: { id: variant.id } })).stock).toBe(variant.stock);
    expect(await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({ status: "paid", amountRefunded: 0 });
    expect(await prisma.order.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({ status: "pending" });
    expect(await prisma.staff.findUniqueOrThrow({ where: { id: target.id } })).toMatchObject({ role: "staff", disabledAt: null });
  };
  return { cases, unchanged };
}

describe("admin server actions", () => {
  beforeEach(() => jar.clear());

  it("are all in the guarded list, so a new action cannot skip the checks", async () => {
    const { cases } = await guardedActions();
    const exported = Object.keys(actions).filter((name) => name.endsWith("Action") && !/^(sign(In|Out)|acceptInvite)Action$/.test(name));
    expect(exported.sort()).toEqual(Object.keys(cases).sort());
  });

  it("refuse every guarded action without a session and change nothing", async () => {
    const { cases, unchanged } = await guardedActions();
    for (const [name, { run }] of Object.entries(cases)) {
      expect(await run(), name).toEqual({ ok: false, code: "not_signed_in", error: expect.any(String) });
    }
    await unchanged();
  });

  it("refuse every action to each role that does not have its permission, and change nothing", async () => {
    const { cases, unchanged } = await guardedActions();
    let refusals = 0;
    for (const role of STAFF_ROLES) {
      await signedInAs(role);
      for (const [name, { permission, run }] of Object.entries(cases)) {
        if (can(role, permission)) continue;
        expect(await run(), `${role} ${name}`).toEqual({ ok: false, code: "forbidden", error: expect.any(String) });
        refusals += 1;
      }
    }
    // viewer: all 9; staff: the 3 staff-management actions; owner: none.
    expect(refusals).toBe(12);
    await unchanged();
  });

  it("let a viewer read but never write", () => {
    expect(can("viewer", "admin.read")).toBe(true);
    for (const permission of ["orders.write", "catalog.write", "staff.manage"] as const) expect(can("viewer", permission)).toBe(false);
    expect(can("staff", "orders.write") && can("staff", "catalog.write") && !can("staff", "staff.manage")).toBe(true);
  });

  it("refuse a made-up, revoked or expired session cookie", async () => {
    const variant = await prisma.productVariant.findFirstOrThrow({ where: { active: true } });
    const refused = { ok: false, code: "not_signed_in", error: expect.any(String) };
    jar.set("admin_session", randomBytes(32).toString("base64url"));
    expect(await actions.setStockAction({ variantId: variant.id, stock: 1 })).toEqual(refused);

    const staff = await makeStaff("staff");
    const expired = await openSession(prisma, staff.id, new Date(Date.now() - 9 * 3_600_000));
    jar.set("admin_session", expired.token);
    expect(await actions.setStockAction({ variantId: variant.id, stock: 1 })).toEqual(refused);
    expect((await prisma.productVariant.findUniqueOrThrow({ where: { id: variant.id } })).stock).toBe(variant.stock);
  });

  it("validate their input once the session and role are valid", async () => {
    const variant = await prisma.productVariant.findFirstOrThrow({ where: { active: true } });
    await signedInAs("owner");
    for (const stock of [-1, 2.5, "many", 1e9]) {
      expect(await actions.setStockAction({ variantId: variant.id, stock }), String(stock)).toMatchObject({
        ok: false,
        code: "invalid_input",
      });
    }
    expect(await actions.refundOrderAction({ orderId: "x", amount: "1.00", requestKey: "not-a-uuid" })).toMatchObject({
      code: "invalid_input",
    });
    expect(await actions.cancelOrderAction({ orderId: "" })).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await actions.repairOrderAction(null)).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await actions.inviteStaffAction({ email: "nope", role: "owner" })).toMatchObject({ code: "invalid_input" });
    expect(await actions.changeStaffRoleAction({ staffId: "x", role: "king" })).toMatchObject({ code: "invalid_input" });
    expect((await prisma.productVariant.findUniqueOrThrow({ where: { id: variant.id } })).stock).toBe(variant.stock);
  });

  it("answer not_found for a product, order or person that does not exist", async () => {
    await signedInAs("owner");
    expect(await actions.setStockAction({ variantId: "no-such-variant", stock: 3 })).toMatchObject({ ok: false, code: "not_found" });
    expect(await actions.repairOrderAction({ orderId: "no-such-order" })).toMatchObject({ ok: false, code: "not_found" });
    expect(await actions.removeStaffAction({ staffId: "no-such-staff" })).toMatchObject({ ok: false, code: "not_found" });
  });

  it("record a stock change in the audit trail in the same transaction, with who made it", async () => {
    const variant = await prisma.productVariant.findFirstOrThrow({ where: { active: true } });
    const staff = await signedInAs("staff");
    expect(await actions.setStockAction({ variantId: variant.id, stock: variant.stock + 1 })).toMatchObject({ ok: true });
    const entry = await prisma.auditEvent.findFirstOrThrow({ where: { subjectId: variant.productId, staffId: staff.id } });
    expect(entry).toMatchObject({
      action: "stock.set",
      staffEmail: staff.email,
      details: { variantId: variant.id, from: variant.stock, to: variant.stock + 1 },
    });
    await prisma.productVariant.update({ where: { id: variant.id }, data: { stock: variant.stock } });
  });
});

describe("the orders export", () => {
  beforeEach(() => jar.clear());

  it("answers 401 without a session and the CSV to every role that may read", async () => {
    const { GET } = await import("@/app/admin/orders/export/route");
    const request = () => GET(new Request("http://shop.test/admin/orders/export"));
    expect((await request()).status).toBe(401);
    for (const role of STAFF_ROLES) {
      await signedInAs(role);
      const answer = await request();
      expect(answer.status, role).toBe(can(role, "admin.read") ? 200 : 403);
      await answer.body?.cancel();
    }
  });
});

describe("staff sessions", () => {
  beforeEach(() => jar.clear());

  it("end on the server at sign-out: the same cookie, replayed, is refused", async () => {
    const staff = await signedInAs("staff");
    const stolen = jar.get("admin_session")!;
    expect(await currentStaff()).toMatchObject({ id: staff.id, role: "staff" });
    await signOut();
    expect(jar.has("admin_session")).toBe(false);
    jar.set("admin_session", stolen);
    expect(await currentStaff()).toBeNull();
  });

  it("all end when an owner removes the person, and a removed person cannot sign in again", async () => {
    const person = await createStaff({ email: unique("leaver"), role: "staff", password: "the leaver's password" });
    expect(await from("198.51.100.50", () => signIn(person.email, "the leaver's password"))).toEqual({ ok: true });
    const theirCookie = jar.get("admin_session")!;
    await signedInAs("owner");
    expect(await actions.removeStaffAction({ staffId: person.id })).toMatchObject({ ok: true });
    expect(await prisma.staffSession.count({ where: { staffId: person.id, revokedAt: null } })).toBe(0);
    expect(await prisma.auditEvent.count({ where: { subjectId: person.id, action: "staff.remove" } })).toBe(1);
    jar.set("admin_session", theirCookie);
    expect(await currentStaff()).toBeNull();
    expect(await actions.setStockAction({ variantId: "x", stock: 1 })).toMatchObject({ code: "not_signed_in" });
    expect(await from("198.51.100.50", () => signIn(person.email, "the leaver's password"))).toMatchObject({ code: "invalid_credentials" });
  });

  it("follow a role change at once, without signing in again", async () => {
    const person = await signedInAs("staff");
    await prisma.staff.update({ where: { id: person.id }, data: { role: "viewer" } });
    expect(await actions.setStockAction({ variantId: "x", stock: 1 })).toMatchObject({ code: "forbidden" });
  });

  it("never leave the shop without an owner", async () => {
    const owners = await prisma.staff.findMany({ where: { role: "owner", disabledAt: null } });
    const me = await signedInAs("owner");
    // Remove every other owner, then try to remove or demote the last one (oneself, through another session).
    for (const owner of owners) expect(await actions.removeStaffAction({ staffId: owner.id })).toMatchObject({ ok: true });
    expect(await actions.changeStaffRoleAction({ staffId: me.id, role: "viewer" })).toMatchObject({ code: "last_owner" });
    expect(await actions.removeStaffAction({ staffId: me.id })).toMatchObject({ code: "last_owner" });
    // Put the others back for the remaining tests.
    await prisma.staff.updateMany({ where: { id: { in: owners.map((o) => o.id) } }, data: { disabledAt: null } });
  });
});

describe("staff invitations", () => {
  beforeEach(() => jar.clear());

  async function invite(role: StaffRole = "viewer") {
    await signedInAs("owner");
    const email = unique("invited");
    const answer = await actions.inviteStaffAction({ email: email.toUpperCase(), role });
    if (!answer.ok || !("link" in answer)) throw new Error(`invite refused: ${JSON.stringify(answer)}`);
    jar.clear();
    return { email, token: new URL(answer.link).pathname.split("/").pop()! };
  }
  const accept = (token: string, password = "a long enough password") =>
    actions.acceptInviteAction({ failure: null }, form({ token, name: "Invited Person", password })).catch((error: unknown) => error);

  it("store only the token's hash and let the person set a password and sign in once", async () => {
    const { email, token } = await invite("viewer");
    expect(await prisma.staffInvite.count({ where: { tokenHash: token } })).toBe(0);
    const answer = (await accept(token)) as { digest?: string };
    expect(String(answer.digest)).toMatch(/^NEXT_REDIRECT;.*;\/admin;/);
    expect(await currentStaff()).toMatchObject({ email, role: "viewer", name: "Invited Person" });
    jar.clear();
    expect(await signIn(email, "a long enough password")).toEqual({ ok: true });
  });

  it("work only once, even when submitted twice at the same moment", async () => {
    const { email, token } = await invite();
    const answers = await Promise.all([accept(token, "first password here"), accept(token, "second password here")]);
    const refused = answers.filter((a) => (a as { failure?: { code: string } }).failure?.code === "invite_invalid");
    expect(refused).toHaveLength(1);
    expect(await prisma.staff.count({ where: { email } })).toBe(1);
    expect(await accept(token)).toMatchObject({ failure: { code: "invite_invalid" } });
  });

  it("expire after 72 hours", async () => {
    const { email, token } = await invite();
    await prisma.staffInvite.updateMany({ where: { email }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await accept(token)).toMatchObject({ failure: { code: "invite_invalid" } });
    expect(await prisma.staff.count({ where: { email } })).toBe(0);
  });

  it("refuse short passwords and unknown tokens", async () => {
    const { token } = await invite();
    expect(await accept(token, "short")).toMatchObject({ failure: { code: "invalid_input" } });
    expect(await accept("made-up-token")).toMatchObject({ failure: { code: "invite_invalid" } });
  });
});

describe("staff sign-in", () => {
  beforeEach(() => jar.clear());

  const initial = { email: "", failure: null };

  it("hands back the email it was given, never the password, when it refuses", async () => {
    const email = unique("typo");
    const wrong = await actions.signInAction(initial, form({ email: ` ${email} `, password: "not the password", next: "/admin" }));
    expect(wrong).toEqual({ email, failure: { ok: false, code: "invalid_credentials", error: expect.any(String) } });
    expect(JSON.stringify(wrong)).not.toContain("not the password");
    expect(await actions.signInAction(wrong, form({ email, password: "" }))).toMatchObject({ email, failure: { code: "invalid_input" } });
    expect(jar.has("admin_session")).toBe(false);
  });

  it("sends a form posted without JavaScript back to the sign-in page with the email and the code in the URL", async () => {
    const email = unique("nojs");
    requestHeaders.delete("next-action");
    try {
      const answer = await actions
        .signInAction(initial, form({ email, password: "not the password", next: "//evil.example/admin" }))
        .catch((error: unknown) => error);
      const digest = String((answer as { digest?: string }).digest);
      expect(digest).toMatch(/^NEXT_REDIRECT;/);
      const target = new URL(digest.split(";")[2]!, "http://shop.test");
      expect(target.pathname).toBe("/admin/sign-in");
      expect(Object.fromEntries(target.searchParams)).toEqual({ next: "/admin", email, failed: "invalid_credentials" });
    } finally {
      requestHeaders.set("next-action", "test");
    }
  });

  it("lets the owner from the environment in and sets a session cookie", async () => {
    expect(await from("198.51.100.200", () => signIn("ADMIN@example.com", "vitest-admin-password"))).toEqual({ ok: true });
    expect(jar.get("admin_session")).toBeTruthy();
    expect(await currentStaff()).toMatchObject({ email: "admin@example.com", role: "owner" });
  });

  it("gives 30 parallel wrong passwords no more checks than the limit", async () => {
    const email = unique("parallel");
    const answers = await from("198.51.100.30", () => Promise.all(Array.from({ length: 30 }, () => signIn(email, "wrong password"))));
    const codes = answers.map((a) => (a.ok ? "ok" : a.code));
    expect(codes.filter((c) => c === "invalid_credentials")).toHaveLength(5);
    expect(codes.filter((c) => c === "rate_limited")).toHaveLength(25);
  });

  it("stops one client after five attempts on an account, even with the right password", async () => {
    const { email } = await createStaff({ email: unique("locked"), role: "viewer", password: "the right password" });
    for (let i = 0; i < 5; i += 1) {
      expect(await from("198.51.100.31", () => signIn(email, "wrong"))).toMatchObject({ code: "invalid_credentials" });
    }
    expect(await from("198.51.100.31", () => signIn(email, "the right password"))).toMatchObject({ code: "rate_limited" });
    expect(await prisma.adminLoginAttempt.count({ where: { key: `account:${email}` } })).toBe(5);
    // The same person from another address is not held back by these five.
    expect(await from("198.51.100.32", () => signIn(email, "the right password"))).toEqual({ ok: true });
  });

  it("does not lock the owner out when someone else fails against the account from elsewhere", async () => {
    for (let i = 0; i < 5; i += 1) {
      expect(await from("192.0.2.66", () => signIn("admin@example.com", "attacker guess"))).toMatchObject({ code: "invalid_credentials" });
    }
    expect(await from("192.0.2.66", () => signIn("admin@example.com", "attacker guess"))).toMatchObject({ code: "rate_limited" });
    expect(await from("198.51.100.201", () => signIn("admin@example.com", "vitest-admin-password"))).toEqual({ ok: true });
  });

  it("slows an account attacked from many addresses with a back-off of at most a minute", async () => {
    const email = unique("spread");
    for (let i = 0; i < 10; i += 1) {
      expect(await from(`192.0.2.${i + 1}`, () => signIn(email, "guess"))).toMatchObject({ code: "invalid_credentials" });
    }
    const refused = await from("192.0.2.200", () => signIn(email, "guess"));
    expect(refused).toMatchObject({ code: "rate_limited" });
    expect(refused.ok ? "" : refused.error).toMatch(/second/);
  });
});
