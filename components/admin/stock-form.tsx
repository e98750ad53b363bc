"use client";

import { useRef, useState, type FormEvent } from "react";
import { setStockAction, type AdminActionResult } from "@/components/admin/actions";
import { ActionOutcome, requestFailed } from "@/components/admin/action-button";

/** One variant's stock; `name` is its product's name with its options. */
export function StockForm({ variantId, name, stock }: { variantId: string; name: string; stock: number }) {
  const [result, setResult] = useState<AdminActionResult | null>(null);
  const inFlight = useRef(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      setResult(await setStockAction({ variantId, stock: new FormData(event.currentTarget).get("stock") }));
    } catch {
      setResult(requestFailed());
    } finally {
      inFlight.current = false;
    }
  }
  return (
    <form onSubmit={submit} className="flex items-center gap-2">
      <label htmlFor={`stock-${variantId}`} className="sr-only">
        Stock of {name}
      </label>
      <input
        id={`stock-${variantId}`}
        name="stock"
        defaultValue={stock}
        inputMode="numeric"
        className="w-24 rounded-lg border border-stone-300 px-2 py-1"
      />
      <button type="submit" className="rounded-lg border border-stone-300 px-3 py-1 text-sm font-medium hover:bg-stone-100">
        Save
      </button>
      <ActionOutcome result={result} />
    </form>
  );
}
