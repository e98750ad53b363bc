"use client";

import { useEffect, useRef, useState } from "react";
import { DetailsForm, type Country, type Quote } from "@/components/checkout/details-form";
import { OrderSummaryPanel } from "@/components/checkout/order-summary";
import { PaymentStep, type Payment } from "@/components/checkout/payment-step";
import type { CartView } from "@/lib/cart/rules";
import type { QuoteResult } from "@/lib/checkout/start";

type StripeConfig = { publishableKey: string; stripeJsUrl: string | null };
type Props = { cart: CartView; stripe: StripeConfig; countries: Country[]; usStates: Country[]; initialQuote: QuoteResult };

/** Two steps: contact and shipping details (which create the order), then payment. */
export function CheckoutFlow({ cart, stripe, countries, usStates, initialQuote }: Props) {
  const [payment, setPayment] = useState<Payment | null>(null);
  const [quote, setQuote] = useState<Quote | null>(initialQuote.ok ? initialQuote : null);
  const [editing, setEditing] = useState(true);
  const paymentHeading = useRef<HTMLHeadingElement>(null);
  const detailsHeading = useRef<HTMLHeadingElement>(null);

  // Moving between steps moves keyboard and screen-reader focus to the new step's heading.
  useEffect(() => {
    (editing ? detailsHeading : paymentHeading).current?.focus();
  }, [editing]);

  return (
    <div className="mt-6 grid gap-10 lg:grid-cols-[1fr_20rem]">
      <div className="space-y-8">
        <section aria-labelledby="details-heading" className="rounded-xl border border-stone-200 bg-white p-6">
          <h2 id="details-heading" ref={detailsHeading} tabIndex={-1} className="text-xl font-semibold text-stone-900">
            1. Contact and shipping
          </h2>
          <DetailsForm
            countries={countries}
            usStates={usStates}
            initialQuote={initialQuote}
            currency={cart.currency}
            onQuote={setQuote}
            hidden={!editing}
            onEdit={() => setEditing(true)}
            onReady={(next) => {
              setPayment(next);
              setEditing(false);
            }}
          />
        </section>
        <section aria-labelledby="payment-heading" className="rounded-xl border border-stone-200 bg-white p-6">
          <h2 id="payment-heading" ref={paymentHeading} tabIndex={-1} className="text-xl font-semibold text-stone-900">
            2. Payment
          </h2>
          {payment && !editing ? (
            // A new client secret (a renewed checkout) mounts a new payment form.
            <PaymentStep key={payment.clientSecret} stripe={stripe} payment={payment} onUpdate={setPayment} />
          ) : (
            <p className="mt-2 text-stone-600">Enter your details first.</p>
          )}
        </section>
      </div>
      <OrderSummaryPanel cart={cart} quote={quote} summary={editing ? null : (payment?.summary ?? null)} />
    </div>
  );
}
