"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { markDeliveredAction, recordReturnAction, shipOrderAction, type AdminActionResult } from "@/components/admin/actions";
import { ActionOutcome, ConfirmActionButton, requestFailed } from "@/components/admin/action-button";
import { CARRIERS, planReturn, type FieldErrors, type ReturnableOrder } from "@/lib/fulfilment-rules";
import { formatMoney } from "@/lib/money";

// The order page's fulfilment and returns forms. The server decides (lib/fulfilment-rules.ts through
// components/admin/actions.ts); the return form runs the same rule here only to show the refund before
// staff confirm it. A click while a request is under way is ignored (one in flight per form).

type Answer = AdminActionResult & { fieldErrors?: FieldErrors };

/** One order line as a form shows it: `max` is what can still ship, or come back. */
export type FormLine = { orderItemId: string; label: string; max: number };

const inputClass = "rounded-lg border border-stone-300 px-2 py-1";

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className="text-sm text-red-700">
      {message}
    </p>
  );
}

/** Submits once at a time and keeps the answer; `onOk` runs after a success. */
function useSubmit(onOk: () => void) {
  const [result, setResult] = useState<Answer | null>(null);
  const [busy, setBusy] = useState(false);
  const inFlight = useRef(false);
  async function submit(run: () => Promise<Answer>) {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    try {
      const answer = await run();
      setResult(answer);
      if (answer.ok) onOk();
    } catch {
      setResult(requestFailed());
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }
  const fieldErrors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  return { result, busy, submit, fieldErrors };
}

function QuantityInputs({
  prefix,
  lines,
  values,
  onChange,
  errors,
}: {
  prefix: string;
  lines: FormLine[];
  values: Record<string, string>;
  onChange: (id: string, value: string) => void;
  errors: FieldErrors;
}) {
  return (
    <fieldset className="space-y-2" aria-describedby={errors.lines ? `${prefix}-lines-error` : undefined}>
      <legend className="text-sm font-medium text-stone-800">Items</legend>
      {lines.map((line) => {
        const id = `${prefix}-${line.orderItemId}`;
        const error = errors[`line:${line.orderItemId}`];
        return (
          <div key={line.orderItemId}>
            <label htmlFor={id} className="flex items-center gap-2 text-sm">
              <input
                id={id}
                inputMode="numeric"
                value={values[line.orderItemId] ?? ""}
                onChange={(e) => onChange(line.orderItemId, e.target.value)}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${id}-error` : undefined}
                className={`${inputClass} w-16`}
              />
              <span>
                {line.label} <span className="text-stone-600">(up to {line.max})</span>
              </span>
            </label>
            <FieldError id={`${id}-error`} message={error} />
          </div>
        );
      })}
      <FieldError id={`${prefix}-lines-error`} message={errors.lines} />
    </fieldset>
  );
}

/** "" → 0; anything else as typed, so the server's rule names a bad quantity. */
const quantityOf = (text: string) => (text.trim() === "" ? 0 : Number(text.trim()));

export function ShipForm({ orderId, lines }: { orderId: string; lines: FormLine[] }) {
  const router = useRouter();
  const [quantities, setQuantities] = useState(() => Object.fromEntries(lines.map((line) => [line.orderItemId, String(line.max)])));
  const [carrier, setCarrier] = useState<string>(CARRIERS[0]);
  const [otherCarrier, setOtherCarrier] = useState("");
  const [tracking, setTracking] = useState("");
  const { result, busy, submit, fieldErrors } = useSubmit(() => {
    setTracking("");
    router.refresh();
  });

  function send(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void submit(() =>
      shipOrderAction({
        orderId,
        lines: lines.map((line) => ({ orderItemId: line.orderItemId, quantity: quantityOf(quantities[line.orderItemId] ?? "") })),
        carrier: carrier === "other" ? otherCarrier : carrier,
        trackingNumber: tracking,
      }),
    );
  }

  return (
    <form onSubmit={send} className="space-y-3" aria-label="Ship items">
      <h3 className="font-medium">Ship items</h3>
      <QuantityInputs
        prefix="ship"
        lines={lines}
        values={quantities}
        onChange={(id, value) => setQuantities((q) => ({ ...q, [id]: value }))}
        errors={fieldErrors}
      />
      <div className="flex flex-wrap items-start gap-3">
        <div>
          <label htmlFor="ship-carrier" className="block text-sm font-medium">
            Carrier
          </label>
          <select id="ship-carrier" value={carrier} onChange={(e) => setCarrier(e.target.value)} className={`${inputClass} bg-white`}>
            {CARRIERS.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
            <option value="other">Other</option>
          </select>
        </div>
        {carrier === "other" && (
          <div>
            <label htmlFor="ship-carrier-other" className="block text-sm font-medium">
              Carrier name
            </label>
            <input
              id="ship-carrier-other"
              value={otherCarrier}
              onChange={(e) => setOtherCarrier(e.target.value)}
              aria-invalid={fieldErrors.carrier ? true : undefined}
              aria-describedby={fieldErrors.carrier ? "ship-carrier-error" : undefined}
              className={inputClass}
            />
          </div>
        )}
        <div>
          <label htmlFor="ship-tracking" className="block text-sm font-medium">
            Tracking number
          </label>
          <input
            id="ship-tracking"
            value={tracking}
            onChange={(e) => setTracking(e.target.value)}
            aria-invalid={fieldErrors.trackingNumber ? true : undefined}
            aria-describedby={fieldErrors.trackingNumber ? "ship-tracking-error" : undefined}
            className={`${inputClass} w-64`}
          />
          <FieldError id="ship-tracking-error" message={fieldErrors.trackingNumber} />
        </div>
      </div>
      <FieldError id="ship-carrier-error" message={fieldErrors.carrier} />
      <button type="submit" disabled={busy} className="rounded-lg bg-brand-800 px-4 py-1.5 font-semibold text-white disabled:opacity-60">
        {busy ? "Working…" : "Mark shipped"}
      </button>
      <ActionOutcome result={result} />
    </form>
  );
}

export function MarkDeliveredButton({ shipmentId }: { shipmentId: string }) {
  const router = useRouter();
  const { result, busy, submit } = useSubmit(() => router.refresh());
  return (
    <div className="flex items-center gap-2">
      <button
        type="button"
        disabled={busy}
        onClick={() => void submit(() => markDeliveredAction({ shipmentId }))}
        className="rounded-lg border border-stone-300 px-3 py-1 text-sm font-medium hover:bg-stone-100 disabled:opacity-60"
      >
        Mark delivered
      </button>
      <ActionOutcome result={result} />
    </div>
  );
}

/** `order` is what the return rule needs; `lines` what can still come back. */
export function ReturnForm({ orderId, order, lines }: { orderId: string; order: ReturnableOrder; lines: FormLine[] }) {
  const router = useRouter();
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const [restock, setRestock] = useState(true);
  // A fresh key per return the staff member means to record: a double submit records one.
  const [requestKey, setRequestKey] = useState(() => crypto.randomUUID());
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const requested = lines.map((line) => ({ orderItemId: line.orderItemId, quantity: quantityOf(quantities[line.orderItemId] ?? "") }));
  const preview = planReturn(order, requested, restock);
  const refund = preview.ok ? formatMoney(preview.amount, order.currency) : null;

  return (
    <div className="space-y-3" role="group" aria-label="Record a return">
      <h3 className="font-medium">Record a return</h3>
      <QuantityInputs
        prefix="return"
        lines={lines}
        values={quantities}
        onChange={(id, value) => {
          setFieldErrors({});
          setQuantities((q) => ({ ...q, [id]: value }));
        }}
        errors={fieldErrors}
      />
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={restock} onChange={(e) => setRestock(e.target.checked)} />
        Put the units back in stock
      </label>
      <p className="text-sm" data-testid="return-refund" aria-live="polite">
        {refund ? (
          <>
            Refund: <strong>{refund}</strong>
          </>
        ) : (
          <span className="text-stone-600">
            {preview.ok ? null : preview.code === "nothing_selected" ? "Choose the units coming back." : preview.error}
          </span>
        )}
      </p>
      <ConfirmActionButton
        label="Record return"
        confirmText={refund ? `Record this return and refund ${refund} to the customer's card?` : "Record this return?"}
        run={async () => {
          const answer: Answer = await recordReturnAction({ orderId, lines: requested, restock, requestKey });
          setFieldErrors(!answer.ok ? (answer.fieldErrors ?? {}) : {});
          return answer;
        }}
        onDone={() => {
          setQuantities({});
          setRequestKey(crypto.randomUUID());
          // The refund is made by the job queue and the order follows Stripe's webhook; refresh shortly after.
          router.refresh();
          setTimeout(() => router.refresh(), 3000);
        }}
      />
    </div>
  );
}
