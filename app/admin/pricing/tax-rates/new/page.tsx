import type { Metadata } from "next";
import { Suspense } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { TaxRateForm } from "@/components/admin/pricing-forms";
import { requireAdminPage } from "@/lib/auth/session";

export const metadata: Metadata = { title: "New tax rate" };

export default function NewTaxRatePage() {
  return (
    <Suspense fallback={<p>Loading…</p>}>
      <NewTaxRateBody />
    </Suspense>
  );
}

async function NewTaxRateBody() {
  const session = await requireAdminPage("/admin/pricing/tax-rates/new", "catalog.write");
  return (
    <>
      <AdminNav staff={session} />
      <h1 className="text-2xl font-bold text-stone-900">New tax rate</h1>
      <TaxRateForm taxRate={null} initial={{ name: "", country: "", region: "", taxClass: "standard", rate: "" }} readOnly={false} />
    </>
  );
}
