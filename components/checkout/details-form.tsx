"use client";

import { useRef, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { quoteCheckoutAction, startCheckoutAction } from "@/components/checkout/actions";
import type { Payment } from "@/components/checkout/payment-step";
import type { CheckoutField } from "@/lib/checkout/rules";
import type { QuoteResult } from "@/lib/checkout/start";
import { formatMoney } from "@/lib/money";
import { CheckoutAlert, problemOf, type CheckoutProblem } from "@/components/checkout/checkout-alert";

export type Country = { code: string; name: string };
export type Quote = Extract<QuoteResult, { ok: true }>;

type Props = {
  countries: Country[];
  usStates: Country[];
  /** The server's quote for the form's first country (rates and totals before anything is chosen). */
  initialQuote: QuoteResult;
  currency: string;
  hidden: boolean;
  onEdit: () => void;
  onQuote: (quote: Quote | null) => void;
  onReady: (payment: Payment) => void;
};

type Field = { name: CheckoutField; label: string; autoComplete: string; type?: string; optional?: boolean };
const FIELDS: Field[] = [
  { name: "email", label: "Email", autoComplete: "email", type: "email" },
  { name: "name", label: "Full name", autoComplete: "name" },
  { name: "line1", label: "Address", autoComplete: "address-line1" },
  { name: "line2", label: "Address line 2", autoComplete: "address-line2", optional: true },
  { name: "city", label: "City", autoComplete: "address-level2" },
  { name: "postalCode", label: "Postal code", autoComplete: "postal-code" },
];
const INPUT = "mt-1 w-full rounded-lg border border-stone-300 px-3 py-2 text-stone-900 aria-[invalid]:border-red-600";

type Errors = Partial<Record<CheckoutField, string>>;

/**
 * Contact, address, shipping rate and discount code. Every choice that changes the price (country, state, rate,
 * code) asks the server for a quote, so the rates offered, the taxes and "we do not ship there" show before the
 * order exists; the server prices the order again when it is placed and never trusts these figures.
 */
export function DetailsForm({ countries, usStates, initialQuote, currency, hidden, onEdit, onQuote, onReady }: Props) {
  const [errors, setErrors] = useState<Errors>(initialQuote.ok ? {} : (initialQuote.fieldErrors ?? {}));
  const [formError, setFormError] = useState<CheckoutProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const inFlight = useRef(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [quote, setQuote] = useState<Quote | null>(initialQuote.ok ? initialQuote : null);
  const [notShipped, setNotShipped] = useState<string | null>(initialQuote.ok ? null : initialQuote.error);
  const [country, setCountry] = useState("US");
  const [rateId, setRateId] = useState(initialQuote.ok ? initialQuote.shippingRateId : "");
  const [typedCode, setTypedCode] = useState("");
  const [appliedCode, setAppliedCode] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);
  // Quotes can overlap (a quick change of country then state): only the newest one is shown.
  const quoteSeq = useRef(0);
  const router = useRouter();

  /** Asks for a quote with the form's current destination and `changes`; true when it priced. */
  async function requote(
    changes: { country?: string; shippingMethod?: string; discountCode?: string | null } = {},
  ): Promise<QuoteResult | null> {
    const values = form.current ? (Object.fromEntries(new FormData(form.current)) as Record<string, string>) : {};
    const input = {
      email: values.email ?? "",
      country: changes.country ?? values.country ?? country,
      state: values.state ?? "",
      shippingMethod: changes.shippingMethod ?? rateId,
      discountCode: (changes.discountCode === undefined ? appliedCode : changes.discountCode) ?? "",
    };
    const seq = ++quoteSeq.current;
    let result: QuoteResult;
    try {
      result = await quoteCheckoutAction(input);
    } catch {
      return null;
    }
    if (seq !== quoteSeq.current) return null;
    const quoteErrors: Errors = result.ok ? {} : (result.fieldErrors ?? {});
    setErrors((before) => ({
      ...before,
      country: quoteErrors.country,
      shippingMethod: quoteErrors.shippingMethod,
      discountCode: quoteErrors.discountCode,
    }));
    if (result.ok) {
      setQuote(result);
      setRateId(result.shippingRateId);
      setNotShipped(null);
      onQuote(result);
    } else if (result.code === "not_shipped") {
      setQuote(null);
      setNotShipped(result.error);
      onQuote(null);
    }
    return result;
  }

  async function applyCode() {
    const code = typedCode.trim();
    if (!code) {
      setErrors((before) => ({ ...before, discountCode: "Enter a code" }));
      return;
    }
    const result = await requote({ discountCode: code });
    if (result?.ok) {
      setAppliedCode(code.toUpperCase());
      setTypedCode("");
    }
  }

  async function removeCode() {
    setAppliedCode(null);
    await requote({ discountCode: null });
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Single flight: a second submit while the first runs is ignored, not queued.
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setFormError(null);
    const values = Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>;
    try {
      const result = await startCheckoutAction({ ...values, discountCode: appliedCode ?? "" });
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        setFormError(problemOf(result.code, result.error));
        // A code that stopped applying (used up, expired) meanwhile is taken off; the shopper sees why beside it.
        if (result.code === "code_not_applicable") setAppliedCode(null);
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

  const errorProps = (name: CheckoutField) => ({
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": errors[name] ? `checkout-${name}-error` : undefined,
  });
  const fieldError = (name: CheckoutField) =>
    errors[name] ? (
      <p id={`checkout-${name}-error`} className="mt-1 text-sm text-red-700">
        {errors[name]}
      </p>
    ) : null;

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
        ref={form}
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
              {...errorProps(field.name)}
              className={INPUT}
            />
            {fieldError(field.name)}
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
            value={country}
            onChange={(event) => {
              setCountry(event.target.value);
              void requote({ country: event.target.value });
            }}
            {...errorProps("country")}
            className="mt-1 w-full rounded-lg border border-stone-300 bg-white px-3 py-2"
          >
            {countries.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
          {fieldError("country")}
        </div>
        <div>
          <label htmlFor="checkout-state" className="block text-sm font-medium text-stone-800">
            {country === "US" ? "State" : "State or region"}
            {country !== "US" && <span className="font-normal text-stone-500"> (optional)</span>}
          </label>
          {country === "US" ? (
            // US sales tax goes by state, so the state is chosen from the list, and choosing it re-prices.
            <select
              key="us-state"
              id="checkout-state"
              name="state"
              autoComplete="address-level1"
              defaultValue=""
              required
              onChange={() => void requote()}
              {...errorProps("state")}
              className="mt-1 w-full rounded-lg border border-stone-300 bg-white px-3 py-2"
            >
              <option value="" disabled>
                Choose a state
              </option>
              {usStates.map((s) => (
                <option key={s.code} value={s.code}>
                  {s.name}
                </option>
              ))}
            </select>
          ) : (
            <input key="region" id="checkout-state" name="state" autoComplete="address-level1" {...errorProps("state")} className={INPUT} />
          )}
          {fieldError("state")}
        </div>
        <fieldset className="sm:col-span-2" aria-describedby={errors.shippingMethod ? "checkout-shippingMethod-error" : undefined}>
          <legend className="text-sm font-medium text-stone-800">Shipping method</legend>
          {notShipped ? (
            <p className="mt-2 rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-stone-800" data-testid="not-shipped">
              {notShipped}
            </p>
          ) : (
            <div className="mt-2 space-y-2">
              {(quote?.rates ?? []).map((rate) => (
                <label key={rate.rateId} className="flex items-center gap-3 rounded-lg border border-stone-200 px-3 py-2">
                  <input
                    type="radio"
                    name="shippingMethod"
                    value={rate.rateId}
                    checked={rate.rateId === rateId}
                    onChange={() => {
                      setRateId(rate.rateId);
                      void requote({ shippingMethod: rate.rateId });
                    }}
                  />
                  <span className="flex-1 text-stone-800">{rate.name}</span>
                  <span className="tabular-nums text-stone-900">{rate.amount === 0 ? "Free" : formatMoney(rate.amount, currency)}</span>
                </label>
              ))}
            </div>
          )}
          {fieldError("shippingMethod")}
        </fieldset>
        <div className="sm:col-span-2">
          {appliedCode ? (
            <p className="flex items-center justify-between gap-3 rounded-lg border border-brand-100 bg-brand-50 px-3 py-2 text-stone-800">
              <span>
                Code{" "}
                <span className="font-mono font-semibold" data-testid="applied-code">
                  {appliedCode}
                </span>{" "}
                applied
              </span>
              <button type="button" onClick={() => void removeCode()} className="font-semibold text-brand-800 underline underline-offset-4">
                Remove code {appliedCode}
              </button>
            </p>
          ) : (
            <>
              <label htmlFor="checkout-discountCode" className="block text-sm font-medium text-stone-800">
                Discount code <span className="font-normal text-stone-500">(optional)</span>
              </label>
              <div className="mt-1 flex gap-2">
                <input
                  id="checkout-discountCode"
                  value={typedCode}
                  onChange={(event) => setTypedCode(event.target.value)}
                  onKeyDown={(event) => {
                    // Enter applies the code instead of submitting the whole form.
                    if (event.key === "Enter") {
                      event.preventDefault();
                      void applyCode();
                    }
                  }}
                  autoComplete="off"
                  maxLength={32}
                  {...errorProps("discountCode")}
                  className="w-full flex-1 rounded-lg border border-stone-300 px-3 py-2 uppercase text-stone-900 aria-[invalid]:border-red-600"
                />
                <button
                  type="button"
                  onClick={() => void applyCode()}
                  className="rounded-lg border border-brand-800 px-4 py-2 font-semibold text-brand-800 hover:bg-brand-50"
                >
                  Apply
                </button>
              </div>
            </>
          )}
          {fieldError("discountCode")}
        </div>
        <div className="sm:col-span-2">
          <CheckoutAlert problem={formError} id="details-error" />
          <button
            type="submit"
            aria-disabled={busy || notShipped !== null}
            className="mt-2 w-full rounded-lg bg-brand-800 px-6 py-3 font-semibold text-white hover:bg-brand-900 aria-disabled:opacity-70"
          >
            {busy ? "Saving…" : "Continue to payment"}
          </button>
        </div>
      </form>
    </>
  );
}
