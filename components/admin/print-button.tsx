"use client";

/** Opens the browser's print dialog; hidden on paper. */
export function PrintButton() {
  return (
    <button
      type="button"
      onClick={() => window.print()}
      className="no-print rounded-lg border border-stone-300 px-3 py-1.5 text-sm font-semibold hover:bg-stone-100 print:hidden"
    >
      Print
    </button>
  );
}
