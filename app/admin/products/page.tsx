import type { Metadata } from "next";
import { Suspense } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { StockForm } from "@/components/admin/stock-form";
import { ThresholdForm } from "@/components/admin/threshold-form";
import { listStock } from "@/lib/admin/stock";
import { can } from "@/lib/auth/roles";
import { requireAdminPage } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Stock" };

export default function ProductsPage() {
  return (
    <Suspense fallback={<p>Loading…</p>}>
      <StockBody />
    </Suspense>
  );
}

async function StockBody() {
  const session = await requireAdminPage("/admin/products");
  const variants = await listStock();
  return (
    <>
      <AdminNav staff={session} />
      <h1 className="text-2xl font-bold text-stone-900">Stock</h1>
      <p className="text-sm text-stone-600">
        Units on the shelf per variant, not counting units reserved by checkouts in progress. Saving updates the catalog pages. Staff are
        emailed once when a variant&apos;s stock falls to its low-stock alert threshold (empty: no alerts).
      </p>
      <table className="w-full rounded-xl border border-stone-200 bg-white text-sm">
        <thead>
          <tr className="text-left text-stone-600">
            <th className="px-3 py-2">Product</th>
            <th>SKU</th>
            <th>Category</th>
            <th>Status</th>
            <th>Stock</th>
            <th>Low-stock alert at</th>
          </tr>
        </thead>
        <tbody>
          {variants.map((v) => (
            <tr key={v.variantId} className="border-t border-stone-100">
              <td className="px-3 py-2">{v.label}</td>
              <td>{v.sku}</td>
              <td>{v.category}</td>
              <td>{v.active ? "active" : "inactive"}</td>
              <td className="py-1">
                {can(session.role, "catalog.write") ? (
                  <StockForm variantId={v.variantId} name={v.label} stock={v.stock} />
                ) : (
                  <span className="tabular-nums">{v.stock}</span>
                )}
              </td>
              <td className="py-1">
                {can(session.role, "catalog.write") ? (
                  <ThresholdForm variantId={v.variantId} name={v.label} threshold={v.lowStockThreshold} />
                ) : (
                  <span className="tabular-nums">{v.lowStockThreshold ?? "none"}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
