import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { AuditList } from "@/components/admin/audit-list";
import { ShippingRateForm, ShippingZoneForm } from "@/components/admin/pricing-forms";
import { shippingZoneForEdit, zoneAudit } from "@/lib/admin/pricing";
import { shippingRateForm, shippingZoneForm } from "@/lib/admin/pricing-rules";
import { can } from "@/lib/auth/roles";
import { requireAdminPage } from "@/lib/auth/session";
import { SHOP_CURRENCY } from "@/lib/shop-currency";

export const metadata: Metadata = { title: "Shipping zone" };

type Params = Promise<{ id: string }>;

export default function EditZonePage({ params }: { params: Params }) {
  return (
    <Suspense fallback={<p>Loading…</p>}>
      <EditZoneBody params={params} />
    </Suspense>
  );
}

async function EditZoneBody({ params }: { params: Params }) {
  const { id } = await params;
  const session = await requireAdminPage(`/admin/pricing/zones/${encodeURIComponent(id)}`);
  const [zone, entries] = await Promise.all([shippingZoneForEdit(id), zoneAudit(id)]);
  if (!zone) notFound();
  const readOnly = !can(session.role, "catalog.write");
  const blankRate = { name: "", kind: "flat", amount: "", brackets: "", freeFrom: "", active: true, position: String(zone.rates.length) };
  return (
    <>
      <AdminNav staff={session} />
      <Link href="/admin/pricing" className="text-sm text-brand-800 hover:underline">
        ← Pricing
      </Link>
      <h1 className="text-2xl font-bold text-stone-900">
        {zone.name}
        {zone.active ? null : <span className="ml-3 rounded-full bg-stone-200 px-2.5 py-0.5 text-sm font-medium">inactive</span>}
      </h1>
      <ShippingZoneForm zone={{ id: zone.id }} initial={shippingZoneForm(zone)} readOnly={readOnly} />

      <section aria-labelledby="rates" className="space-y-3">
        <h2 id="rates" className="text-lg font-semibold text-stone-900">
          Rates
        </h2>
        {zone.rates.length === 0 ? <p className="text-sm text-stone-600">No rates yet: checkout cannot ship to this zone.</p> : null}
        {zone.rates.map((rate) => (
          <section key={rate.id} aria-label={`Rate: ${rate.name}`} className="rounded-xl border border-stone-200 bg-white p-4">
            <h3 className="mb-2 font-semibold">
              {rate.name}
              {rate.active ? "" : " (inactive)"}
            </h3>
            <ShippingRateForm
              zoneId={zone.id}
              rate={{ id: rate.id }}
              initial={shippingRateForm(rate, SHOP_CURRENCY)}
              currency={SHOP_CURRENCY}
              readOnly={readOnly}
            />
          </section>
        ))}
        {readOnly ? null : (
          <section aria-labelledby="new-rate" className="rounded-xl border border-dashed border-stone-300 bg-white p-4">
            <h3 id="new-rate" className="mb-2 font-semibold">
              New rate
            </h3>
            <ShippingRateForm zoneId={zone.id} rate={null} initial={blankRate} currency={SHOP_CURRENCY} readOnly={false} />
          </section>
        )}
      </section>

      <section aria-labelledby="history">
        <h2 id="history" className="text-lg font-semibold text-stone-900">
          History
        </h2>
        <AuditList entries={entries} label="Changes to this zone and its rates" />
      </section>
    </>
  );
}
