"use client";

import { useRef, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { startCheckoutAction } from "@/components/checkout/actions";
import type { Payment } from "@/components/checkout/payment-step";
import type { CheckoutField } from "@/lib/checkout/rules";
import { formatMoney } from "@/lib/money";
import { CheckoutAlert, problemOf, type CheckoutProblem } from "@/components/checkout/checkout-alert";

export type Country = { code: string; name: string };
export type ShippingOption = { id: string; label: string; price: number; freeFrom: number | null };

type Props = {
  countries: Country[];
  shippingMethods: ShippingOption[];
  subtotal: number;
  currency: string;
  hidden: boolean;
  onEdit: () => void;
  onReady: (payment: Payment) => void;
};

type Field = { name: CheckoutField; label: string; autoComplete: string; type?: string; optional?: boolean };
const FIELDS: Field[] = [
  { name: "email", label: "Email", autoComplete: "email", type: "email" },
  { name: "name", label: "Full name", autoComplete: "name" },
  { name: "line1", label: "Address", autoComplete: "address-line1" },
  { name: "line2", label: "Address line 2", autoComplete: "address-line2", optional: true },
  { name: "city", label: "City", autoComplete: "address-level2" },
  { name: "state", label: "State or region", autoComplete: "address-level1", optional: true },
  { name: "postalCode", label: "Postal code", autoComplete: "postal-code" },
];

export function DetailsForm({ countries, shippingMethods, subtotal, currency, hidden, onEdit, onReady }: Props) {
  const [errors, setErrors] = useState<Partial<Record<CheckoutField, string>>>({});
  const [formError, setFormError] = useState<CheckoutProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const inFlight = useRef(false);
  const [saved, setSaved] = useState<string | null>(null);
  const router = useRouter();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Single flight: a second submit while the first runs is ignored, not queued.
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setFormError(null);
    const values = Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>;
    try {
      const result = await startCheckoutAction(values);
      if (!result.ok) {
        setErrors(result.code === "invalid_fields" ? (result.fieldErrors ?? {}) : {});
        setFormError(problemOf(result.code, result.error));
        // Paid, or being paid, meanwhile (e.g. in another tab): the confirmation page says which.
        if (result.code === "already_paid" || result.code === "payment_processing") router.push("/checkout/complete");
        return;
      }
      setErrors({});
      setSaved(`${values.email} · ${values.line1}, ${values.city}`);
      onReady({ clientSecret: result.clientSecret, summary: result.summary });
    } catch {
      setFormError({ message: "Something went wrong. Please try again.", fixInCart: false });
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }

  return (
    <>
      {hidden && (
        <div className="mt-3 flex items-center justify-between gap-4">
          <p className="text-stone-700">{saved}</p>
          <button type="button" onClick={onEdit} className="font-semibold text-brand-800 underline underline-offset-4">
            Edit details
          </button>
        </div>
      )}
      {/* Kept mounted while hidden so "Edit details" brings back what the shopper typed. */}
      <form
        onSubmit={submit}
        noValidate
        hidden={hidden}
        className="mt-4 grid gap-4 sm:grid-cols-2 [&[hidden]]:hidden"
        aria-describedby={formError ? "details-error" : undefined}
      >
        {FIELDS.map((field) => (
          <div
            key={field.name}
            className={field.name === "email" || field.name === "line1" || field.name === "line2" ? "sm:col-span-2" : ""}
          >
            <label htmlFor={`checkout-${field.name}`} className="block text-sm font-medium text-stone-800">
              {field.label}
              {field.optional && <span className="font-normal text-stone-500"> (optional)</span>}
            </label>
            <input
              id={`checkout-${field.name}`}
              name={field.name}
              type={field.type ?? "text"}
              autoComplete={field.autoComplete}
              required={!field.optional}
              aria-invalid={errors[field.name] ? true : undefined}
              aria-describedby={errors[field.name] ? `checkout-${field.name}-error` : undefined}
              className="mt-1 w-full rounded-lg border border-stone-300 px-3 py-2 text-stone-900 aria-[invalid]:border-red-600"
            />
            {errors[field.name] && (
              <p id={`checkout-${field.name}-error`} className="mt-1 text-sm text-red-700">
                {errors[field.name]}
              </p>
            )}
          </div>
        ))}
        <div>
          <label htmlFor="checkout-country" className="block text-sm font-medium text-stone-800">
            Country
          </label>
          <select
            id="checkout-country"
            name="country"
            autoComplete="country"
            defaultValue="US"
            aria-invalid={errors.country ? true : undefined}
            aria-describedby={errors.country ? "checkout-country-error" : undefined}
            className="mt-1 w-full rounded-lg border border-stone-300 bg-white px-3 py-2"
          >
            {countries.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
          {errors.country && (
            <p id="checkout-country-error" className="mt-1 text-sm text-red-700">
              {errors.country}
            </p>
          )}
        </div>
        <fieldset className="sm:col-span-2">
          <legend className="text-sm font-medium text-stone-800">Shipping method</legend>
          <div className="mt-2 space-y-2">
            {shippingMethods.map((method, index) => {
              const free = method.freeFrom !== null && subtotal >= method.freeFrom;
              return (
                <label key={method.id} className="flex items-center gap-3 rounded-lg border border-stone-200 px-3 py-2">
                  <input type="radio" name="shippingMethod" value={method.id} defaultChecked={index === 0} />
                  <span className="flex-1 text-stone-800">{method.label}</span>
                  <span className="tabular-nums text-stone-900">{free ? "Free" : formatMoney(method.price, currency)}</span>
                </label>
              );
            })}
          </div>
          {errors.shippingMethod && <p className="mt-1 text-sm text-red-700">{errors.shippingMethod}</p>}
        </fieldset>
        <div className="sm:col-span-2">
          <CheckoutAlert problem={formError} id="details-error" />
          <button
            type="submit"
            aria-disabled={busy}
            className="mt-2 w-full rounded-lg bg-brand-800 px-6 py-3 font-semibold text-white hover:bg-brand-900 aria-disabled:opacity-70"
          >
            {busy ? "Saving…" : "Continue to payment"}
          </button>
        </div>
      </form>
    </>
  );
}
