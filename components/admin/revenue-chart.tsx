import type { DayFigures } from "@/lib/admin/dashboard";
import { formatMoney, sum } from "@/lib/money";

/** One sentence for the chart's accessible name and tooltip: the period, its total and its best day. */
function chartSummary(days: DayFigures[], currency: string): string {
  const total = sum(...days.map((d) => d.revenue));
  const best = days.reduce<DayFigures | null>((top, d) => (d.revenue > (top?.revenue ?? 0) ? d : top), null);
  const period = `Revenue per day over the last ${days.length} days`;
  if (!best) return `${period}: no revenue.`;
  return `${period}: ${formatMoney(total, currency)} in total; the highest day was ${best.day} with ${formatMoney(best.revenue, currency)}.`;
}

// Server-rendered SVG bars, readable without JavaScript. Assistive technology gets one summary sentence
// as the image's name and the per-day figures in the table below it.
export function RevenueChart({ days, currency }: { days: DayFigures[]; currency: string }) {
  const width = 720;
  const height = 220;
  const padding = { top: 16, bottom: 28, left: 8, right: 8 };
  const max = Math.max(1, ...days.map((d) => d.revenue));
  const band = (width - padding.left - padding.right) / Math.max(1, days.length);
  const plot = height - padding.top - padding.bottom;
  const summary = chartSummary(days, currency);
  return (
    <figure className="rounded-xl border border-stone-200 bg-white p-4">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary} className="w-full">
        <title>{summary}</title>
        <line x1={padding.left} x2={width - padding.right} y1={height - padding.bottom} y2={height - padding.bottom} stroke="#a8a29e" />
        {days.map((d, i) => {
          const h = Math.round((d.revenue / max) * plot);
          const x = padding.left + i * band;
          return (
            <g key={d.day}>
              <rect x={x + 2} y={height - padding.bottom - h} width={Math.max(1, band - 4)} height={h} fill="#145556">
                <title>{`${d.day}: ${formatMoney(d.revenue, currency)} from ${d.orders} orders`}</title>
              </rect>
              {i % 5 === 0 && (
                <text x={x + band / 2} y={height - 8} textAnchor="middle" fontSize="11" fill="#57534e">
                  {d.day.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="mt-2 text-sm text-stone-600">Revenue net of refunds per day (UTC).</figcaption>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer font-medium">Figures per day</summary>
        <table className="mt-2 w-full">
          <thead>
            <tr className="text-left">
              <th>Day</th>
              <th>Orders</th>
              <th className="text-right">Revenue</th>
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.day}>
                <td>{d.day}</td>
                <td>{d.orders}</td>
                <td className="text-right tabular-nums">{formatMoney(d.revenue, currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
