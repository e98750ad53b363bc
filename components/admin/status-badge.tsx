import type { OrderStatus } from "@/lib/order-status";

const STYLES: Record<OrderStatus, string> = {
  pending: "bg-stone-100 text-stone-800",
  processing: "bg-sky-100 text-sky-900",
  paid: "bg-green-100 text-green-900",
  partially_refunded: "bg-amber-100 text-amber-900",
  refunded: "bg-violet-100 text-violet-900",
  canceled: "bg-red-100 text-red-900",
};

export function StatusBadge({ status }: { status: OrderStatus }) {
  return (
    <span className={`rounded-full px-2.5 py-0.5 text-sm font-medium ${STYLES[status]}`} data-testid="order-status">
      {status.replace("_", " ")}
    </span>
  );
}
