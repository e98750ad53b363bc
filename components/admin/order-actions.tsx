"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { cancelOrderAction, refundOrderAction, repairOrderAction } from "@/components/admin/actions";
import { ConfirmActionButton } from "@/components/admin/action-button";

/** `refundable` is what can still be refunded, as the field's starting value ("16.00"); `currency` its ISO code. */
export function RefundForm({ orderId, refundable, currency }: { orderId: string; refundable: string; currency: string }) {
  const router = useRouter();
  const [amount, setAmount] = useState(refundable);
  // A fresh idempotency key per refund the staff member means to make.
  const [requestKey, setRequestKey] = useState(() => crypto.randomUUID());
  return (
    <ConfirmActionButton
      label="Refund"
      confirmText={`Refund ${amount} ${currency} to the customer's card?`}
      run={() => refundOrderAction({ orderId, amount, requestKey })}
      onDone={() => {
        setRequestKey(crypto.randomUUID());
        // The order changes when Stripe's refund event arrives; refresh shortly after.
        setTimeout(() => router.refresh(), 1500);
      }}
    >
      <label htmlFor="refund-amount" className="block text-sm font-medium text-stone-800">
        Refund amount ({currency}, up to {refundable})
      </label>
      <input
        id="refund-amount"
        inputMode="decimal"
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
        className="w-40 rounded-lg border border-stone-300 px-3 py-1.5"
      />
    </ConfirmActionButton>
  );
}

export function CancelOrderButton({ orderId }: { orderId: string }) {
  const router = useRouter();
  return (
    <ConfirmActionButton
      label="Cancel order"
      confirmText="Cancel this unpaid order, its payment and its stock reservation?"
      run={() => cancelOrderAction({ orderId })}
      onDone={() => router.refresh()}
    />
  );
}

export function RepairOrderButton({ orderId }: { orderId: string }) {
  const router = useRouter();
  return (
    <ConfirmActionButton
      label="Repair from Stripe"
      confirmText="Apply Stripe's current payment state to this order?"
      run={() => repairOrderAction({ orderId })}
      onDone={() => router.refresh()}
    />
  );
}
