import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { listProducts } from "@/lib/admin/catalog";
import { can } from "@/lib/auth/roles";
import { requireAdminPage } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Catalog" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default function CatalogPage({ searchParams }: { searchParams: SearchParams }) {
  return (
    <Suspense fallback={<p>Loading the catalog…</p>}>
      <CatalogBody searchParams={searchParams} />
    </Suspense>
  );
}

async function CatalogBody({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const q = typeof params.q === "string" ? params.q.trim().slice(0, 100) : "";
  const archived = params.archived === "1";
  const query = new URLSearchParams({ ...(q ? { q } : {}), ...(archived ? { archived: "1" } : {}) }).toString();
  const session = await requireAdminPage(`/admin/catalog${query ? `?${query}` : ""}`);
  const products = await listProducts(q, archived);
  return (
    <>
      <AdminNav staff={session} />
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-bold text-stone-900">Catalog</h1>
        <div className="flex items-center gap-4">
          <Link href="/admin/catalog/categories" className="font-medium text-brand-800 hover:underline">
            Manage categories
          </Link>
          {can(session.role, "catalog.write") ? (
            <Link href="/admin/catalog/new" className="rounded-lg bg-brand-800 px-4 py-2 font-semibold text-white">
              New product
            </Link>
          ) : null}
        </div>
      </div>
      <form
        method="get"
        className="flex flex-wrap items-end gap-3 rounded-xl border border-stone-200 bg-white p-4"
        aria-label="Find products"
      >
        <label className="text-sm font-medium text-stone-800">
          Name, slug or SKU
          <input name="q" defaultValue={q} className="mt-1 block rounded-lg border border-stone-300 px-3 py-1.5" />
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="archived" value="1" defaultChecked={archived} />
          Archived products
        </label>
        <button type="submit" className="rounded-lg border border-stone-300 px-3 py-1.5 text-sm font-medium hover:bg-stone-100">
          Search
        </button>
      </form>
      {products.length === 0 ? (
        <p className="text-sm text-stone-600">No products match.</p>
      ) : (
        <table className="w-full rounded-xl border border-stone-200 bg-white text-sm">
          <thead>
            <tr className="text-left text-stone-600">
              <th className="px-3 py-2">Product</th>
              <th>Slug</th>
              <th>Category</th>
              <th>Variants</th>
              <th>Stock</th>
            </tr>
          </thead>
          <tbody>
            {products.map((product) => (
              <tr key={product.id} className="border-t border-stone-100">
                <td className="px-3 py-2">
                  <Link href={`/admin/catalog/${product.id}`} className="font-medium text-brand-800 hover:underline">
                    {product.name}
                  </Link>
                </td>
                <td>{product.slug}</td>
                <td>{product.category}</td>
                <td className="tabular-nums">{product.variants}</td>
                <td className="tabular-nums">{product.stock}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
