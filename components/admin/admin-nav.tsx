import Link from "next/link";
import { signOutAction } from "@/components/admin/actions";
import { can, type StaffRole } from "@/lib/auth/roles";

const LINKS = [
  { href: "/admin", label: "Overview" },
  { href: "/admin/orders", label: "Orders" },
  { href: "/admin/catalog", label: "Catalog" },
  { href: "/admin/catalog/categories", label: "Categories" },
  { href: "/admin/products", label: "Stock" },
  { href: "/admin/pricing", label: "Pricing" },
  { href: "/admin/reconcile", label: "Reconciliation" },
];

/** Navigation for signed-in staff; pages render it after their own session check. */
export function AdminNav({ staff }: { staff: { email: string; role: StaffRole } }) {
  const links = can(staff.role, "staff.manage") ? [...LINKS, { href: "/admin/staff", label: "Staff" }] : LINKS;
  return (
    <nav aria-label="Admin" className="flex flex-wrap items-center gap-4 rounded-xl border border-stone-200 bg-white px-4 py-3">
      {links.map((link) => (
        <Link key={link.href} href={link.href} className="font-medium text-brand-800 hover:underline">
          {link.label}
        </Link>
      ))}
      <span className="ml-auto text-sm text-stone-600">
        {staff.email} ({staff.role})
      </span>
      <Link href="/admin/account" className="text-sm font-medium text-brand-800 hover:underline">
        Your account
      </Link>
      <form action={signOutAction}>
        <button type="submit" className="rounded-lg border border-stone-300 px-3 py-1 text-sm font-medium hover:bg-stone-100">
          Sign out
        </button>
      </form>
    </nav>
  );
}
