// `npm run reconcile -- [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--repair]`: the admin reconciliation from a
// shell (run under the react-server condition, so the shop's server-only modules load as they do in Next).
import { parseArgs } from "node:util";
import { reconcile, repairOrder } from "@/lib/reconcile";

const { values } = parseArgs({ options: { from: { type: "string" }, to: { type: "string" }, repair: { type: "boolean", default: false } } });
const DAY = 86_400_000;
const parseDay = (value: string | undefined, fallback: Date) => {
  if (!value) return fallback;
  const date = new Date(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(date.getTime())) throw new Error(`Not a date (YYYY-MM-DD): ${value}`);
  return date;
};
const todayStart = new Date(new Date().toISOString().slice(0, 10) + "T00:00:00Z");
const from = parseDay(values.from, new Date(todayStart.getTime() - 6 * DAY));
const to = new Date(parseDay(values.to, todayStart).getTime() + DAY);

const report = await reconcile(from, to);
console.log(`${report.intents} intents, ${report.orders} orders, ${report.discrepancies.length} discrepancies (${from.toISOString().slice(0, 10)} .. ${new Date(to.getTime() - DAY).toISOString().slice(0, 10)})`);
for (const d of report.discrepancies) {
  console.log(`- ${d.kind} ${d.orderNumber ?? "-"} ${d.paymentIntentId}: ${d.detail}`);
  if (values.repair && d.repairable && d.orderId) {
    const result = await repairOrder(d.orderId);
    console.log(`  repaired: order is now ${result.status} (${result.outcome})`);
  }
}
process.exit(0);
