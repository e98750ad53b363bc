import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { listCategories } from "@/lib/admin/categories";
import { can } from "@/lib/auth/roles";
import { requireAdminPage } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Categories" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default function CategoriesPage({ searchParams }: { searchParams: SearchParams }) {
  return (
    <Suspense fallback={<p>Loading the categories…</p>}>
      <CategoriesBody searchParams={searchParams} />
    </Suspense>
  );
}

async function CategoriesBody({ searchParams }: { searchParams: SearchParams }) {
  const archived = (await searchParams).archived === "1";
  const session = await requireAdminPage(`/admin/catalog/categories${archived ? "?archived=1" : ""}`);
  const categories = await listCategories(archived);
  return (
    <>
      <AdminNav staff={session} />
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-bold text-stone-900">Categories</h1>
        {can(session.role, "catalog.write") ? (
          <Link href="/admin/catalog/categories/new" className="rounded-lg bg-brand-800 px-4 py-2 font-semibold text-white">
            New category
          </Link>
        ) : null}
      </div>
      <form
        method="get"
        className="flex flex-wrap items-end gap-3 rounded-xl border border-stone-200 bg-white p-4"
        aria-label="Filter categories"
      >
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="archived" value="1" defaultChecked={archived} />
          Archived categories
        </label>
        <button type="submit" className="rounded-lg border border-stone-300 px-3 py-1.5 text-sm font-medium hover:bg-stone-100">
          Show
        </button>
      </form>
      {categories.length === 0 ? (
        <p className="text-sm text-stone-600">{archived ? "No archived categories." : "No categories yet."}</p>
      ) : (
        <table className="w-full rounded-xl border border-stone-200 bg-white text-sm">
          <caption className="sr-only">{archived ? "Archived categories" : "Categories in navigation order"}</caption>
          <thead>
            <tr className="text-left text-stone-600">
              <th className="px-3 py-2">Category</th>
              <th>Slug</th>
              <th>Position</th>
              <th>Active products</th>
              <th>All products</th>
            </tr>
          </thead>
          <tbody>
            {categories.map((category) => (
              <tr key={category.id} className="border-t border-stone-100">
                <td className="px-3 py-2">
                  <Link href={`/admin/catalog/categories/${category.id}`} className="font-medium text-brand-800 hover:underline">
                    {category.name}
                  </Link>
                </td>
                <td>{category.slug}</td>
                <td className="tabular-nums">{category.position}</td>
                <td className="tabular-nums">{category.activeProducts}</td>
                <td className="tabular-nums">{category.products}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
