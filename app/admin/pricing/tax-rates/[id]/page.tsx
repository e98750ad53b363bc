import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { AuditList } from "@/components/admin/audit-list";
import { TaxRateForm } from "@/components/admin/pricing-forms";
import { taxRateForEdit } from "@/lib/admin/pricing";
import { taxRateForm } from "@/lib/admin/pricing-rules";
import { auditFor } from "@/lib/audit";
import { can } from "@/lib/auth/roles";
import { requireAdminPage } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Tax rate" };

type Params = Promise<{ id: string }>;

export default function EditTaxRatePage({ params }: { params: Params }) {
  return (
    <Suspense fallback={<p>Loading…</p>}>
      <EditTaxRateBody params={params} />
    </Suspense>
  );
}

async function EditTaxRateBody({ params }: { params: Params }) {
  const { id } = await params;
  const session = await requireAdminPage(`/admin/pricing/tax-rates/${encodeURIComponent(id)}`);
  const [rate, entries] = await Promise.all([taxRateForEdit(id), auditFor("pricing", id)]);
  if (!rate) notFound();
  return (
    <>
      <AdminNav staff={session} />
      <Link href="/admin/pricing" className="text-sm text-brand-800 hover:underline">
        ← Pricing
      </Link>
      <h1 className="text-2xl font-bold text-stone-900">{rate.name}</h1>
      <TaxRateForm taxRate={{ id: rate.id }} initial={taxRateForm(rate)} readOnly={!can(session.role, "catalog.write")} />
      <section aria-labelledby="history">
        <h2 id="history" className="text-lg font-semibold text-stone-900">
          History
        </h2>
        <AuditList entries={entries} label="Changes to this tax rate" />
      </section>
    </>
  );
}
