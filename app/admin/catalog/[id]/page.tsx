import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { AuditList } from "@/components/admin/audit-list";
import { ProductForm } from "@/components/admin/product-form";
import { listCategoryChoices, productForEdit } from "@/lib/admin/catalog";
import { auditFor } from "@/lib/audit";
import { can } from "@/lib/auth/roles";
import { requireAdminPage } from "@/lib/auth/session";
import { toDecimalString } from "@/lib/money";

export const metadata: Metadata = { title: "Edit product" };

type Params = Promise<{ id: string }>;

export default function EditProductPage({ params }: { params: Params }) {
  return (
    <Suspense fallback={<p>Loading…</p>}>
      <EditProductBody params={params} />
    </Suspense>
  );
}

async function EditProductBody({ params }: { params: Params }) {
  const { id } = await params;
  const session = await requireAdminPage(`/admin/catalog/${encodeURIComponent(id)}`);
  const [product, categories, entries] = await Promise.all([productForEdit(id), listCategoryChoices(id), auditFor("product", id)]);
  if (!product) notFound();
  const money = (minor: number) => toDecimalString(minor, product.currency);
  const initial = {
    name: product.name,
    slug: product.slug,
    description: product.description,
    categoryId: product.categoryId,
    price: money(product.price),
    active: product.active,
    featured: product.featured,
    taxClass: product.taxClass,
    options: product.options.map((option) => ({ name: option.name, values: option.values.join(", ") })),
    variants: product.variants.map((variant) => ({
      id: variant.id,
      values: variant.values,
      sku: variant.sku,
      price: variant.price === null ? "" : money(variant.price),
      stock: String(variant.stock),
      weightGrams: String(variant.weightGrams),
      active: variant.active,
    })),
  };
  return (
    <>
      <AdminNav staff={session} />
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-2xl font-bold text-stone-900">{product.name}</h1>
        <Link href={`/products/${product.slug}`} className="text-sm text-brand-800 hover:underline">
          View in the shop
        </Link>
      </div>
      <ProductForm
        key={product.version}
        product={{ id: product.id, version: product.version }}
        initial={initial}
        images={product.images}
        categories={categories}
        readOnly={!can(session.role, "catalog.write")}
      />
      <section aria-labelledby="history">
        <h2 id="history" className="text-lg font-semibold text-stone-900">
          History
        </h2>
        <AuditList entries={entries} label="Changes to this product" />
      </section>
    </>
  );
}
