"use client";

import { useRef, useState, type FormEvent } from "react";
import { setLowStockThresholdAction, type AdminActionResult } from "@/components/admin/actions";
import { ActionOutcome, requestFailed } from "@/components/admin/action-button";

/** One variant's low-stock threshold: staff are emailed when its stock falls to it; empty for no alerts. */
export function ThresholdForm({ variantId, name, threshold }: { variantId: string; name: string; threshold: number | null }) {
  const [result, setResult] = useState<AdminActionResult | null>(null);
  const inFlight = useRef(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      const value = new FormData(event.currentTarget).get("threshold");
      setResult(await setLowStockThresholdAction({ variantId, threshold: typeof value === "string" ? value.trim() : value }));
    } catch {
      setResult(requestFailed());
    } finally {
      inFlight.current = false;
    }
  }
  return (
    <form onSubmit={submit} className="flex items-center gap-2">
      <label htmlFor={`threshold-${variantId}`} className="sr-only">
        Low-stock alert threshold of {name}
      </label>
      <input
        id={`threshold-${variantId}`}
        name="threshold"
        defaultValue={threshold ?? ""}
        inputMode="numeric"
        placeholder="none"
        className="w-20 rounded-lg border border-stone-300 px-2 py-1"
      />
      <button type="submit" className="rounded-lg border border-stone-300 px-3 py-1 text-sm font-medium hover:bg-stone-100">
        Save
      </button>
      <ActionOutcome result={result} />
    </form>
  );
}
