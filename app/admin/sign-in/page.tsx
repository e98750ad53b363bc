import type { Metadata } from "next";
import { SignInForm } from "@/components/admin/sign-in-form";
import { adminReturnPath } from "@/lib/auth/return-path";
import { isSignInRefusalCode, signInRefusal } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Staff sign-in" };

// The page is rendered whole for each request, outside any <Suspense>: content streamed into a
// prerendered shell is revealed by an inline script, so with JavaScript off the form would never show.
// `instant = false` allows the route to block on the request.
export const instant = false;

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

// A sign-in posted without JavaScript comes back here with `email` and `failed` (a code) in the URL (see
// signInAction). Only sign-in refusal codes are shown, each with its fixed sentence (lib/auth/session): the
// URL chooses none of the words. `expired=1` comes from requireAdminPage when a session timed out.
export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const text = (name: string) => (typeof params[name] === "string" ? params[name] : "");
  const code = text("failed");
  const initial = { email: text("email").slice(0, 254), failure: isSignInRefusalCode(code) ? signInRefusal(code) : null };
  const expired = text("expired") === "1" && !initial.failure;
  return (
    <div className="mx-auto max-w-sm rounded-xl border border-stone-200 bg-white p-8">
      <h1 className="text-2xl font-bold text-stone-900">Staff sign-in</h1>
      {expired && (
        <p role="status" className="mt-2 text-sm font-medium text-amber-900">
          Your session expired. Sign in again to continue.
        </p>
      )}
      <SignInForm next={adminReturnPath(text("next"))} initial={initial} />
    </div>
  );
}
