// Every staff server action refuses to run without a valid session or with a role that does not allow it,
// and changes nothing when it refuses. Refusals are matched by their code (lib/result.ts), never by their
// wording. next/headers is the framework's request context: here it is a cookie jar and headers the test controls.
import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { can, STAFF_ROLES, type Permission, type StaffRole } from "@/lib/auth/roles";
import { findSession, openSession } from "@/lib/auth/sessions";
import { prisma } from "@/lib/db";
import { SOCKET_ADDRESS_HEADER } from "@/lib/socket-address";
import { insertOrder } from "./support/orders";
import { jar, requestHeaders } from "./support/next-request";

vi.mock("next/headers", () => import("./support/next-request"));
requestHeaders.set(SOCKET_ADDRESS_HEADER, "203.0.113.9");

const actions = await import("@/components/admin/actions");
const { currentStaff, signIn, signOut } = await import("@/lib/auth/session");
const { createStaff, pendingInvite, sessionCounts, sessionIdleMs } = await import("@/lib/auth/staff");

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
  const shelf = await prisma.category.create({
    data: { slug: `guarded-${randomBytes(4).toString("hex")}`, name: "Guarded shelf", description: "" },
  });
  const retiredShelf = await prisma.category.create({
    data: { slug: `guarded-${randomBytes(4).toString("hex")}`, name: "Guarded shelf", description: "", active: false },
  });
  const categoryForm = { name: "Guarded", slug: `guarded-${randomBytes(4).toString("hex")}`, description: "", position: "0" };
  const targetSession = await openSession(prisma, target.id);
  const invite = await prisma.staffInvite.create({
    data: {
      tokenHash: randomBytes(32).toString("base64url"),
      email: unique("pending"),
      role: "viewer",
      invitedById: target.id,
      expiresAt: new Date(Date.now() + 3_600_000),
    },
  });
  const failedEmail = await prisma.emailMessage.create({
    data: {
      dedupeKey: `guarded:${randomBytes(6).toString("hex")}`,
      kind: "order_confirmed",
      orderId: order.id,
      to: "order@example.com",
      subject: "Guarded",
      html: "<p>Guarded</p>",
      text: "Guarded",
      messageId: `<${randomBytes(8).toString("hex")}@shop.test>`,
      status: "failed",
    },
  });
  const newPassword = "a new password for nobody";
  // Pricing rows of their own: an unused code, an inactive zone (so it overlaps no one) with a rate, a tax rate.
  const tag = randomBytes(4).toString("hex").toUpperCase();
  const code = await prisma.discountCode.create({ data: { code: `GUARD-${tag}`, kind: "percentage", value: 1000 } });
  const zone = await prisma.shippingZone.create({
    data: {
      name: "Guarded zone",
      countries: ["ZA"],
      active: false,
      rates: { create: { name: "Guarded rate", kind: "flat", amount: 500 } },
    },
    include: { rates: true },
  });
  const rate = zone.rates[0]!;
  const taxRate = await prisma.taxRate.create({
    data: { name: "Guarded tax", country: "ZA", region: tag.slice(0, 3), taxClass: "reduced", rate: 500 },
  });
  const settingsBefore = await prisma.shopSettings.findUnique({ where: { id: "shop" } });
  const codeForm = {
    code: `GUARD-${tag}`,
    kind: "percentage",
    value: "20",
    minimumSubtotal: "",
    startsAt: "",
    endsAt: "",
    usageLimit: "",
    perEmailLimit: "",
    productIds: [],
    categoryIds: [],
    active: true,
  };
  const zoneForm = { name: "Guarded zone", countries: ["ZA"], taxShipping: true, active: false, position: "0" };
  const rateForm = { name: "Guarded rate", kind: "flat", amount: "9.00", brackets: "", freeFrom: "", active: true, position: "0" };
  const taxForm = { name: "Guarded tax", country: "ZA", region: tag.slice(0, 3), taxClass: "reduced", rate: "9" };
  const cases: Record<string, { permission: Permission; run: () => Promise<{ ok: boolean }> }> = {
    refundOrderAction: {
      permission: "orders.write",
      run: () => actions.refundOrderAction({ orderId: order.id, amount: "1.00", requestKey: crypto.randomUUID() }),
    },
    cancelOrderAction: { permission: "orders.write", run: () => actions.cancelOrderAction({ orderId: pending.id }) },
    shipOrderAction: {
      permission: "orders.write",
      run: () => actions.shipOrderAction({ orderId: order.id, lines: [], carrier: "UPS", trackingNumber: "1Z999" }),
    },
    markDeliveredAction: { permission: "orders.write", run: () => actions.markDeliveredAction({ shipmentId: "any-shipment" }) },
    recordReturnAction: {
      permission: "orders.write",
      run: () => actions.recordReturnAction({ orderId: order.id, lines: [], restock: true, requestKey: crypto.randomUUID() }),
    },
    setStockAction: { permission: "catalog.write", run: () => actions.setStockAction({ variantId: variant.id, stock: 0 }) },
    setLowStockThresholdAction: {
      permission: "catalog.write",
      run: () => actions.setLowStockThresholdAction({ variantId: variant.id, threshold: "7" }),
    },
    retryEmailAction: { permission: "orders.write", run: () => actions.retryEmailAction({ emailId: failedEmail.id }) },
    createProductAction: { permission: "catalog.write", run: () => actions.createProductAction(productForm(variant.productId)) },
    updateProductAction: {
      permission: "catalog.write",
      run: () => actions.updateProductAction({ ...productForm(variant.productId), id: variant.productId, version: 0 }),
    },
    createCategoryAction: { permission: "catalog.write", run: () => actions.createCategoryAction(categoryForm) },
    updateCategoryAction: {
      permission: "catalog.write",
      run: () => actions.updateCategoryAction({ ...categoryForm, slug: shelf.slug, id: shelf.id, version: 0 }),
    },
    archiveCategoryAction: { permission: "catalog.write", run: () => actions.archiveCategoryAction({ id: shelf.id, version: 0 }) },
    restoreCategoryAction: { permission: "catalog.write", run: () => actions.restoreCategoryAction({ id: retiredShelf.id, version: 0 }) },
    repairOrderAction: { permission: "orders.write", run: () => actions.repairOrderAction({ orderId: order.id }) },
    inviteStaffAction: { permission: "staff.manage", run: () => actions.inviteStaffAction({ email: unique("invitee"), role: "viewer" }) },
    changeStaffRoleAction: { permission: "staff.manage", run: () => actions.changeStaffRoleAction({ staffId: target.id, role: "viewer" }) },
    removeStaffAction: { permission: "staff.manage", run: () => actions.removeStaffAction({ staffId: target.id }) },
    cancelInviteAction: { permission: "staff.manage", run: () => actions.cancelInviteAction({ inviteId: invite.id }) },
    endStaffSessionsAction: { permission: "staff.manage", run: () => actions.endStaffSessionsAction({ staffId: target.id }) },
    setPricesIncludeTaxAction: {
      permission: "catalog.write",
      run: () => actions.setPricesIncludeTaxAction({ pricesIncludeTax: !settingsBefore?.pricesIncludeTax }),
    },
    createDiscountCodeAction: {
      permission: "catalog.write",
      run: () => actions.createDiscountCodeAction({ ...codeForm, code: `GUARD-NEW-${tag}` }),
    },
    updateDiscountCodeAction: { permission: "catalog.write", run: () => actions.updateDiscountCodeAction({ ...codeForm, id: code.id }) },
    removeDiscountCodeAction: { permission: "catalog.write", run: () => actions.removeDiscountCodeAction({ id: code.id }) },
    createShippingZoneAction: { permission: "catalog.write", run: () => actions.createShippingZoneAction(zoneForm) },
    updateShippingZoneAction: { permission: "catalog.write", run: () => actions.updateShippingZoneAction({ ...zoneForm, id: zone.id }) },
    deleteShippingZoneAction: { permission: "catalog.write", run: () => actions.deleteShippingZoneAction({ id: zone.id }) },
    createShippingRateAction: {
      permission: "catalog.write",
      run: () => actions.createShippingRateAction({ ...rateForm, zoneId: zone.id }),
    },
    updateShippingRateAction: { permission: "catalog.write", run: () => actions.updateShippingRateAction({ ...rateForm, id: rate.id }) },
    deleteShippingRateAction: { permission: "catalog.write", run: () => actions.deleteShippingRateAction({ id: rate.id }) },
    createTaxRateAction: { permission: "catalog.write", run: () => actions.createTaxRateAction({ ...taxForm, taxClass: "standard" }) },
    updateTaxRateAction: { permission: "catalog.write", run: () => actions.updateTaxRateAction({ ...taxForm, id: taxRate.id }) },
    deleteTaxRateAction: { permission: "catalog.write", run: () => actions.deleteTaxRateAction({ id: taxRate.id }) },
    changePasswordAction: {
      permission: "account.self",
      run: () => actions.changePasswordAction({ currentPassword: "whatever it is", newPassword, confirmPassword: newPassword }),
    },
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
    expect(await prisma.category.count({ where: { name: "Guarded" } })).toBe(0);
    expect(
      await prisma.category.findMany({ where: { id: { in: [shelf.id, retiredShelf.id] } }, orderBy: { active: "desc" } }),
    ).toMatchObject([
      { name: "Guarded shelf", active: true, version: 0 },
      { name: "Guarded shelf", active: false, version: 0 },
    ]);
    expect(await prisma.productVariant.findUniqueOrThrow({ where: { id: variant.id } })).toMatchObject({
      stock: variant.stock,
      lowStockThreshold: variant.lowStockThreshold,
    });
    expect(await prisma.emailMessage.findUniqueOrThrow({ where: { id: failedEmail.id } })).toMatchObject({ status: "failed" });
    expect(await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({ status: "paid", amountRefunded: 0 });
    expect(await prisma.order.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({ status: "pending" });
    expect(await prisma.staff.findUniqueOrThrow({ where: { id: target.id } })).toMatchObject({ role: "staff", disabledAt: null });
    expect(await prisma.staffInvite.count({ where: { id: invite.id } })).toBe(1);
    expect(await findSession(prisma, targetSession.token, sessionIdleMs())).toMatchObject({ id: target.id });
    expect(await prisma.discountCode.findUniqueOrThrow({ where: { id: code.id } })).toEqual(code);
    expect(await prisma.discountCode.count({ where: { code: `GUARD-NEW-${tag}` } })).toBe(0);
    expect(await prisma.shippingZone.findUniqueOrThrow({ where: { id: zone.id }, include: { rates: true } })).toEqual(zone);
    expect(await prisma.taxRate.findMany({ where: { country: "ZA", region: tag.slice(0, 3) } })).toEqual([taxRate]);
    expect(await prisma.shopSettings.findUnique({ where: { id: "shop" } })).toEqual(settingsBefore);
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
    // viewer: every action but the password change (33); staff: the 5 staff-management actions; owner: none.
    expect(refusals).toBe(38);
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
    for (const threshold of ["-1", "2.5", "few"]) {
      expect(await actions.setLowStockThresholdAction({ variantId: variant.id, threshold }), threshold).toMatchObject({
        code: "invalid_input",
      });
    }
    expect(await actions.retryEmailAction({ emailId: "" })).toMatchObject({ code: "invalid_input" });
    expect(await actions.shipOrderAction({ orderId: "x", lines: "all", carrier: "UPS", trackingNumber: "1" })).toMatchObject({
      code: "invalid_input",
    });
    expect(await actions.recordReturnAction({ orderId: "x", lines: [], restock: true, requestKey: "again" })).toMatchObject({
      code: "invalid_input",
    });
    expect(await actions.inviteStaffAction({ email: "nope", role: "owner" })).toMatchObject({ code: "invalid_input" });
    expect(await actions.changeStaffRoleAction({ staffId: "x", role: "king" })).toMatchObject({ code: "invalid_input" });
    expect((await prisma.productVariant.findUniqueOrThrow({ where: { id: variant.id } })).stock).toBe(variant.stock);
  });

  it("answer not_found for a product, order or person that does not exist", async () => {
    await signedInAs("owner");
    expect(await actions.setStockAction({ variantId: "no-such-variant", stock: 3 })).toMatchObject({ ok: false, code: "not_found" });
    expect(await actions.repairOrderAction({ orderId: "no-such-order" })).toMatchObject({ ok: false, code: "not_found" });
    expect(await actions.setLowStockThresholdAction({ variantId: "no-such-variant", threshold: "" })).toMatchObject({
      ok: false,
      code: "not_found",
    });
    expect(await actions.retryEmailAction({ emailId: "no-such-email" })).toMatchObject({ ok: false, code: "not_found" });
    expect(await actions.markDeliveredAction({ shipmentId: "no-such-shipment" })).toMatchObject({ ok: false, code: "not_found" });
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

  it("has each order's discount, code and tax after the money columns", async () => {
    const order = await insertOrder({ total: 6499, status: "paid", subtotal: 6200, discount: 620, discountCode: "WELCOME10", tax: 419 });
    await signedInAs("viewer");
    const { GET } = await import("@/app/admin/orders/export/route");
    const answer = await GET(new Request(`http://shop.test/admin/orders/export?q=${order.number}`));
    const lines = (await answer.text()).split("\r\n");
    expect(lines[0]).toBe(
      "number,status,email,created_at,paid_at,currency,total,refunded,discount,discount_code,tax,payment_intent,attention",
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]?.split(",").slice(5, 11)).toEqual(["usd", "64.99", "0.00", "6.20", "WELCOME10", "4.19"]);
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

  it("end when unused for longer than ADMIN_IDLE_MINUTES, long before their expiry, while use keeps them alive", async () => {
    const staff = await makeStaff("staff");
    const opened = new Date();
    const at = (ms: number) => new Date(opened.getTime() + ms);
    const idle = sessionIdleMs();
    const { token } = await openSession(prisma, staff.id, opened);
    // Used just before the limit: the use is recorded, so the clock starts again from there.
    expect(await findSession(prisma, token, idle, at(idle - 1_000))).toMatchObject({ id: staff.id });
    expect(await findSession(prisma, token, idle, at(2 * idle - 2_000))).toMatchObject({ id: staff.id });
    // Then left alone for longer than the limit: refused, although 8 hours have not passed.
    expect(await findSession(prisma, token, idle, at(3 * idle))).toBeNull();
    expect(3 * idle).toBeLessThan(8 * 3_600_000);

    // Through the request path: an admin page sends the person to sign in, saying the session expired.
    const { requireAdminPage } = await import("@/lib/auth/session");
    jar.set("admin_session", (await openSession(prisma, staff.id, new Date(Date.now() - idle - 60_000))).token);
    expect(await currentStaff()).toBeNull();
    const redirected = await requireAdminPage("/admin/orders").catch((error: unknown) => error);
    expect(String((redirected as { digest?: string }).digest)).toContain("/admin/sign-in?next=%2Fadmin%2Forders&expired=1;");
    expect(await actions.setStockAction({ variantId: "x", stock: 1 })).toMatchObject({ code: "not_signed_in" });
  });

  it("all end when an owner signs a person out everywhere, who stays staff and can sign in again", async () => {
    const person = await createStaff({ email: unique("everywhere"), role: "staff", password: "their own password" });
    expect(await from("198.51.100.60", () => signIn(person.email, "their own password"))).toEqual({ ok: true });
    const theirCookie = jar.get("admin_session")!;
    await openSession(prisma, person.id);
    expect((await sessionCounts()).get(person.id)).toBe(2);
    await signedInAs("owner");
    expect(await actions.endStaffSessionsAction({ staffId: person.id })).toMatchObject({ ok: true });
    expect((await sessionCounts()).get(person.id)).toBeUndefined();
    expect(await prisma.auditEvent.findFirst({ where: { subjectId: person.id, action: "staff.sessions.end" } })).toMatchObject({
      details: { sessionsEnded: 2 },
    });
    jar.set("admin_session", theirCookie);
    expect(await currentStaff()).toBeNull();
    expect(await from("198.51.100.60", () => signIn(person.email, "their own password"))).toEqual({ ok: true });
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

  it("can be cancelled by an owner, after which the link fails like an unknown one", async () => {
    const { email, token } = await invite("staff");
    const open = await prisma.staffInvite.findFirstOrThrow({ where: { email } });
    const owner = await signedInAs("owner");
    expect(await actions.cancelInviteAction({ inviteId: open.id })).toMatchObject({ ok: true });
    expect(await prisma.auditEvent.findFirst({ where: { subjectId: open.id, action: "staff.invite.cancel" } })).toMatchObject({
      staffId: owner.id,
      details: { email, role: "staff" },
    });
    expect(await actions.cancelInviteAction({ inviteId: open.id })).toMatchObject({ ok: false, code: "not_found" });
    expect(await pendingInvite(token)).toBeNull();
    jar.clear();
    expect(await accept(token)).toMatchObject({ failure: { code: "invite_invalid" } });
    expect(await prisma.staff.count({ where: { email } })).toBe(0);
  });

  it("cannot be cancelled once used", async () => {
    const { email, token } = await invite();
    await accept(token);
    const used = await prisma.staffInvite.findFirstOrThrow({ where: { email } });
    await signedInAs("owner");
    expect(await actions.cancelInviteAction({ inviteId: used.id })).toMatchObject({ ok: false, code: "not_found" });
    expect(await prisma.staff.findUniqueOrThrow({ where: { email } })).toMatchObject({ disabledAt: null });
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

describe("changing one's own password", () => {
  beforeEach(() => jar.clear());

  /** A staff member signed in from `address` with a known password, plus a second session of theirs elsewhere. */
  async function signedInWithPassword(address: string, password = "the password before") {
    const person = await createStaff({ email: unique("changer"), role: "viewer", password });
    expect(await from(address, () => signIn(person.email, password))).toEqual({ ok: true });
    const elsewhere = await openSession(prisma, person.id);
    return { person, cookie: jar.get("admin_session")!, elsewhere: elsewhere.token };
  }
  const change = (address: string, currentPassword: string, newPassword: string, confirmPassword = newPassword) =>
    from(address, () => actions.changePasswordAction({ currentPassword, newPassword, confirmPassword }));

  it("needs the right current password, and counts a wrong one like a failed sign-in", async () => {
    const { person } = await signedInWithPassword("198.51.100.70");
    expect(await change("198.51.100.70", "not the password", "a brand new password")).toMatchObject({
      ok: false,
      code: "invalid_credentials",
    });
    expect(await prisma.adminLoginAttempt.count({ where: { key: `account:${person.email}` } })).toBe(1);
    expect(await prisma.auditEvent.count({ where: { subjectId: person.id, action: "staff.password.change" } })).toBe(0);
    expect(await from("198.51.100.71", () => signIn(person.email, "the password before"))).toEqual({ ok: true });
  });

  it("refuses a short new password or a confirmation that differs, checking nothing", async () => {
    const { person } = await signedInWithPassword("198.51.100.72");
    expect(await change("198.51.100.72", "the password before", "short")).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await change("198.51.100.72", "the password before", "a brand new password", "a brand new passw0rd")).toMatchObject({
      ok: false,
      code: "invalid_input",
    });
    expect(await prisma.adminLoginAttempt.count({ where: { key: `account:${person.email}` } })).toBe(0);
  });

  it("cannot be used to guess the password: five wrong tries from one address stop even the right one", async () => {
    await signedInWithPassword("198.51.100.73");
    for (let i = 0; i < 5; i += 1) {
      expect(await change("198.51.100.73", `guess ${i}`, "a brand new password")).toMatchObject({ code: "invalid_credentials" });
    }
    expect(await change("198.51.100.73", "the password before", "a brand new password")).toMatchObject({ code: "rate_limited" });
  });

  it("signs out every other session, gives this browser a fresh one, and only the new password signs in", async () => {
    const { person, cookie, elsewhere } = await signedInWithPassword("198.51.100.74");
    const answer = await change("198.51.100.74", "the password before", "the password after");
    expect(answer).toMatchObject({ ok: true });
    expect(JSON.stringify(answer)).not.toContain("the password");

    // This browser carries on with a new cookie; the one it had and the other browser's are refused.
    const fresh = jar.get("admin_session")!;
    expect(fresh).not.toBe(cookie);
    expect(await currentStaff()).toMatchObject({ id: person.id });
    expect(await findSession(prisma, cookie, sessionIdleMs())).toBeNull();
    expect(await findSession(prisma, elsewhere, sessionIdleMs())).toBeNull();
    expect(await prisma.staffSession.count({ where: { staffId: person.id, revokedAt: null } })).toBe(1);

    const entry = await prisma.auditEvent.findFirstOrThrow({ where: { subjectId: person.id, action: "staff.password.change" } });
    expect(entry).toMatchObject({ staffId: person.id, staffEmail: person.email, details: { otherSessionsEnded: 1 } });
    expect(JSON.stringify(entry)).not.toContain("the password");

    expect(await from("198.51.100.75", () => signIn(person.email, "the password before"))).toMatchObject({ code: "invalid_credentials" });
    expect(await from("198.51.100.75", () => signIn(person.email, "the password after"))).toEqual({ ok: true });
  });
});
