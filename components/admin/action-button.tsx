"use client";

import { useRef, useState, type ReactNode } from "react";
import type { AdminActionResult } from "@/components/admin/actions";
import { fail } from "@/lib/result";

type Props = {
  label: string;
  /** What the confirmation step says will happen. */
  confirmText: string;
  run: () => Promise<AdminActionResult>;
  children?: ReactNode;
  onDone?: () => void;
};

/**
 * A destructive staff action in two steps: the button asks, "Confirm" does it, and the result is announced.
 * The status line (ActionOutcome) carries the outcome as data-outcome: "ok" or the failure's code.
 */
export function ConfirmActionButton({ label, confirmText, run, children, onDone }: Props) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<AdminActionResult | null>(null);
  const inFlight = useRef(false);

  async function confirm() {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    try {
      const outcome = await run();
      setResult(outcome);
      if (outcome.ok) {
        setAsking(false);
        onDone?.();
      }
    } catch {
      setResult(requestFailed());
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }

  return (
    <div className="space-y-2">
      {children}
      {asking ? (
        <div
          role="group"
          aria-label={`Confirm: ${label}`}
          className="flex flex-wrap items-center gap-3 rounded-lg border border-amber-300 bg-amber-50 p-3"
        >
          <span className="text-sm text-amber-900">{confirmText}</span>
          <button
            type="button"
            onClick={confirm}
            disabled={busy}
            className="rounded-lg bg-red-700 px-3 py-1 text-sm font-semibold text-white disabled:opacity-60"
          >
            {busy ? "Working…" : "Confirm"}
          </button>
          <button type="button" onClick={() => setAsking(false)} className="rounded-lg border border-stone-300 px-3 py-1 text-sm">
            Keep it
          </button>
        </div>
      ) : (
        <button
          type="button"
          onClick={() => {
            setResult(null);
            setAsking(true);
          }}
          className="rounded-lg border border-stone-300 bg-white px-3 py-1.5 text-sm font-semibold hover:bg-stone-100"
        >
          {label}
        </button>
      )}
      <ActionOutcome result={result} />
    </div>
  );
}

/** What a staff action answers when the request itself failed (thrown, or the server could not be reached). */
export const requestFailed = () => fail("request_failed", "The request failed. Please try again.");

/** A staff action's announced outcome; data-outcome carries "ok" or the failure's code. */
export function ActionOutcome({ result }: { result: AdminActionResult | null }) {
  return (
    <p
      role="status"
      aria-live="polite"
      data-outcome={result ? (result.ok ? "ok" : result.code) : undefined}
      className={`text-sm ${result?.ok ? "text-green-800" : "text-red-700"}`}
    >
      {result ? (result.ok ? result.message : result.error) : null}
    </p>
  );
}
