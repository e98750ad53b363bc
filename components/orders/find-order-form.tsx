"use client";

import { useActionState } from "react";
import { requestOrderLinkAction, type FindOrderState } from "@/components/orders/actions";
import type { OrderLinkField } from "@/lib/order-link-rules";

const INITIAL: FindOrderState = { result: null, number: "", email: "" };

const FIELDS: Array<{ name: OrderLinkField; label: string; type: string; autoComplete: string; hint?: string }> = [
  { name: "number", label: "Order number", type: "text", autoComplete: "off", hint: "As in your order email, e.g. SF-7K3Q9D" },
  { name: "email", label: "Email", type: "email", autoComplete: "email" },
];

/** Asks for a fresh link to an order's status page; the answer never says whether the order exists. */
export function FindOrderForm({ idPrefix = "find-order" }: { idPrefix?: string }) {
  const [state, action, pending] = useActionState<FindOrderState, FormData>(requestOrderLinkAction, INITIAL);
  const result = state.result;
  const fieldErrors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  const refusal = result && !result.ok && result.code !== "invalid_fields" ? result.error : null;
  return (
    <form action={action} className="space-y-4" noValidate>
      {FIELDS.map((field) => {
        const id = `${idPrefix}-${field.name}`;
        const error = fieldErrors[field.name];
        const described = [field.hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
        return (
          <div key={field.name}>
            <label htmlFor={id} className="block text-sm font-medium text-stone-800">
              {field.label}
            </label>
            {field.hint && (
              <p id={`${id}-hint`} className="text-xs text-stone-600">
                {field.hint}
              </p>
            )}
            <input
              id={id}
              name={field.name}
              type={field.type}
              autoComplete={field.autoComplete}
              required
              defaultValue={state[field.name]}
              // A new answer re-mounts the field with what the server handed back.
              key={`${field.name}:${state[field.name]}`}
              aria-invalid={error ? true : undefined}
              aria-describedby={described || undefined}
              className="mt-1 w-full rounded-lg border border-stone-400 bg-white px-3 py-2 text-stone-900"
            />
            {error && (
              <p id={`${id}-error`} className="mt-1 text-sm font-medium text-red-700">
                {error}
              </p>
            )}
          </div>
        );
      })}
      <p role="alert" data-outcome={result && !result.ok ? result.code : undefined} className="min-h-6 text-sm font-medium text-red-700">
        {refusal}
      </p>
      <p role="status" className="text-sm font-medium text-brand-900" data-testid="order-link-answer">
        {result?.ok ? result.message : null}
      </p>
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-lg bg-brand-800 px-4 py-2 font-semibold text-white hover:bg-brand-900 disabled:opacity-60 sm:w-auto"
      >
        {pending ? "Sending…" : "Email me a link"}
      </button>
    </form>
  );
}
