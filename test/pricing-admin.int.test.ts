// The pricing admin's saves through the server actions staff call, against the real database: every form is
// saved whole or not at all (with its audit entry), codes are unique in any letter case, a country is in one
// active zone, a used code is deactivated rather than deleted, what is saved is what checkout's configuration
// reads, and no edit changes an order already paid.
// These tests share the database with other files running at the same time, so they only put countries no seeded
// zone holds (AR, IN, KR, MX, ZA; Brazil stays zoneless for test/pricing-config) in active zones, delete their
// zones when done, and never change the shop's prices-include-tax setting to another value.
import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { DiscountCodeFormInput, ShippingRateFormInput, ShippingZoneFormInput, TaxRateFormInput } from "@/lib/admin/pricing-rules";
import type { StaffRole } from "@/lib/auth/roles";
import { openSession } from "@/lib/auth/sessions";
import { prisma } from "@/lib/db";
import { loadPricingConfig } from "@/lib/pricing/config";
import { insertOrder } from "./support/orders";
import { jar } from "./support/next-request";

vi.mock("next/headers", () => import("./support/next-request"));

const actions = await import("@/components/admin/actions");

const hex = () => randomBytes(3).toString("hex").toUpperCase();

async function signedInAs(role: StaffRole) {
  const staff = await prisma.staff.create({
    data: { email: `${role}-${hex().toLowerCase()}@example.com`, role, passwordHash: "scrypt$16384$8$1$AAAA$AAAA" },
  });
  jar.set("admin_session", (await openSession(prisma, staff.id)).token);
  return staff;
}

const codeForm = (overrides: Partial<DiscountCodeFormInput> = {}): DiscountCodeFormInput => ({
  code: `test-${hex()}`,
  kind: "percentage",
  value: "15",
  minimumSubtotal: "",
  startsAt: "",
  endsAt: "",
  usageLimit: "",
  perEmailLimit: "",
  productIds: [],
  categoryIds: [],
  active: true,
  ...overrides,
});

const zoneForm = (overrides: Partial<ShippingZoneFormInput> = {}): ShippingZoneFormInput => ({
  name: `Zone ${hex()}`,
  countries: ["KR"],
  taxShipping: false,
  active: true,
  position: "50",
  ...overrides,
});

const rateForm = (overrides: Partial<ShippingRateFormInput> = {}): ShippingRateFormInput => ({
  name: "Surface mail",
  kind: "flat",
  amount: "12.00",
  brackets: "",
  freeFrom: "",
  active: true,
  position: "0",
  ...overrides,
});

const taxForm = (overrides: Partial<TaxRateFormInput> = {}): TaxRateFormInput => ({
  name: "Test VAT",
  country: "ZA",
  region: hex().slice(0, 3),
  taxClass: "standard",
  rate: "15",
  ...overrides,
});

/** The id of what a create action saved, or the test fails with its answer. */
async function created(answer: Promise<{ ok: boolean }>): Promise<string> {
  const result = await answer;
  if (!result.ok || !("id" in result)) throw new Error(`refused: ${JSON.stringify(result)}`);
  return result.id as string;
}

const pricingAudit = () => prisma.auditEvent.count({ where: { subjectType: "pricing" } });

describe("the pricing admin", () => {
  let staff: Awaited<ReturnType<typeof signedInAs>>;
  beforeEach(async () => {
    jar.clear();
    staff = await signedInAs("staff");
  });

  describe("discount codes", () => {
    it("creates a code uppercase with its audit entry, and edits it", async () => {
      const form = codeForm({ code: `spring-${hex().toLowerCase()}`, minimumSubtotal: "20", endsAt: "2099-01-01", usageLimit: "50" });
      const id = await created(actions.createDiscountCodeAction(form));
      expect(await prisma.discountCode.findUniqueOrThrow({ where: { id } })).toMatchObject({
        code: form.code.toUpperCase(),
        kind: "percentage",
        value: 1500,
        minimumSubtotal: 2000,
        endsAt: new Date("2099-01-01T00:00:00Z"),
        usageLimit: 50,
        active: true,
      });
      expect(await prisma.auditEvent.findFirstOrThrow({ where: { subjectId: id } })).toMatchObject({
        action: "pricing.code.create",
        subjectType: "pricing",
        staffId: staff.id,
        details: { code: form.code.toUpperCase(), value: 1500 },
      });

      expect(await actions.updateDiscountCodeAction({ ...form, id, kind: "fixed", value: "7.50", active: false })).toMatchObject({
        ok: true,
        id,
      });
      expect(await prisma.discountCode.findUniqueOrThrow({ where: { id } })).toMatchObject({ kind: "fixed", value: 750, active: false });
      expect(await prisma.auditEvent.count({ where: { subjectId: id, action: "pricing.code.update" } })).toBe(1);
    });

    it("refuses bad fields, each with its error, and saves nothing", async () => {
      const [codes, audit] = [await prisma.discountCode.count(), await pricingAudit()];
      const result = await actions.createDiscountCodeAction(
        codeForm({ code: "no spaces", value: "150", startsAt: "2026-12-02", endsAt: "2026-12-01", usageLimit: "0" }),
      );
      expect(result).toMatchObject({
        ok: false,
        code: "invalid_fields",
        fieldErrors: {
          code: expect.any(String),
          value: "At most 100%",
          endsAt: "The end must be after the start",
          usageLimit: expect.any(String),
        },
      });
      expect([await prisma.discountCode.count(), await pricingAudit()]).toEqual([codes, audit]);
    });

    it("refuses a code that exists in any letter case, also on edit", async () => {
      const taken = `dup-${hex()}`;
      await created(actions.createDiscountCodeAction(codeForm({ code: taken.toUpperCase() })));
      const clash = { ok: false, code: "invalid_fields", fieldErrors: { code: "That code exists already" } };
      expect(await actions.createDiscountCodeAction(codeForm({ code: taken.toLowerCase() }))).toMatchObject(clash);
      expect(await actions.createDiscountCodeAction(codeForm({ code: "welcome10" }))).toMatchObject(clash);

      // A row written outside the admin in lowercase still counts as taken.
      const legacy = `legacy-${hex().toLowerCase()}`;
      await prisma.discountCode.create({ data: { code: legacy, kind: "fixed", value: 100 } });
      expect(await actions.createDiscountCodeAction(codeForm({ code: legacy.toUpperCase() }))).toMatchObject(clash);

      const other = codeForm();
      const otherId = await created(actions.createDiscountCodeAction(other));
      expect(await actions.updateDiscountCodeAction({ ...other, id: otherId, code: taken.toLowerCase() })).toMatchObject(clash);
      // Saving a code under its own name is no clash.
      expect(await actions.updateDiscountCodeAction({ ...other, id: otherId, code: other.code.toLowerCase(), value: "20" })).toMatchObject({
        ok: true,
      });
      expect(await prisma.discountCode.count({ where: { code: { equals: taken, mode: "insensitive" } } })).toBe(1);
    });

    it("refuses products or categories that do not exist", async () => {
      const category = await prisma.category.findFirstOrThrow();
      const result = await actions.createDiscountCodeAction(
        codeForm({ productIds: ["no-such-product"], categoryIds: [category.id, "gone"] }),
      );
      expect(result).toMatchObject({
        code: "invalid_fields",
        fieldErrors: { productIds: expect.any(String), categoryIds: expect.any(String) },
      });
      const product = await prisma.product.findFirstOrThrow();
      const id = await created(actions.createDiscountCodeAction(codeForm({ productIds: [product.id], categoryIds: [category.id] })));
      expect(await prisma.discountCode.findUniqueOrThrow({ where: { id } })).toMatchObject({
        productIds: [product.id],
        categoryIds: [category.id],
      });
    });

    it("deletes an unused code, but only deactivates one with uses so orders keep their history", async () => {
      const unused = await created(actions.createDiscountCodeAction(codeForm()));
      expect(await actions.removeDiscountCodeAction({ id: unused })).toMatchObject({ ok: true, message: "Code deleted" });
      expect(await prisma.discountCode.count({ where: { id: unused } })).toBe(0);
      expect(await prisma.auditEvent.count({ where: { subjectId: unused, action: "pricing.code.delete" } })).toBe(1);

      const used = await created(actions.createDiscountCodeAction(codeForm()));
      const order = await insertOrder({ total: 900, status: "paid" });
      await prisma.discountUse.create({ data: { codeId: used, orderId: order.id, email: order.email, paid: true } });
      expect(await actions.removeDiscountCodeAction({ id: used })).toMatchObject({
        ok: true,
        message: expect.stringMatching(/deactivated/),
      });
      expect(await prisma.discountCode.findUniqueOrThrow({ where: { id: used } })).toMatchObject({ active: false });
      expect(await prisma.discountUse.count({ where: { codeId: used } })).toBe(1);
      expect(await actions.removeDiscountCodeAction({ id: unused })).toMatchObject({ ok: false, code: "not_found" });
    });
  });

  describe("shipping zones and rates", () => {
    it("creates a zone with rates that checkout's configuration reads, then deletes it with its rates", async () => {
      const zoneId = await created(actions.createShippingZoneAction(zoneForm({ countries: ["kr", "KR", "in"], taxShipping: true })));
      expect(await prisma.shippingZone.findUniqueOrThrow({ where: { id: zoneId } })).toMatchObject({
        countries: ["KR", "IN"],
        taxShipping: true,
        position: 50,
      });

      const flat = await created(actions.createShippingRateAction({ ...rateForm({ freeFrom: "100" }), zoneId }));
      const weight = await created(
        actions.createShippingRateAction({
          ...rateForm({ name: "By weight", kind: "weight", brackets: "1000: 14.99\n*: 49.99", position: "1" }),
          zoneId,
        }),
      );
      const zone = (await loadPricingConfig()).zones.find((z) => z.id === zoneId);
      expect(zone?.rates).toEqual([
        { id: flat, name: "Surface mail", kind: "flat", amount: 1200, freeFrom: 10_000 },
        {
          id: weight,
          name: "By weight",
          kind: "weight",
          brackets: [
            { upToGrams: 1000, amount: 1499 },
            { upToGrams: null, amount: 4999 },
          ],
          freeFrom: null,
        },
      ]);

      // Changing the kind leaves no stale amount or brackets behind.
      expect(await actions.updateShippingRateAction({ ...rateForm({ kind: "weight", brackets: "500: 3" }), id: flat })).toMatchObject({
        ok: true,
      });
      expect(await prisma.shippingRate.findUniqueOrThrow({ where: { id: flat } })).toMatchObject({
        kind: "weight",
        amount: null,
        brackets: [{ upToGrams: 500, amount: 300 }],
      });
      expect(await actions.updateShippingRateAction({ ...rateForm({ amount: "2" }), id: weight })).toMatchObject({ ok: true });
      expect(await prisma.shippingRate.findUniqueOrThrow({ where: { id: weight } })).toMatchObject({
        kind: "flat",
        amount: 200,
        brackets: null,
      });

      expect(await actions.deleteShippingRateAction({ id: weight })).toMatchObject({ ok: true });
      expect(await actions.deleteShippingZoneAction({ id: zoneId })).toMatchObject({ ok: true });
      expect(await prisma.shippingRate.count({ where: { zoneId } })).toBe(0);
      expect(
        await prisma.auditEvent.findMany({
          where: { subjectType: "pricing", subjectId: { in: [zoneId, flat, weight] } },
          select: { action: true },
        }),
      ).toHaveLength(7);
    });

    it("refuses bad zone and rate fields and saves nothing", async () => {
      const [zones, rates, audit] = [await prisma.shippingZone.count(), await prisma.shippingRate.count(), await pricingAudit()];
      expect(await actions.createShippingZoneAction(zoneForm({ name: "", countries: ["XX"], position: "-3" }))).toMatchObject({
        code: "invalid_fields",
        fieldErrors: { name: expect.any(String), countries: "Not a country the shop knows: XX", position: expect.any(String) },
      });
      const zoneId = await created(actions.createShippingZoneAction(zoneForm({ active: false })));
      expect(
        await actions.createShippingRateAction({ ...rateForm({ kind: "weight", brackets: "1000: 5\n900: 6", freeFrom: "-1" }), zoneId }),
      ).toMatchObject({
        code: "invalid_fields",
        fieldErrors: { brackets: expect.stringMatching(/^Line 2/), freeFrom: expect.any(String) },
      });
      expect(await actions.createShippingRateAction({ ...rateForm(), zoneId: "no-such-zone" })).toMatchObject({ code: "not_found" });
      expect([await prisma.shippingZone.count(), await prisma.shippingRate.count(), await pricingAudit()]).toEqual([
        zones + 1,
        rates,
        audit + 1,
      ]);
      await actions.deleteShippingZoneAction({ id: zoneId });
    });

    it("keeps each country in one active zone, naming the zone that has it", async () => {
      const first = zoneForm({ name: `Asia ${hex()}`, countries: ["IN", "KR"] });
      const firstId = await created(actions.createShippingZoneAction(first));
      const overlap = await actions.createShippingZoneAction(zoneForm({ countries: ["MX", "KR"] }));
      expect(overlap).toMatchObject({ code: "invalid_fields", fieldErrors: { countries: expect.stringContaining(`“${first.name}”`) } });
      expect(overlap.ok ? "" : (overlap as { fieldErrors: Record<string, string> }).fieldErrors.countries).toMatch(/^KR is already/);
      expect(await actions.createShippingZoneAction(zoneForm({ countries: ["US"] }))).toMatchObject({
        fieldErrors: { countries: expect.stringContaining("“United States”") },
      });

      // An inactive zone may overlap while it is prepared, but cannot be switched on until the other lets go.
      const draft = zoneForm({ countries: ["KR", "MX"], active: false });
      const draftId = await created(actions.createShippingZoneAction(draft));
      expect(await actions.updateShippingZoneAction({ ...draft, id: draftId, active: true })).toMatchObject({ code: "invalid_fields" });
      expect(await prisma.shippingZone.findUniqueOrThrow({ where: { id: draftId } })).toMatchObject({ active: false });
      expect(await actions.updateShippingZoneAction({ ...first, id: firstId, countries: ["IN"] })).toMatchObject({ ok: true });
      expect(await actions.updateShippingZoneAction({ ...draft, id: draftId, active: true })).toMatchObject({ ok: true });
      // A zone saved again with its own countries is no overlap.
      expect(await actions.updateShippingZoneAction({ ...first, id: firstId, countries: ["IN"], name: "Renamed" })).toMatchObject({
        ok: true,
      });

      // Two saves racing for the same country: exactly one gets it.
      await actions.deleteShippingZoneAction({ id: draftId });
      const racing = await Promise.all([
        actions.createShippingZoneAction(zoneForm({ countries: ["ZA"] })),
        actions.createShippingZoneAction(zoneForm({ countries: ["ZA", "AR"] })),
      ]);
      expect(racing.filter((result) => result.ok)).toHaveLength(1);
      expect(await prisma.shippingZone.count({ where: { active: true, countries: { has: "ZA" } } })).toBe(1);

      for (const zone of await prisma.shippingZone.findMany({
        where: { id: { in: [firstId, ...racing.flatMap((r) => ("id" in r ? [r.id as string] : []))] } },
      })) {
        expect(await actions.deleteShippingZoneAction({ id: zone.id })).toMatchObject({ ok: true });
      }
    });
  });

  describe("tax rates", () => {
    it("creates, edits and deletes a rate in basis points, one per country, region and class", async () => {
      const form = taxForm({ rate: "7.25" });
      const id = await created(actions.createTaxRateAction(form));
      expect(await prisma.taxRate.findUniqueOrThrow({ where: { id } })).toMatchObject({
        country: "ZA",
        region: form.region.toUpperCase(),
        rate: 725,
      });

      expect(await actions.createTaxRateAction(taxForm({ name: "Again", region: form.region.toLowerCase() }))).toMatchObject({
        code: "invalid_fields",
        fieldErrors: { taxClass: expect.stringContaining("“Test VAT”") },
      });
      expect(await actions.createTaxRateAction(taxForm({ country: "US", region: "ca" }))).toMatchObject({
        fieldErrors: { taxClass: expect.stringContaining("California sales tax") },
      });
      // The reduced class of the same place is another rate.
      const reduced = await created(actions.createTaxRateAction({ ...form, taxClass: "reduced", rate: "5" }));
      expect(await actions.updateTaxRateAction({ ...form, id: reduced })).toMatchObject({ code: "invalid_fields" });

      expect(await actions.updateTaxRateAction({ ...form, id, rate: "19" })).toMatchObject({ ok: true });
      expect(await prisma.taxRate.findUniqueOrThrow({ where: { id } })).toMatchObject({ rate: 1900 });
      expect(await actions.createTaxRateAction(taxForm({ country: "US", region: "QC", rate: "7.255" }))).toMatchObject({
        fieldErrors: { region: expect.any(String), rate: expect.any(String) },
      });
      expect(await actions.deleteTaxRateAction({ id })).toMatchObject({ ok: true });
      expect(await actions.deleteTaxRateAction({ id })).toMatchObject({ code: "not_found" });
      await actions.deleteTaxRateAction({ id: reduced });
    });
  });

  it("records the prices-include-tax setting with who changed it", async () => {
    const current = (await prisma.shopSettings.findUnique({ where: { id: "shop" } }))?.pricesIncludeTax ?? false;
    expect(await actions.setPricesIncludeTaxAction({ pricesIncludeTax: current })).toMatchObject({ ok: true });
    expect(await prisma.auditEvent.findFirst({ where: { staffId: staff.id, action: "pricing.settings" } })).toMatchObject({
      subjectId: "shop",
      details: { pricesIncludeTax: { from: current, to: current } },
    });
  });

  it("leaves a paid order's prices exactly as they were, whatever changes", async () => {
    const codeFormValues = codeForm({ value: "10" });
    const codeId = await created(actions.createDiscountCodeAction(codeFormValues));
    const zone = zoneForm({ countries: ["MX"] });
    const zoneId = await created(actions.createShippingZoneAction(zone));
    const rate = rateForm({ amount: "9.00" });
    const rateId = await created(actions.createShippingRateAction({ ...rate, zoneId }));
    const tax = taxForm({ country: "MX", region: "", rate: "16" });
    const taxId = await created(actions.createTaxRateAction(tax));
    const order = await insertOrder({
      status: "paid",
      paidAt: new Date(),
      shippingCountry: "MX",
      subtotal: 5000,
      discount: 500,
      discountCode: codeFormValues.code.toUpperCase(),
      shippingCost: 900,
      shippingRateId: rateId,
      shippingMethod: rate.name,
      tax: 720,
      taxLines: [{ name: tax.name, rate: 1600, amount: 720 }],
      total: 6120,
    });
    await prisma.discountUse.create({ data: { codeId, orderId: order.id, email: order.email, paid: true } });
    const before = await prisma.order.findUniqueOrThrow({ where: { id: order.id }, include: { items: true } });

    expect(await actions.updateDiscountCodeAction({ ...codeFormValues, id: codeId, value: "50" })).toMatchObject({ ok: true });
    expect(await actions.updateShippingRateAction({ ...rate, id: rateId, amount: "30.00" })).toMatchObject({ ok: true });
    expect(await actions.updateTaxRateAction({ ...tax, id: taxId, rate: "20" })).toMatchObject({ ok: true });
    expect(await actions.updateShippingZoneAction({ ...zone, id: zoneId, taxShipping: true })).toMatchObject({ ok: true });
    expect(await actions.removeDiscountCodeAction({ id: codeId })).toMatchObject({ ok: true });
    expect(await actions.deleteTaxRateAction({ id: taxId })).toMatchObject({ ok: true });
    expect(await actions.deleteShippingZoneAction({ id: zoneId })).toMatchObject({ ok: true });

    const after = await prisma.order.findUniqueOrThrow({ where: { id: order.id }, include: { items: true } });
    expect(after).toEqual(before);
    expect(after).toMatchObject({ subtotal: 5000, discount: 500, shippingCost: 900, tax: 720, total: 6120, status: "paid" });
    expect(await prisma.discountUse.findUniqueOrThrow({ where: { orderId: order.id } })).toMatchObject({ codeId, paid: true });
  });

  it("refuses every pricing write to a viewer and changes nothing", async () => {
    jar.clear();
    await signedInAs("viewer");
    const audit = await pricingAudit();
    const forbidden = { ok: false, code: "forbidden" };
    expect(await actions.createDiscountCodeAction(codeForm())).toMatchObject(forbidden);
    expect(await actions.createShippingZoneAction(zoneForm())).toMatchObject(forbidden);
    expect(await actions.createTaxRateAction(taxForm())).toMatchObject(forbidden);
    expect(await actions.setPricesIncludeTaxAction({ pricesIncludeTax: true })).toMatchObject(forbidden);
    expect(await pricingAudit()).toBe(audit);
  });
});
