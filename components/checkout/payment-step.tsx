"use client";

import { Elements, PaymentElement, useElements, useStripe } from "@stripe/react-stripe-js";
import type { StripeElementsOptionsClientSecret } from "@stripe/stripe-js";
import { useRouter } from "next/navigation";
import { useMemo, useRef, useState, type FormEvent } from "react";
import { recheckBeforePaymentAction } from "@/components/checkout/actions";
import { loadStripeOnce } from "@/components/checkout/load-stripe";
import type { OrderSummary } from "@/lib/checkout/rules";
import { formatMoney } from "@/lib/money";
import { CheckoutAlert, problemOf, type CheckoutProblem } from "@/components/checkout/checkout-alert";

/** The payment the form is for; `notice` is shown when a new payment form replaced the previous one. */
export type Payment = { clientSecret: string; summary: OrderSummary; notice?: string };

type Props = {
  stripe: { publishableKey: string; stripeJsUrl: string | null };
  payment: Payment;
  onUpdate: (next: Payment) => void;
};

// Stripe appends payment_intent and payment_intent_client_secret to this URL; app/checkout/return takes the
// secret out of the address before the confirmation page shows.
const RETURN_PATH = "/checkout/return";

export function PaymentStep({ stripe, payment, onUpdate }: Props) {
  const stripePromise = useMemo(
    () => loadStripeOnce(stripe.publishableKey, stripe.stripeJsUrl),
    [stripe.publishableKey, stripe.stripeJsUrl],
  );
  const options = {
    clientSecret: payment.clientSecret,
    appearance: { theme: "stripe", variables: { colorPrimary: "#145556", borderRadius: "8px" } },
  } satisfies StripeElementsOptionsClientSecret;
  return (
    <Elements stripe={stripePromise} options={options}>
      <PayForm payment={payment} onUpdate={onUpdate} />
    </Elements>
  );
}

function PayForm({ payment, onUpdate }: Pick<Props, "payment" | "onUpdate">) {
  const router = useRouter();
  const { clientSecret, summary } = payment;
  const stripe = useStripe();
  const elements = useElements();
  const [ready, setReady] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CheckoutProblem | null>(null);
  const [notice, setNotice] = useState<string | null>(payment.notice ?? null);
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
        setError({ message: submitted.error.message ?? "Check your card details.", fixInCart: false });
        return;
      }
      // The cart may have changed in another tab: the server re-prices and updates the intent first.
      const check = await recheckBeforePaymentAction(summary.orderId, summary.total);
      if (!check.ok) {
        // Paid, or being paid, meanwhile: the confirmation page says which.
        if (check.code === "already_paid" || check.code === "payment_processing") {
          router.push("/checkout/complete");
          return;
        }
        setError(problemOf(check.code, check.error));
        return;
      }
      const changedTo = `Your cart changed, so your total is now ${formatMoney(check.summary.total, check.summary.currency)}.`;
      if (check.clientSecret !== clientSecret) {
        // The checkout was renewed (e.g. its reservation had expired): a new payment form replaces this one.
        onUpdate({
          clientSecret: check.clientSecret,
          summary: check.summary,
          notice: `${check.changed ? changedTo : "Your checkout was renewed."} Enter your card details again and press Pay.`,
        });
        return;
      }
      if (check.changed) {
        onUpdate({ clientSecret, summary: check.summary });
        await elements.fetchUpdates?.();
        setNotice(`${changedTo} Review it and press Pay again.`);
        return;
      }
      const result = await stripe.confirmPayment({
        elements,
        confirmParams: { return_url: new URL(RETURN_PATH, window.location.origin).toString() },
      });
      // confirmPayment only returns when it did not redirect: a decline, a validation or a network error.
      setError({ message: result.error.message ?? "Your payment could not be completed.", fixInCart: false });
    } catch {
      setError({ message: "Something went wrong. Your card was not charged; please try again.", fixInCart: false });
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }

  return (
    <form onSubmit={pay} className="mt-4 space-y-4" aria-busy={busy}>
      <PaymentElement options={{ layout: "tabs" }} onReady={() => setReady(true)} onChange={() => setError(null)} />
      {notice && (
        <p role="status" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          {notice}
        </p>
      )}
      <CheckoutAlert problem={error} testId="payment-error" />
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
