"use client";

import { useRef, useState, type FormEvent } from "react";
import { setStockAction, type AdminActionResult } from "@/components/admin/actions";
import { fail } from "@/lib/result";

export function StockForm({ productId, name, stock }: { productId: string; name: string; stock: number }) {
  const [result, setResult] = useState<AdminActionResult | null>(null);
  const inFlight = useRef(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      setResult(await setStockAction({ productId, stock: new FormData(event.currentTarget).get("stock") }));
    } catch {
      setResult(fail("request_failed", "The request failed. Please try again."));
    } finally {
      inFlight.current = false;
    }
  }
  return (
    <form onSubmit={submit} className="flex items-center gap-2">
      <label htmlFor={`stock-${productId}`} className="sr-only">
        Stock of {name}
      </label>
      <input
        id={`stock-${productId}`}
        name="stock"
        defaultValue={stock}
        inputMode="numeric"
        className="w-24 rounded-lg border border-stone-300 px-2 py-1"
      />
      <button type="submit" className="rounded-lg border border-stone-300 px-3 py-1 text-sm font-medium hover:bg-stone-100">
        Save
      </button>
      <span
        role="status"
        data-outcome={result ? (result.ok ? "ok" : result.code) : undefined}
        className={`text-sm ${result?.ok ? "text-green-800" : "text-red-700"}`}
      >
        {result ? (result.ok ? result.message : result.error) : null}
      </span>
    </form>
  );
}
