"use client";

import { Elements, PaymentElement, useElements, useStripe } from "@stripe/react-stripe-js";
import type { StripeElementsOptionsClientSecret } from "@stripe/stripe-js";
import { useMemo, useRef, useState, type FormEvent } from "react";
import { recheckBeforePaymentAction } from "@/components/checkout/actions";
import { loadStripeOnce } from "@/components/checkout/load-stripe";
import type { OrderSummary } from "@/lib/checkout";
import { formatMoney } from "@/lib/money";

type Props = {
  stripe: { publishableKey: string; stripeJsUrl: string | null };
  clientSecret: string;
  summary: OrderSummary;
  onSummary: (summary: OrderSummary) => void;
};

export function PaymentStep({ stripe, clientSecret, summary, onSummary }: Props) {
  const stripePromise = useMemo(() => loadStripeOnce(stripe.publishableKey, stripe.stripeJsUrl), [stripe.publishableKey, stripe.stripeJsUrl]);
  const options = {
    clientSecret,
    appearance: { theme: "stripe", variables: { colorPrimary: "#145556", borderRadius: "8px" } },
  } satisfies StripeElementsOptionsClientSecret;
  return (
    <Elements stripe={stripePromise} options={options}>
      <PayForm summary={summary} onSummary={onSummary} />
    </Elements>
  );
}

function PayForm({ summary, onSummary }: Pick<Props, "summary" | "onSummary">) {
  const stripe = useStripe();
  const elements = useElements();
  const [ready, setReady] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // Single flight: a double click starts one payment; the ref changes synchronously, unlike state.
  const inFlight = useRef(false);

  async function pay(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (inFlight.current || !stripe || !elements) return;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const submitted = await elements.submit();
      if (submitted.error) {
        setError(submitted.error.message ?? "Check your card details.");
        return;
      }
      // The cart may have changed in another tab: the server re-prices and updates the intent first.
      const check = await recheckBeforePaymentAction(summary.orderId, summary.total);
      if (!check.ok) {
        setError(check.error);
        if (check.paidOrderId) window.location.assign("/checkout/complete");
        return;
      }
      if (check.changed) {
        onSummary(check.summary);
        await elements.fetchUpdates?.();
        setNotice(`Your cart changed, so your total is now ${formatMoney(check.summary.total, check.summary.currency)}. Review it and press Pay again.`);
        return;
      }
      const result = await stripe.confirmPayment({
        elements,
        confirmParams: { return_url: new URL("/checkout/complete", window.location.origin).toString() },
      });
      // confirmPayment only returns when it did not redirect: a decline, a validation or a network error.
      setError(result.error.message ?? "Your payment could not be completed.");
    } catch {
      setError("Something went wrong. Your card was not charged; please try again.");
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }

  return (
    <form onSubmit={pay} className="mt-4 space-y-4" aria-busy={busy}>
      <PaymentElement
        options={{ layout: "tabs" }}
        onReady={() => setReady(true)}
        onChange={() => setError(null)}
      />
      {notice && (
        <p role="status" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          {notice}
        </p>
      )}
      <p role="alert" className="min-h-6 text-sm font-medium text-red-700" data-testid="payment-error">
        {error}
      </p>
      <button
        type="submit"
        disabled={!stripe || !elements || !ready}
        aria-disabled={busy}
        className="w-full rounded-lg bg-brand-800 px-6 py-3 font-semibold text-white hover:bg-brand-900 disabled:opacity-60 aria-disabled:opacity-70"
      >
        {busy ? "Processing…" : `Pay ${formatMoney(summary.total, summary.currency)}`}
      </button>
    </form>
  );
}
