import "server-only";
import type { Bracket, DiscountCodeData, FieldErrors, ShippingRateData, ShippingZoneData, TaxRateData } from "@/lib/admin/pricing-rules";
import { recordAudit, type Actor } from "@/lib/audit";
import { prisma, type Tx } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { fail, type Failure } from "@/lib/result";

// The pricing admin's storage: discount codes, shipping zones and their rates, tax rates and the shop's
// "prices include tax" setting. Each write is one transaction holding the change and its audit entry, after
// lib/admin/pricing-rules.ts validated the form; a refusal rolls all of it back, so nothing is half-saved.
//
// Orders are never touched here. An order keeps the prices, discount, shipping and taxes it was created with
// (Order.subtotal, discount, shippingCost, tax, taxLines, total); its code and shipping rate are kept by name and
// id as plain values, not foreign keys, so editing or deleting a rate, a zone, a tax rate or a code changes what
// the next checkout computes and nothing already ordered.
//
// Failure modes handled:
// - Two saves putting the same country in two active zones at once: zone saves take one advisory lock, so the
//   second sees the first's countries (checkout uses the first zone listing a country, so overlaps would hide one).
// - A code or tax rate created twice at once: the unique index refuses the second; answered as a field error.
// - Deleting a code a checkout is taking a use of: takeDiscountUse locks the code's row, and so does this, so the
//   checkout either counted first (the code is deactivated, keeping the use) or finds the code gone.

export type PricingFailure = (Failure<"invalid_fields"> & { fieldErrors: FieldErrors }) | Failure<"not_found">;
type Saved = { ok: true; id: string };
type CodeRemoval = { ok: true; id: string; outcome: "deleted" | "deactivated" };

const SUBJECT = "pricing" as const;
const ZONE_LOCK = "pricing:shipping-zone-countries";

/** Thrown inside a save's transaction to roll it back and answer `failure`. */
class Refusal extends Error {
  constructor(readonly failure: PricingFailure) {
    super(failure.error);
  }
}

const invalidFields = (fieldErrors: FieldErrors): PricingFailure =>
  fail("invalid_fields", "Some fields need attention; nothing was saved.", { fieldErrors });

const notFound = (what: string) => new Refusal(fail("not_found", `No such ${what}; it may have been deleted.`));

/** Runs a write's transaction; refusals, and a unique index refusing a concurrent duplicate, come back as answers. */
async function save<T>(work: (tx: Tx) => Promise<T>, onDuplicate: FieldErrors): Promise<T | PricingFailure> {
  try {
    return await prisma.$transaction(work);
  } catch (error) {
    if (error instanceof Refusal) return error.failure;
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return invalidFields(onDuplicate);
    // A row deleted by someone else between the read and the write.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025")
      return fail("not_found", "It was deleted meanwhile.");
    throw error;
  }
}

/** The audit trail stores JSON: dates as ISO strings. */
function auditable(data: Record<string, unknown>): Prisma.InputJsonObject {
  return JSON.parse(JSON.stringify(data)) as Prisma.InputJsonObject;
}

// ------------------------------------------------------------------------------------------ settings

/** Whether prices are entered including tax. Changes what the next checkout computes; paid orders keep theirs. */
export async function setPricesIncludeTax(actor: Actor, pricesIncludeTax: boolean): Promise<{ ok: true }> {
  return prisma.$transaction(async (tx) => {
    const before = await tx.shopSettings.findUnique({ where: { id: "shop" } });
    await tx.shopSettings.upsert({ where: { id: "shop" }, create: { id: "shop", pricesIncludeTax }, update: { pricesIncludeTax } });
    await recordAudit(tx, actor, {
      action: "pricing.settings",
      subjectType: SUBJECT,
      subjectId: "shop",
      details: { pricesIncludeTax: { from: before?.pricesIncludeTax ?? false, to: pricesIncludeTax } },
    });
    return { ok: true as const };
  });
}

// ------------------------------------------------------------------------------------------ discount codes

const codeTaken = { code: "That code exists already" };

export async function createDiscountCode(actor: Actor, data: DiscountCodeData): Promise<Saved | PricingFailure> {
  return save(async (tx) => {
    await checkCode(tx, data, null);
    const row = await tx.discountCode.create({ data, select: { id: true } });
    await recordAudit(tx, actor, { action: "pricing.code.create", subjectType: SUBJECT, subjectId: row.id, details: auditable(data) });
    return { ok: true as const, id: row.id };
  }, codeTaken);
}

/** A code's new terms apply to the next checkout; orders that used it keep the discount they got. */
export async function updateDiscountCode(actor: Actor, id: string, data: DiscountCodeData): Promise<Saved | PricingFailure> {
  return save(async (tx) => {
    const before = await tx.discountCode.findUnique({ where: { id } });
    if (!before) throw notFound("code");
    await checkCode(tx, data, id);
    await tx.discountCode.update({ where: { id }, data });
    await recordAudit(tx, actor, {
      action: "pricing.code.update",
      subjectType: SUBJECT,
      subjectId: id,
      details: auditable({ code: before.code, to: data }),
    });
    return { ok: true as const, id };
  }, codeTaken);
}

/**
 * Deletes a code nobody has used; a code with uses (held or paid) is deactivated instead, so orders keep the
 * history of which code gave them their discount and the usage counts stay true if it is switched back on.
 */
export async function removeDiscountCode(actor: Actor, id: string): Promise<CodeRemoval | PricingFailure> {
  return save(async (tx) => {
    // Locked like takeDiscountUse does, so a use being taken right now is either counted here or refused there.
    const [row] = await tx.$queryRaw<Array<{ code: string }>>`SELECT code FROM "DiscountCode" WHERE id = ${id} FOR UPDATE`;
    if (!row) throw notFound("code");
    const uses = await tx.discountUse.count({ where: { codeId: id } });
    const outcome = uses > 0 ? "deactivated" : "deleted";
    if (outcome === "deleted") await tx.discountCode.delete({ where: { id } });
    else await tx.discountCode.update({ where: { id }, data: { active: false } });
    await recordAudit(tx, actor, {
      action: outcome === "deleted" ? "pricing.code.delete" : "pricing.code.deactivate",
      subjectType: SUBJECT,
      subjectId: id,
      details: { code: row.code, uses },
    });
    return { ok: true as const, id, outcome };
  }, {});
}

/** The code is no other code's in any letter case, and the products and categories it names exist. */
async function checkCode(tx: Tx, data: DiscountCodeData, id: string | null): Promise<void> {
  const errors: FieldErrors = {};
  // Codes are stored uppercase, but a row written another way (psql, an import) must still count as taken.
  const clash = await tx.discountCode.findFirst({
    where: { code: { equals: data.code, mode: "insensitive" }, ...(id ? { NOT: { id } } : {}) },
    select: { id: true },
  });
  if (clash) errors.code = codeTaken.code;
  if (data.productIds.length > 0) {
    const found = await tx.product.count({ where: { id: { in: data.productIds } } });
    if (found !== data.productIds.length) errors.productIds = "A chosen product no longer exists; reload and choose again";
  }
  if (data.categoryIds.length > 0) {
    const found = await tx.category.count({ where: { id: { in: data.categoryIds } } });
    if (found !== data.categoryIds.length) errors.categoryIds = "A chosen category no longer exists; reload and choose again";
  }
  if (Object.keys(errors).length > 0) throw new Refusal(invalidFields(errors));
}

// ------------------------------------------------------------------------------------------ shipping zones

export async function createShippingZone(actor: Actor, data: ShippingZoneData): Promise<Saved | PricingFailure> {
  return save(async (tx) => {
    await checkCountries(tx, data, null);
    const row = await tx.shippingZone.create({ data, select: { id: true } });
    await recordAudit(tx, actor, { action: "pricing.zone.create", subjectType: SUBJECT, subjectId: row.id, details: auditable(data) });
    return { ok: true as const, id: row.id };
  }, {});
}

export async function updateShippingZone(actor: Actor, id: string, data: ShippingZoneData): Promise<Saved | PricingFailure> {
  return save(async (tx) => {
    const before = await tx.shippingZone.findUnique({ where: { id } });
    if (!before) throw notFound("zone");
    await checkCountries(tx, data, id);
    await tx.shippingZone.update({ where: { id }, data });
    await recordAudit(tx, actor, {
      action: "pricing.zone.update",
      subjectType: SUBJECT,
      subjectId: id,
      details: auditable({ from: pick(before, data), to: data }),
    });
    return { ok: true as const, id };
  }, {});
}

/** Deletes the zone and its rates (the schema cascades); orders keep the rate's name, id and price they were given. */
export async function deleteShippingZone(actor: Actor, id: string): Promise<Saved | PricingFailure> {
  return save(async (tx) => {
    const before = await tx.shippingZone.findUnique({ where: { id }, include: { rates: { select: { name: true } } } });
    if (!before) throw notFound("zone");
    await tx.shippingZone.delete({ where: { id } });
    await recordAudit(tx, actor, {
      action: "pricing.zone.delete",
      subjectType: SUBJECT,
      subjectId: id,
      details: { name: before.name, countries: before.countries, rates: before.rates.map((rate) => rate.name) },
    });
    return { ok: true as const, id };
  }, {});
}

/**
 * An active zone's countries are in no other active zone: checkout ships by the first zone listing the country,
 * so a second one would silently never apply. Inactive zones may overlap (a zone being prepared).
 */
async function checkCountries(tx: Tx, data: ShippingZoneData, id: string | null): Promise<void> {
  // Taken even for an inactive zone: it could otherwise race a save that activates an overlapping one.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${ZONE_LOCK}, 0))`;
  if (!data.active) return;
  const others = await tx.shippingZone.findMany({
    where: { active: true, countries: { hasSome: data.countries }, ...(id ? { NOT: { id } } : {}) },
    select: { name: true, countries: true },
    orderBy: { position: "asc" },
  });
  const other = others[0];
  if (!other) return;
  const shared = data.countries.filter((country) => other.countries.includes(country));
  throw new Refusal(
    invalidFields({
      countries: `${shared.join(", ")} ${shared.length === 1 ? "is" : "are"} already in the active zone “${other.name}”; a country can be in one active zone only`,
    }),
  );
}

// ------------------------------------------------------------------------------------------ shipping rates

function rateFields(data: ShippingRateData) {
  return {
    name: data.name,
    kind: data.kind,
    amount: data.amount,
    // Prisma writes SQL NULL for a JSON column only when told so explicitly.
    brackets: data.brackets === null ? Prisma.DbNull : (data.brackets as Bracket[] as Prisma.InputJsonArray),
    freeFrom: data.freeFrom,
    active: data.active,
    position: data.position,
  };
}

export async function createShippingRate(actor: Actor, zoneId: string, data: ShippingRateData): Promise<Saved | PricingFailure> {
  return save(async (tx) => {
    // FOR SHARE: a zone being deleted right now either takes this rate with it or is gone before it is written.
    const [zone] = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM "ShippingZone" WHERE id = ${zoneId} FOR SHARE`;
    if (!zone) throw notFound("zone");
    const row = await tx.shippingRate.create({ data: { zoneId, ...rateFields(data) }, select: { id: true } });
    await recordAudit(tx, actor, {
      action: "pricing.rate.create",
      subjectType: SUBJECT,
      subjectId: row.id,
      details: auditable({ zoneId, ...data }),
    });
    return { ok: true as const, id: row.id };
  }, {});
}

export async function updateShippingRate(actor: Actor, id: string, data: ShippingRateData): Promise<Saved | PricingFailure> {
  return save(async (tx) => {
    const before = await tx.shippingRate.findUnique({ where: { id } });
    if (!before) throw notFound("rate");
    await tx.shippingRate.update({ where: { id }, data: rateFields(data) });
    await recordAudit(tx, actor, {
      action: "pricing.rate.update",
      subjectType: SUBJECT,
      subjectId: id,
      details: auditable({ zoneId: before.zoneId, from: pick(before, data), to: data }),
    });
    return { ok: true as const, id };
  }, {});
}

export async function deleteShippingRate(actor: Actor, id: string): Promise<Saved | PricingFailure> {
  return save(async (tx) => {
    const before = await tx.shippingRate.findUnique({ where: { id } });
    if (!before) throw notFound("rate");
    await tx.shippingRate.delete({ where: { id } });
    await recordAudit(tx, actor, {
      action: "pricing.rate.delete",
      subjectType: SUBJECT,
      subjectId: id,
      details: auditable({ zoneId: before.zoneId, name: before.name, kind: before.kind, amount: before.amount, brackets: before.brackets }),
    });
    return { ok: true as const, id };
  }, {});
}

// ------------------------------------------------------------------------------------------ tax rates

const taxTaken = { taxClass: "There is a rate for this country, region and class already; edit that one" };

export async function createTaxRate(actor: Actor, data: TaxRateData): Promise<Saved | PricingFailure> {
  return save(async (tx) => {
    await checkTaxRate(tx, data, null);
    const row = await tx.taxRate.create({ data, select: { id: true } });
    await recordAudit(tx, actor, { action: "pricing.tax.create", subjectType: SUBJECT, subjectId: row.id, details: auditable(data) });
    return { ok: true as const, id: row.id };
  }, taxTaken);
}

export async function updateTaxRate(actor: Actor, id: string, data: TaxRateData): Promise<Saved | PricingFailure> {
  return save(async (tx) => {
    const before = await tx.taxRate.findUnique({ where: { id } });
    if (!before) throw notFound("tax rate");
    await checkTaxRate(tx, data, id);
    await tx.taxRate.update({ where: { id }, data });
    await recordAudit(tx, actor, {
      action: "pricing.tax.update",
      subjectType: SUBJECT,
      subjectId: id,
      details: auditable({ from: pick(before, data), to: data }),
    });
    return { ok: true as const, id };
  }, taxTaken);
}

export async function deleteTaxRate(actor: Actor, id: string): Promise<Saved | PricingFailure> {
  return save(async (tx) => {
    const before = await tx.taxRate.findUnique({ where: { id } });
    if (!before) throw notFound("tax rate");
    await tx.taxRate.delete({ where: { id } });
    await recordAudit(tx, actor, {
      action: "pricing.tax.delete",
      subjectType: SUBJECT,
      subjectId: id,
      details: { name: before.name, country: before.country, region: before.region, taxClass: before.taxClass, rate: before.rate },
    });
    return { ok: true as const, id };
  }, {});
}

/** One rate per country, region and class: the engine would otherwise pick one of them arbitrarily. */
async function checkTaxRate(tx: Tx, data: TaxRateData, id: string | null): Promise<void> {
  const clash = await tx.taxRate.findFirst({
    where: { country: data.country, region: data.region, taxClass: data.taxClass, ...(id ? { NOT: { id } } : {}) },
    select: { name: true },
  });
  if (clash) {
    const where = data.region ? `${data.country}-${data.region}` : data.country;
    throw new Refusal(invalidFields({ taxClass: `“${clash.name}” is already the ${data.taxClass} rate for ${where}; edit that one` }));
  }
}

/** The row's values of the keys the form saves, for the audit entry's "from". */
function pick<T extends object>(row: Record<string, unknown>, data: T): Record<string, unknown> {
  return Object.fromEntries(Object.keys(data).map((key) => [key, row[key]]));
}

// ------------------------------------------------------------------------------------------ reading

/** Everything the overview shows; uses are counted per code (paid, and still held by open orders). */
export async function pricingOverview() {
  const [settings, zones, taxRates, codes, paidUses, heldUses] = await Promise.all([
    prisma.shopSettings.findUnique({ where: { id: "shop" } }),
    prisma.shippingZone.findMany({
      orderBy: [{ position: "asc" }, { createdAt: "asc" }],
      include: { rates: { orderBy: [{ position: "asc" }, { createdAt: "asc" }] } },
    }),
    prisma.taxRate.findMany({ orderBy: [{ country: "asc" }, { region: "asc" }, { taxClass: "asc" }] }),
    prisma.discountCode.findMany({ orderBy: [{ active: "desc" }, { code: "asc" }] }),
    prisma.discountUse.groupBy({ by: ["codeId"], where: { paid: true }, _count: { _all: true } }),
    prisma.discountUse.groupBy({
      by: ["codeId"],
      where: { paid: false, order: { status: { in: ["pending", "processing"] } } },
      _count: { _all: true },
    }),
  ]);
  const count = (rows: typeof paidUses, codeId: string) => rows.find((row) => row.codeId === codeId)?._count._all ?? 0;
  return {
    pricesIncludeTax: settings?.pricesIncludeTax ?? false,
    zones,
    taxRates,
    codes: codes.map((code) => ({ ...code, paidUses: count(paidUses, code.id), heldUses: count(heldUses, code.id) })),
  };
}

export async function discountCodeForEdit(id: string) {
  const [code, uses] = await Promise.all([
    prisma.discountCode.findUnique({ where: { id } }),
    prisma.discountUse.groupBy({ by: ["paid"], where: { codeId: id }, _count: { _all: true } }),
  ]);
  if (!code) return null;
  return { ...code, paidUses: uses.find((row) => row.paid)?._count._all ?? 0, uses: uses.reduce((n, row) => n + row._count._all, 0) };
}

/** The products and categories a code can be restricted to. */
export async function discountChoices() {
  const [products, categories] = await Promise.all([
    prisma.product.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, active: true } }),
    prisma.category.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, active: true } }),
  ]);
  return { products, categories };
}

export async function shippingZoneForEdit(id: string) {
  return prisma.shippingZone.findUnique({
    where: { id },
    include: { rates: { orderBy: [{ position: "asc" }, { createdAt: "asc" }] } },
  });
}

export async function taxRateForEdit(id: string) {
  return prisma.taxRate.findUnique({ where: { id } });
}

/** Where a new zone goes by default: after the last one. */
export async function nextZonePosition(): Promise<number> {
  const { _max } = await prisma.shippingZone.aggregate({ _max: { position: true } });
  return _max.position === null ? 0 : _max.position + 1;
}

/** The zone's audit entries and its rates' (deleted rates' too, found by the zoneId their entries carry), newest first. */
export async function zoneAudit(zoneId: string, take = 100) {
  return prisma.auditEvent.findMany({
    where: { subjectType: "pricing", OR: [{ subjectId: zoneId }, { details: { path: ["zoneId"], equals: zoneId } }] },
    orderBy: { at: "desc" },
    take,
  });
}
