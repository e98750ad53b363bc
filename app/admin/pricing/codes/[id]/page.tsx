import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { AuditList } from "@/components/admin/audit-list";
import { DiscountCodeForm } from "@/components/admin/pricing-forms";
import { discountChoices, discountCodeForEdit } from "@/lib/admin/pricing";
import { discountCodeForm } from "@/lib/admin/pricing-rules";
import { auditFor } from "@/lib/audit";
import { can } from "@/lib/auth/roles";
import { requireAdminPage } from "@/lib/auth/session";
import { SHOP_CURRENCY } from "@/lib/shop-currency";

export const metadata: Metadata = { title: "Discount code" };

type Params = Promise<{ id: string }>;

export default function EditCodePage({ params }: { params: Params }) {
  return (
    <Suspense fallback={<p>Loading…</p>}>
      <EditCodeBody params={params} />
    </Suspense>
  );
}

async function EditCodeBody({ params }: { params: Params }) {
  const { id } = await params;
  const session = await requireAdminPage(`/admin/pricing/codes/${encodeURIComponent(id)}`);
  const [code, choices, entries] = await Promise.all([discountCodeForEdit(id), discountChoices(), auditFor("pricing", id)]);
  if (!code) notFound();
  return (
    <>
      <AdminNav staff={session} />
      <Link href="/admin/pricing" className="text-sm text-brand-800 hover:underline">
        ← Pricing
      </Link>
      <h1 className="font-mono text-2xl font-bold text-stone-900">
        {code.code}
        {code.active ? null : <span className="ml-3 rounded-full bg-stone-200 px-2.5 py-0.5 font-sans text-sm font-medium">inactive</span>}
      </h1>
      <p className="text-sm text-stone-700">
        {code.paidUses} paid {code.paidUses === 1 ? "use" : "uses"}
        {code.usageLimit === null ? "" : ` of ${code.usageLimit}`}; {code.uses} in all, counting orders not (yet) paid.
      </p>
      <DiscountCodeForm
        code={{ id: code.id, uses: code.uses }}
        initial={discountCodeForm(code, SHOP_CURRENCY)}
        choices={choices}
        currency={SHOP_CURRENCY}
        readOnly={!can(session.role, "catalog.write")}
      />
      <section aria-labelledby="history">
        <h2 id="history" className="text-lg font-semibold text-stone-900">
          History
        </h2>
        <AuditList entries={entries} label="Changes to this code" />
      </section>
    </>
  );
}
