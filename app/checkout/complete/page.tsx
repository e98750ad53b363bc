import type { Metadata } from "next";
import Link from "next/link";
import { cookies } from "next/headers";
import { Suspense } from "react";
import { CartClosed } from "@/components/cart/cart-closed";
import { TotalsRows } from "@/components/orders/totals-rows";
import { readCartCookie } from "@/lib/cart-cookie";
import { orderOnReturn, RETURN_PROOF_COOKIE } from "@/lib/checkout/return";
import { formatMoney, multiply } from "@/lib/money";
import { isPaid } from "@/lib/order-status";

export const metadata: Metadata = { title: "Your order", robots: { index: false, follow: false } };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default function CheckoutCompletePage({ searchParams }: { searchParams: SearchParams }) {
  return (
    <div className="mx-auto max-w-2xl">
      <Suspense fallback={<p className="text-stone-600">Checking your payment…</p>}>
        <Outcome searchParams={searchParams} />
      </Suspense>
    </div>
  );
}

const single = (value: string | string[] | undefined) => (typeof value === "string" && value.length <= 255 ? value : null);

async function Outcome({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  // redirect_status is ignored on purpose: the PaymentIntent itself says what happened. The client secret
  // never comes from this page's URL: app/checkout/return moved it into a cookie before redirecting here.
  const proof = single((await cookies()).get(RETURN_PROOF_COOKIE)?.value);
  const order = await orderOnReturn(await readCartCookie(), single(params.payment_intent), proof);
  if (!order) {
    return (
      <Panel title="We could not find this order">
        <p>
          This browser cannot show that order. A payment that went through is never lost: the order is confirmed as soon as it arrives.
          Otherwise you can return to your cart.
        </p>
        <BackLink href="/cart">Back to your cart</BackLink>
      </Panel>
    );
  }
  if (isPaid(order.status)) {
    return (
      <Panel title="Thank you, your order is confirmed">
        <CartClosed />
        <p>
          Order <strong data-testid="order-number">{order.number}</strong> is paid. Keep its number for any question about your order.
        </p>
        <p className="mt-2">
          We&apos;ve emailed you a confirmation with a link to follow your order. <FindOrderLink />
        </p>
        <ul className="mt-4 divide-y divide-stone-200 rounded-lg border border-stone-200" aria-label="Items in your order">
          {order.items.map((item) => (
            <li key={item.name} className="flex justify-between px-4 py-2">
              <span>
                {item.name} × {item.quantity}
              </span>
              <span className="tabular-nums">{formatMoney(multiply(item.unitPrice, item.quantity), order.currency)}</span>
            </li>
          ))}
        </ul>
        <TotalsRows totals={order.totals} className="mt-3 space-y-1 text-sm" totalTestId="total-paid" />
        <BackLink href="/">Continue shopping</BackLink>
      </Panel>
    );
  }
  if (order.status === "processing") {
    return (
      <Panel title="Your payment is processing">
        <p>Order {order.number} will be confirmed as soon as your bank completes the payment. Reload this page to see its status.</p>
        <p className="mt-2">
          We&apos;ll email you when it is confirmed; every email has a link to follow your order. <FindOrderLink />
        </p>
        <BackLink href="/">Continue shopping</BackLink>
      </Panel>
    );
  }
  if (order.status === "canceled") {
    return (
      <Panel title="This checkout was canceled">
        <p>Order {order.number} was canceled and you were not charged.</p>
        <BackLink href="/cart">Back to your cart</BackLink>
      </Panel>
    );
  }
  return (
    <Panel title="Your payment did not go through">
      <p role="alert">{order.lastPaymentError ?? "The payment was not completed."}</p>
      <p className="mt-2">You have not been charged. You can try again with another card.</p>
      <BackLink href="/checkout">Back to payment</BackLink>
    </Panel>
  );
}

function Panel({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="rounded-xl border border-stone-200 bg-white p-8 text-stone-800">
      <h1 className="text-2xl font-bold tracking-tight text-stone-900">{title}</h1>
      <div className="mt-4">{children}</div>
    </section>
  );
}

/** For a shopper whose email does not arrive: app/orders sends a fresh link to the order's email. */
function FindOrderLink() {
  return (
    <>
      No email?{" "}
      <Link href="/orders" className="font-semibold text-brand-800 underline underline-offset-4">
        Find your order
      </Link>
      .
    </>
  );
}

function BackLink({ href, children }: { href: string; children: React.ReactNode }) {
  return (
    <Link href={href} className="mt-6 inline-block font-semibold text-brand-800 underline underline-offset-4">
      {children}
    </Link>
  );
}
