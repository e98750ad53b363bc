import type { Metadata } from "next";
import { Suspense } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { ProductForm } from "@/components/admin/product-form";
import { listCategoryChoices } from "@/lib/admin/catalog";
import { requireAdminPage } from "@/lib/auth/session";

export const metadata: Metadata = { title: "New product" };

export default function NewProductPage() {
  return (
    <Suspense fallback={<p>Loading…</p>}>
      <NewProductBody />
    </Suspense>
  );
}

async function NewProductBody() {
  // Only staff who may write the catalog get a form to create with.
  const session = await requireAdminPage("/admin/catalog/new", "catalog.write");
  const categories = await listCategoryChoices();
  const initial = {
    name: "",
    slug: "",
    description: "",
    categoryId: "",
    price: "",
    active: true,
    featured: false,
    taxClass: "standard",
    options: [],
    variants: [{ values: [], sku: "", price: "", stock: "0", weightGrams: "0", active: true }],
  };
  return (
    <>
      <AdminNav staff={session} />
      <h1 className="text-2xl font-bold text-stone-900">New product</h1>
      <ProductForm product={null} initial={initial} images={[]} categories={categories} readOnly={false} />
    </>
  );
}
