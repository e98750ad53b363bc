import type { Metadata } from "next";
import { Suspense } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { ShippingZoneForm } from "@/components/admin/pricing-forms";
import { nextZonePosition } from "@/lib/admin/pricing";
import { requireAdminPage } from "@/lib/auth/session";

export const metadata: Metadata = { title: "New shipping zone" };

export default function NewZonePage() {
  return (
    <Suspense fallback={<p>Loading…</p>}>
      <NewZoneBody />
    </Suspense>
  );
}

async function NewZoneBody() {
  const session = await requireAdminPage("/admin/pricing/zones/new", "catalog.write");
  const position = await nextZonePosition();
  return (
    <>
      <AdminNav staff={session} />
      <h1 className="text-2xl font-bold text-stone-900">New shipping zone</h1>
      <p className="text-sm text-stone-700">Once the zone exists, add its rates on its page.</p>
      <ShippingZoneForm
        zone={null}
        initial={{ name: "", countries: [], taxShipping: false, active: true, position: String(position) }}
        readOnly={false}
      />
    </>
  );
}
