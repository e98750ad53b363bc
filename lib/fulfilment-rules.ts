// What staff may do to a paid order's goods, as pure functions: ship some or all of its lines, mark parcels
// delivered, take units back with a refund. lib/admin/fulfilment.ts applies them (locks the order, reads it,
// writes); lib/fulfilment-rules.test.ts checks them without a database.
// The fulfilment state is forward-only (unfulfilled → partially_shipped → shipped → delivered), like the
// payment state in lib/order-status.ts: a late or repeated action never moves an order back.
import { formatMoney, multiply, sum } from "@/lib/money";
import { isPaid, statusLabel, type OrderStatus } from "@/lib/order-status";
import { linePaid } from "@/lib/pricing/receipt";
import { fail, type AdminErrorCode, type Failure } from "@/lib/result";
import { variantName } from "@/lib/variant-name";

export const FULFILMENT_STATUSES = ["unfulfilled", "partially_shipped", "shipped", "delivered"] as const;
export type FulfilmentStatus = (typeof FULFILMENT_STATUSES)[number];

const RANK: Record<FulfilmentStatus, number> = { unfulfilled: 0, partially_shipped: 1, shipped: 2, delivered: 3 };

export function fulfilmentLabel(status: FulfilmentStatus): string {
  return status.replace("_", " ");
}

/**
 * One order line as fulfilment sees it: bought, shipped so far and returned so far, with its share of the
 * order's discount and its tax (0 on orders from before discounts and taxes), so a return refunds what was paid.
 */
export type FulfilmentLine = {
  orderItemId: string;
  name: string;
  options: string;
  unitPrice: number;
  quantity: number;
  discount: number;
  tax: number;
  shipped: number;
  returned: number;
};

/**
 * Units of a line the shop still owes the shopper. Returned units are taken to be shipped ones first: a
 * return only lowers what is owed once it takes back more than was shipped (a unit refunded before it left).
 */
export function leftToShip(line: Pick<FulfilmentLine, "quantity" | "shipped" | "returned">): number {
  return Math.max(0, line.quantity - Math.max(line.shipped, line.returned));
}

/** Units of a line that can still come back: bought and not returned yet. */
export function leftToReturn(line: Pick<FulfilmentLine, "quantity" | "returned">): number {
  return Math.max(0, line.quantity - line.returned);
}

/** The state the lines and shipments describe, before the forward-only rule (see nextFulfilment). */
export function fulfilmentOf(lines: FulfilmentLine[], shipments: Array<{ deliveredAt: Date | null }>): FulfilmentStatus {
  const shippedAny = lines.some((line) => line.shipped > 0);
  if (!shippedAny) return "unfulfilled";
  if (lines.some((line) => leftToShip(line) > 0)) return "partially_shipped";
  return shipments.length > 0 && shipments.every((s) => s.deliveredAt !== null) ? "delivered" : "shipped";
}

/** The order's new state: what its lines now describe, but never behind where it already is. */
export function nextFulfilment(
  current: FulfilmentStatus,
  lines: FulfilmentLine[],
  shipments: Array<{ deliveredAt: Date | null }>,
): FulfilmentStatus {
  const computed = fulfilmentOf(lines, shipments);
  return RANK[computed] > RANK[current] ? computed : current;
}

/** A line and a number of its units, as staff pick them in a form. */
export type RequestedLine = { orderItemId: string; quantity: number };

export const CARRIERS = ["UPS", "USPS", "FedEx", "DHL"] as const;
const MAX_CARRIER = 40;
const MAX_TRACKING = 40;
// Letters, digits, spaces and "-": every carrier's numbers fit, and nothing that could be markup or a URL does.
const TRACKING_CHARS = /^[A-Za-z0-9 -]+$/;
const CARRIER_CHARS = /^[\p{L}\p{N} .&'-]+$/u;

const TRACKING_URLS: Record<string, (number: string) => string> = {
  ups: (n) => `https://www.ups.com/track?tracknum=${n}`,
  usps: (n) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${n}`,
  fedex: (n) => `https://www.fedex.com/fedextrack/?trknbr=${n}`,
  dhl: (n) => `https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id=${n}`,
};

/** The carrier's tracking page for the number, or null for a carrier we do not know. */
export function trackingUrl(carrier: string, trackingNumber: string): string | null {
  const build = TRACKING_URLS[carrier.trim().toLowerCase()];
  return build ? build(encodeURIComponent(trackingNumber.replace(/\s+/g, ""))) : null;
}

/** Field errors keyed by the form's field names: "carrier", "trackingNumber", "lines" or "line:<orderItemId>". */
export type FieldErrors = Record<string, string>;
export type RuleFailure = Failure<AdminErrorCode> & { fieldErrors?: FieldErrors };

function carrierError(carrier: string): string | null {
  if (!carrier) return "Enter the carrier";
  if (carrier.length > MAX_CARRIER) return `The carrier's name is at most ${MAX_CARRIER} characters`;
  if (!CARRIER_CHARS.test(carrier)) return "The carrier's name may hold letters, digits, spaces and . & ' - only";
  return null;
}

function trackingError(trackingNumber: string): string | null {
  if (!trackingNumber) return "Enter the tracking number";
  if (trackingNumber.length > MAX_TRACKING) return `A tracking number is at most ${MAX_TRACKING} characters`;
  if (/[<>]/.test(trackingNumber)) return "A tracking number cannot contain markup such as < or >";
  if (!TRACKING_CHARS.test(trackingNumber)) return "A tracking number may hold letters, digits, spaces and - only";
  return null;
}

/**
 * The requested lines, merged by line and without zero quantities, checked against the order: every line
 * is the order's, every quantity a whole number, at most `limit` of the line. Null lines: refused (why).
 */
function pickLines(
  lines: FulfilmentLine[],
  requested: RequestedLine[],
  limit: (line: FulfilmentLine) => number,
  tooMany: (line: FulfilmentLine, left: number) => string,
): { ok: true; picked: Array<{ line: FulfilmentLine; quantity: number }> } | RuleFailure {
  const byId = new Map(lines.map((line) => [line.orderItemId, line]));
  const wanted = new Map<string, number>();
  for (const { orderItemId, quantity } of requested) {
    if (!byId.has(orderItemId)) return fail("invalid_input", "That item is not on this order; reload the page");
    if (!Number.isSafeInteger(quantity) || quantity < 0) {
      return fail("invalid_fields", "Quantities are whole numbers", { fieldErrors: { [`line:${orderItemId}`]: "Enter a whole number" } });
    }
    wanted.set(orderItemId, (wanted.get(orderItemId) ?? 0) + quantity);
  }
  const picked: Array<{ line: FulfilmentLine; quantity: number }> = [];
  const fieldErrors: FieldErrors = {};
  for (const line of lines) {
    const quantity = wanted.get(line.orderItemId) ?? 0;
    if (quantity === 0) continue;
    const left = limit(line);
    if (quantity > left) fieldErrors[`line:${line.orderItemId}`] = tooMany(line, left);
    picked.push({ line, quantity });
  }
  const first = Object.values(fieldErrors)[0];
  if (first) return fail("too_many_units", first, { fieldErrors });
  if (picked.length === 0)
    return fail("nothing_selected", "Choose at least one unit", { fieldErrors: { lines: "Choose at least one unit" } });
  return { ok: true, picked };
}

const itemLabel = (line: FulfilmentLine) => variantName(line.name, line.options);

export type ShippableOrder = { status: OrderStatus; lines: FulfilmentLine[]; trackingNumbers: string[] };

export type ShipmentPlan = {
  ok: true;
  carrier: string;
  trackingNumber: string;
  trackingUrl: string | null;
  items: Array<{ orderItemId: string; name: string; options: string; quantity: number }>;
};

/** Why nothing of the order can ship now, or null: it must be paid, not refunded in full, with units owed. */
export function shipRefusal(order: Pick<ShippableOrder, "status" | "lines">): RuleFailure | null {
  if (!isPaid(order.status) || order.status === "refunded") {
    return fail("not_shippable", `Only paid orders can be shipped; this one is ${statusLabel(order.status)}`);
  }
  if (order.lines.every((line) => leftToShip(line) === 0)) return fail("not_shippable", "Everything on this order has shipped");
  return null;
}

/**
 * A shipment staff asked for, checked and normalized: the order is paid (and not refunded in full), every
 * unit is still owed, carrier and tracking number are plain text of sensible length, and the number is not
 * already recorded on the order (a double submit of the same parcel).
 */
export function planShipment(
  order: ShippableOrder,
  requested: RequestedLine[],
  carrierInput: string,
  trackingInput: string,
): ShipmentPlan | RuleFailure {
  const refusal = shipRefusal(order);
  if (refusal) return refusal;
  const carrier = carrierInput.trim().replace(/\s+/g, " ");
  const trackingNumber = trackingInput.trim().replace(/\s+/g, " ");
  const fieldErrors: FieldErrors = {};
  const badCarrier = carrierError(carrier);
  if (badCarrier) fieldErrors.carrier = badCarrier;
  const badTracking = trackingError(trackingNumber);
  if (badTracking) fieldErrors.trackingNumber = badTracking;
  const first = Object.values(fieldErrors)[0];
  if (first) return fail("invalid_fields", first, { fieldErrors });
  const known = CARRIERS.find((name) => name.toLowerCase() === carrier.toLowerCase()) ?? carrier;
  const compact = (n: string) => n.replace(/[\s-]/g, "").toUpperCase();
  if (order.trackingNumbers.some((n) => compact(n) === compact(trackingNumber))) {
    return fail("duplicate_shipment", "A shipment with this tracking number is already recorded on the order", {
      fieldErrors: { trackingNumber: "Already recorded on this order" },
    });
  }
  const picked = pickLines(order.lines, requested, leftToShip, (line, left) =>
    left === 0 ? `${itemLabel(line)} has shipped in full` : `Only ${left} of ${itemLabel(line)} left to ship`,
  );
  if (!picked.ok) return picked;
  return {
    ok: true,
    carrier: known,
    trackingNumber,
    trackingUrl: trackingUrl(known, trackingNumber),
    items: picked.picked.map(({ line, quantity }) => ({ orderItemId: line.orderItemId, name: line.name, options: line.options, quantity })),
  };
}

export type ReturnableOrder = {
  status: OrderStatus;
  currency: string;
  /** Whether the lines' prices include their tax (then a line's tax is inside what was paid for it). */
  pricesIncludeTax: boolean;
  total: number;
  /** Refunded already, plus refunds promised to returns whose refund is still being made. */
  refundedOrPending: number;
  lines: FulfilmentLine[];
};

export type ReturnPlan = {
  ok: true;
  /** The refund: what was paid for the units (a return worth more than is left to refund is refused). */
  amount: number;
  restock: boolean;
  items: Array<{ orderItemId: string; quantity: number }>;
};

/** ⌊a / b⌋ for integers, b > 0, without a floating-point quotient (exact for every safe integer). */
function floorDiv(a: number, b: number): number {
  const remainder = a % b;
  return (a - remainder) / b - (remainder < 0 ? 1 : 0);
}

/**
 * What `quantity` more units of a line refund: their share of what was paid for the line (after its share of
 * the discount, with its tax: linePaid). Units are valued cumulatively, ⌊paid × n / bought⌋ for the first n
 * units back, so a unit's share is rounded down and the last unit back takes the remainder: however a line
 * comes back, in one return or several, its returns together refund exactly what was paid for it.
 */
export function returnValue(line: FulfilmentLine, quantity: number, pricesIncludeTax: boolean): number {
  const paid = linePaid(line, pricesIncludeTax);
  const upTo = (units: number) => floorDiv(multiply(paid, units), line.quantity);
  return upTo(line.returned + quantity) - upTo(line.returned);
}

/**
 * A return staff asked for, checked: the order is paid, each line gives back at most what was bought and
 * not returned yet, and what was paid for the units (the refund, see returnValue) is no more than is left to
 * refund, so the order's refunds never exceed its total.
 */
export function planReturn(order: ReturnableOrder, requested: RequestedLine[], restock: boolean): ReturnPlan | RuleFailure {
  if (!isPaid(order.status)) return fail("not_returnable", `Only paid orders take returns; this one is ${statusLabel(order.status)}`);
  const picked = pickLines(order.lines, requested, leftToReturn, (line, left) =>
    left === 0
      ? `All ${line.quantity} of ${itemLabel(line)} are returned already`
      : `Only ${left} of ${itemLabel(line)} can come back: more units than were bought`,
  );
  if (!picked.ok) return picked;
  const value = sum(...picked.picked.map(({ line, quantity }) => returnValue(line, quantity, order.pricesIncludeTax)));
  const left = Math.max(0, order.total - order.refundedOrPending);
  // Refused, not silently cut down: staff should see that earlier refunds already cover part of these units.
  if (value > left) {
    return fail(
      "amount_too_large",
      `The refund of ${formatMoney(value, order.currency)} is larger than what is left to refund on this order (${formatMoney(left, order.currency)})`,
    );
  }
  return {
    ok: true,
    amount: value,
    restock,
    items: picked.picked.map(({ line, quantity }) => ({ orderItemId: line.orderItemId, quantity })),
  };
}
