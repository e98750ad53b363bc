import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { AuditList } from "@/components/admin/audit-list";
import { CategoryForm } from "@/components/admin/category-form";
import { categoryForEdit } from "@/lib/admin/categories";
import { auditFor } from "@/lib/audit";
import { can } from "@/lib/auth/roles";
import { requireAdminPage } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Edit category" };

type Params = Promise<{ id: string }>;

export default function EditCategoryPage({ params }: { params: Params }) {
  return (
    <Suspense fallback={<p>Loading…</p>}>
      <EditCategoryBody params={params} />
    </Suspense>
  );
}

async function EditCategoryBody({ params }: { params: Params }) {
  const { id } = await params;
  const session = await requireAdminPage(`/admin/catalog/categories/${encodeURIComponent(id)}`);
  const [category, entries] = await Promise.all([categoryForEdit(id), auditFor("category", id)]);
  if (!category) notFound();
  const products = (n: number) => `${n} ${n === 1 ? "product" : "products"}`;
  return (
    <>
      <AdminNav staff={session} />
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-2xl font-bold text-stone-900">
          {category.name}
          {category.active ? null : <span className="ml-3 rounded-full bg-stone-200 px-2.5 py-0.5 text-sm font-medium">archived</span>}
        </h1>
        {category.active ? (
          <Link href={`/categories/${category.slug}`} className="text-sm text-brand-800 hover:underline">
            View in the shop
          </Link>
        ) : null}
      </div>
      <p className="text-sm text-stone-700">
        {products(category.activeProducts)} active, {products(category.products)} in all.
        {category.oldSlugs.length > 0
          ? ` Old addresses that lead here: ${category.oldSlugs.map((slug) => `/categories/${slug}`).join(", ")}.`
          : null}
      </p>
      <CategoryForm
        category={{ id: category.id, version: category.version, active: category.active }}
        initial={{ name: category.name, slug: category.slug, description: category.description, position: String(category.position) }}
        readOnly={!can(session.role, "catalog.write")}
      />
      <section aria-labelledby="history">
        <h2 id="history" className="text-lg font-semibold text-stone-900">
          History
        </h2>
        <AuditList entries={entries} label="Changes to this category" />
      </section>
    </>
  );
}
