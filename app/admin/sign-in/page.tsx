import type { Metadata } from "next";
import { Suspense } from "react";
import { SignInForm } from "@/components/admin/sign-in-form";

export const metadata: Metadata = { title: "Staff sign-in" };

export default function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  return (
    <div className="mx-auto max-w-sm rounded-xl border border-stone-200 bg-white p-8">
      <h1 className="text-2xl font-bold text-stone-900">Staff sign-in</h1>
      <Suspense>
        <NextTarget searchParams={searchParams} />
      </Suspense>
    </div>
  );
}

async function NextTarget({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  return <SignInForm next={typeof next === "string" ? next : "/admin"} />;
}
