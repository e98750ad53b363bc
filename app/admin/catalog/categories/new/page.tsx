import type { Metadata } from "next";
import { Suspense } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { CategoryForm } from "@/components/admin/category-form";
import { nextCategoryPosition } from "@/lib/admin/categories";
import { requireAdminPage } from "@/lib/auth/session";

export const metadata: Metadata = { title: "New category" };

export default function NewCategoryPage() {
  return (
    <Suspense fallback={<p>Loading…</p>}>
      <NewCategoryBody />
    </Suspense>
  );
}

async function NewCategoryBody() {
  // Only staff who may write the catalog get a form to create with.
  const session = await requireAdminPage("/admin/catalog/categories/new", "catalog.write");
  const position = await nextCategoryPosition();
  return (
    <>
      <AdminNav staff={session} />
      <h1 className="text-2xl font-bold text-stone-900">New category</h1>
      <CategoryForm category={null} initial={{ name: "", slug: "", description: "", position: String(position) }} readOnly={false} />
    </>
  );
}
