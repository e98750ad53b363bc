// What each email is about: the data the outbox hands to renderEmail. Amounts are integers in the minor unit
// of the currency they come with (lib/money.ts).
import type { OrderTotals } from "@/lib/pricing/receipt";
import type { ShippingAddress } from "@/lib/shipping-address";

export type OrderForEmail = {
  /** e.g. "SF-7K3Q9D" */
  number: string;
  email: string;
  /** Lowercase ISO 4217, e.g. "usd", "jpy", "kwd". */
  currency: string;
  /** `options` e.g. "Size: M, Colour: Navy", or "" for a product without options. */
  items: Array<{ name: string; options: string; quantity: number; unitPrice: number }>;
  /** The order's stored totals (lib/pricing/receipt.ts storedTotals), which totalsRows turns into the totals block. */
  totals: OrderTotals;
  amountRefunded: number;
  shipping: ShippingAddress;
  /** Absolute link to the order's status page; it carries a secret token. */
  statusUrl: string;
};

export type EmailInput =
  | { kind: "order_confirmed"; order: OrderForEmail }
  /** A bank debit is under way. */
  | { kind: "payment_processing"; order: OrderForEmail }
  | { kind: "payment_failed"; order: OrderForEmail; reason: string; retryUrl: string }
  | {
      kind: "order_shipped";
      order: OrderForEmail;
      shipment: {
        carrier: string;
        trackingNumber: string;
        trackingUrl: string | null;
        items: Array<{ name: string; options: string; quantity: number }>;
      };
    }
  /** `amount`: this refund; `order.amountRefunded`: all refunds so far, this one included. */
  | { kind: "order_refunded"; order: OrderForEmail; amount: number; full: boolean }
  | { kind: "order_canceled"; order: OrderForEmail }
  /** The shopper asked for a fresh status link. */
  | { kind: "order_link"; order: OrderForEmail }
  | { kind: "staff_new_order"; order: OrderForEmail; adminUrl: string }
  | {
      kind: "staff_dispute_opened";
      orderNumber: string | null;
      dispute: { id: string; amount: number; currency: string; reason: string; evidenceDueBy: Date | null };
      adminUrl: string;
    }
  | { kind: "staff_low_stock"; variants: Array<{ name: string; sku: string; stock: number; threshold: number }>; adminUrl: string }
  | {
      kind: "staff_delivery_failed";
      failed: { to: string; subject: string; lastError: string; orderNumber: string | null };
      adminUrl: string;
    };

export type EmailContent = { subject: string; html: string; text: string };

export type Shop = { name: string };
