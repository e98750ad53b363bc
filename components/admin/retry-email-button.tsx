"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { retryEmailAction, type AdminActionResult } from "@/components/admin/actions";
import { ActionOutcome, requestFailed } from "@/components/admin/action-button";

/** Queues a failed or stuck email again; one click, one request (a double click queues it once). */
export function RetryEmailButton({ emailId }: { emailId: string }) {
  const router = useRouter();
  const [result, setResult] = useState<AdminActionResult | null>(null);
  const inFlight = useRef(false);
  async function retry() {
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      const outcome = await retryEmailAction({ emailId });
      setResult(outcome);
      if (outcome.ok) router.refresh();
    } catch {
      setResult(requestFailed());
    } finally {
      inFlight.current = false;
    }
  }
  return (
    <div className="space-y-1">
      <button type="button" onClick={retry} className="rounded-lg border border-stone-300 px-3 py-1 text-sm font-medium hover:bg-stone-100">
        Retry
      </button>
      <ActionOutcome result={result} />
    </div>
  );
}
