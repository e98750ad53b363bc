import type { Metadata } from "next";
import { FindOrderForm } from "@/components/orders/find-order-form";

export const metadata: Metadata = {
  title: "Find your order",
  description: "Get a fresh link to your order's status page by email.",
  alternates: { canonical: "/orders" },
};

export default function FindOrderPage() {
  return (
    <div className="mx-auto max-w-xl">
      <section className="rounded-xl border border-stone-200 bg-white p-8 text-stone-800">
        <h1 className="text-2xl font-bold tracking-tight text-stone-900">Find your order</h1>
        <p className="mt-3">
          Every order email has a link to your order&apos;s status page. Lost it, or has it expired? Enter your order number and the email
          you ordered with, and we&apos;ll send you a fresh link.
        </p>
        <div className="mt-6">
          <FindOrderForm />
        </div>
      </section>
    </div>
  );
}
