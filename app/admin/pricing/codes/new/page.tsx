import type { Metadata } from "next";
import { Suspense } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { DiscountCodeForm } from "@/components/admin/pricing-forms";
import { discountChoices } from "@/lib/admin/pricing";
import { requireAdminPage } from "@/lib/auth/session";
import { SHOP_CURRENCY } from "@/lib/shop-currency";

export const metadata: Metadata = { title: "New discount code" };

export default function NewCodePage() {
  return (
    <Suspense fallback={<p>Loading…</p>}>
      <NewCodeBody />
    </Suspense>
  );
}

async function NewCodeBody() {
  // Only staff who may change pricing get a form to create with.
  const session = await requireAdminPage("/admin/pricing/codes/new", "catalog.write");
  const choices = await discountChoices();
  const blank = {
    code: "",
    kind: "percentage",
    value: "",
    minimumSubtotal: "",
    startsAt: "",
    endsAt: "",
    usageLimit: "",
    perEmailLimit: "",
    productIds: [],
    categoryIds: [],
    active: true,
  };
  return (
    <>
      <AdminNav staff={session} />
      <h1 className="text-2xl font-bold text-stone-900">New discount code</h1>
      <DiscountCodeForm code={null} initial={blank} choices={choices} currency={SHOP_CURRENCY} readOnly={false} />
    </>
  );
}
