// `npm run reconcile -- [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--repair]`: the admin reconciliation from a
// shell (run under the react-server condition, so the shop's server-only modules load as they do in Next).
// Days are UTC and inclusive; the default is the last seven days, today included.
import { parseArgs } from "node:util";
import { dayOffset, parseDayRange } from "@/lib/dates";
import { repairOrder } from "@/lib/orders";
import { reconcile } from "@/lib/reconcile";

const { values } = parseArgs({
  options: { from: { type: "string" }, to: { type: "string" }, repair: { type: "boolean", default: false } },
});
const now = new Date();
const fromDay = values.from ?? dayOffset(now, 6);
const toDay = values.to ?? dayOffset(now, 0);
const range = parseDayRange(fromDay, toDay);
if (!range.ok) {
  console.error(`reconcile: ${range.error}`);
  process.exit(2);
}

const report = await reconcile(range.from!, range.to!);
console.log(`${report.intents} intents, ${report.orders} orders, ${report.discrepancies.length} discrepancies (${fromDay} .. ${toDay})`);
for (const d of report.discrepancies) {
  console.log(`- ${d.kind} ${d.orderNumber ?? "-"} ${d.paymentIntentId}: ${d.detail}`);
  if (values.repair && d.repairable && d.orderId) {
    const result = await repairOrder(d.orderId);
    console.log(result.ok ? `  repaired: ${result.message}` : `  not repaired (${result.code}): ${result.error}`);
  }
}
process.exit(0);
