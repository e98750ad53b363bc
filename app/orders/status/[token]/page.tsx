import type { Metadata } from "next";
import { Suspense } from "react";
import { OrderLinkNotValid, OrderStatusView } from "@/components/orders/order-status-view";
import { orderForToken } from "@/lib/order-status-page";

// The page an order email's "View your order" link opens. The token in the address is the only key to it:
// the page is never indexed, never cached (it reads the database on every request, after the params), and
// sends no Referer anywhere (here and in security-headers.mjs), so the token never leaves the shop.
export const metadata: Metadata = { title: "Your order", robots: { index: false, follow: false }, referrer: "no-referrer" };

type Params = Promise<{ token: string }>;

export default function OrderStatusPage({ params }: { params: Params }) {
  return (
    <div className="mx-auto max-w-3xl">
      <Suspense fallback={<p className="text-stone-600">Loading your order…</p>}>
        <OrderStatus params={params} />
      </Suspense>
    </div>
  );
}

async function OrderStatus({ params }: { params: Params }) {
  const { token } = await params;
  const order = await orderForToken(token, new Date());
  // An unknown, malformed or expired link reads the same: the page never says whether an order exists.
  return order ? <OrderStatusView order={order} /> : <OrderLinkNotValid />;
}
