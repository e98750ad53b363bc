import { allOrders, parseOrderFilter } from "@/lib/admin/orders";
import { orderCsvHeader, orderCsvRow } from "@/lib/admin/order-export";
import { can } from "@/lib/auth/roles";
import { currentStaff } from "@/lib/auth/session";
import { formatDay } from "@/lib/dates";

// CSV of the orders matching the list's filter, streamed so large exports stay flat in memory.
export async function GET(request: Request): Promise<Response> {
  const staff = await currentStaff();
  if (!staff) return Response.json({ error: "Sign in as staff to export orders" }, { status: 401 });
  if (!can(staff.role, "admin.read")) return Response.json({ error: "Your role does not allow exporting orders" }, { status: 403 });
  const { filter } = parseOrderFilter(Object.fromEntries(new URL(request.url).searchParams));
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(encoder.encode(orderCsvHeader()));
      for await (const o of allOrders(filter)) controller.enqueue(encoder.encode(orderCsvRow(o)));
      controller.close();
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="orders-${formatDay(new Date())}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
