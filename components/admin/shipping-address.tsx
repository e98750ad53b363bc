import type { ShippingColumns } from "@/lib/shipping-address";

// An order's full shipping address, as staff see it (the order page, the packing slip). Shoppers' own status
// page shows it partly masked instead (components/orders/order-status-view.tsx).

export function ShippingAddress({ order, className }: { order: ShippingColumns; className?: string }) {
  return (
    <address className={className}>
      {order.shippingName}
      <br />
      {order.shippingLine1}
      <br />
      {order.shippingLine2 && (
        <>
          {order.shippingLine2}
          <br />
        </>
      )}
      {order.shippingCity}
      {order.shippingState ? `, ${order.shippingState}` : ""} {order.shippingPostalCode}
      <br />
      {order.shippingCountry}
    </address>
  );
}
