import type { auditFor } from "@/lib/audit";

type AuditRow = Awaited<ReturnType<typeof auditFor>>[number];

/** The audit trail's entries, newest first: when, who, what, and the change's details. */
export function AuditList({ entries, label }: { entries: AuditRow[]; label: string }) {
  if (entries.length === 0) return <p className="mt-2 text-sm text-stone-600">No changes recorded yet.</p>;
  return (
    <ol className="mt-3 space-y-1 text-sm" aria-label={label}>
      {entries.map((entry) => (
        <li key={entry.id} className="flex flex-wrap gap-3">
          <time className="tabular-nums text-stone-600" dateTime={entry.at.toISOString()}>
            {entry.at.toISOString()}
          </time>
          <span>{entry.staffEmail}</span>
          <span className="font-medium">{entry.action}</span>
          <span className="break-all text-stone-600">{JSON.stringify(entry.details)}</span>
        </li>
      ))}
    </ol>
  );
}
