import { describe, expect, it } from "vitest";
import {
  fulfilmentOf,
  leftToShip,
  nextFulfilment,
  planReturn,
  planShipment,
  returnValue,
  trackingUrl,
  type FulfilmentLine,
  type FulfilmentStatus,
  type ReturnableOrder,
  type ShippableOrder,
} from "./fulfilment-rules";

const line = (id: string, fields: Partial<FulfilmentLine> = {}): FulfilmentLine => ({
  orderItemId: id,
  name: `Item ${id}`,
  options: "",
  unitPrice: 1000,
  quantity: 2,
  discount: 0,
  tax: 0,
  shipped: 0,
  returned: 0,
  ...fields,
});

const shippable = (lines: FulfilmentLine[], fields: Partial<ShippableOrder> = {}): ShippableOrder => ({
  status: "paid",
  lines,
  trackingNumbers: [],
  ...fields,
});

describe("the fulfilment state", () => {
  const delivered = { deliveredAt: new Date() };
  const onTheWay = { deliveredAt: null };
  it.each<[string, FulfilmentLine[], Array<{ deliveredAt: Date | null }>, FulfilmentStatus]>([
    ["nothing shipped", [line("a"), line("b")], [], "unfulfilled"],
    ["one line of two shipped", [line("a", { shipped: 2 }), line("b")], [onTheWay], "partially_shipped"],
    ["one unit of two shipped", [line("a", { shipped: 1 })], [onTheWay], "partially_shipped"],
    ["everything shipped", [line("a", { shipped: 2 }), line("b", { shipped: 2 })], [onTheWay, delivered], "shipped"],
    ["everything shipped and delivered", [line("a", { shipped: 2 })], [delivered, delivered], "delivered"],
    ["a delivered parcel while the rest waits", [line("a", { shipped: 1 })], [delivered], "partially_shipped"],
    ["the unshipped unit came back (refunded before it left)", [line("a", { shipped: 1, returned: 2 })], [onTheWay], "shipped"],
    ["a shipped unit came back: the other is still owed", [line("a", { shipped: 1, returned: 1 })], [onTheWay], "partially_shipped"],
  ])("%s → %s", (_name, lines, shipments, expected) => {
    expect(fulfilmentOf(lines, shipments)).toBe(expected);
  });

  it("never moves back: a late or repeated action leaves a later state as it is", () => {
    const partly = [line("a", { shipped: 1 })];
    expect(nextFulfilment("unfulfilled", partly, [{ deliveredAt: null }])).toBe("partially_shipped");
    expect(nextFulfilment("shipped", partly, [{ deliveredAt: null }])).toBe("shipped");
    expect(nextFulfilment("delivered", [line("a", { shipped: 2 })], [{ deliveredAt: null }])).toBe("delivered");
    expect(nextFulfilment("delivered", [line("a")], [])).toBe("delivered");
  });

  it("counts what is left to ship per line", () => {
    expect(leftToShip(line("a", { quantity: 3, shipped: 1 }))).toBe(2);
    expect(leftToShip(line("a", { quantity: 3, shipped: 1, returned: 2 }))).toBe(1);
    expect(leftToShip(line("a", { quantity: 3, shipped: 3, returned: 3 }))).toBe(0);
  });
});

describe("tracking links", () => {
  it.each([
    ["UPS", "1Z999AA10123456784", "https://www.ups.com/track?tracknum=1Z999AA10123456784"],
    ["usps", "9400 1000 0000 0000 0000 00", "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400100000000000000000"],
    ["FedEx", "449044304137821", "https://www.fedex.com/fedextrack/?trknbr=449044304137821"],
    [" dhl ", "JD0141234567", "https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id=JD0141234567"],
  ])("%s builds the carrier's page for %s", (carrier, number, url) => {
    expect(trackingUrl(carrier, number)).toBe(url);
  });

  it("is null for a carrier we do not know, and escapes what it puts in the URL", () => {
    expect(trackingUrl("Royal Mail", "AB123")).toBeNull();
    expect(trackingUrl("UPS", "a&b=c")).toBe("https://www.ups.com/track?tracknum=a%26b%3Dc");
  });
});

describe("planning a shipment", () => {
  const order = shippable([line("a", { quantity: 2, shipped: 1 }), line("b", { quantity: 1 })]);

  it("ships the units asked for, normalizing carrier and number", () => {
    expect(
      planShipment(
        order,
        [
          { orderItemId: "a", quantity: 1 },
          { orderItemId: "b", quantity: 0 },
        ],
        " ups ",
        "  1Z 999  AA1 ",
      ),
    ).toEqual({
      ok: true,
      carrier: "UPS",
      trackingNumber: "1Z 999 AA1",
      trackingUrl: "https://www.ups.com/track?tracknum=1Z999AA1",
      items: [{ orderItemId: "a", name: "Item a", options: "", quantity: 1 }],
    });
    expect(planShipment(order, [{ orderItemId: "b", quantity: 1 }], "Royal Mail", "RM-123")).toMatchObject({
      ok: true,
      carrier: "Royal Mail",
      trackingUrl: null,
    });
  });

  it.each<[string, Partial<ShippableOrder>, Array<{ orderItemId: string; quantity: number }>, string, string, string, string | null]>([
    [
      "markup in the tracking number",
      {},
      [{ orderItemId: "b", quantity: 1 }],
      "UPS",
      "<script>alert(1)</script>",
      "invalid_fields",
      "trackingNumber",
    ],
    ["a URL as tracking number", {}, [{ orderItemId: "b", quantity: 1 }], "UPS", "https://evil.test/x", "invalid_fields", "trackingNumber"],
    ["an empty tracking number", {}, [{ orderItemId: "b", quantity: 1 }], "UPS", "   ", "invalid_fields", "trackingNumber"],
    ["a tracking number too long", {}, [{ orderItemId: "b", quantity: 1 }], "UPS", "1".repeat(41), "invalid_fields", "trackingNumber"],
    ["an empty carrier", {}, [{ orderItemId: "b", quantity: 1 }], "", "123", "invalid_fields", "carrier"],
    ["markup in the carrier", {}, [{ orderItemId: "b", quantity: 1 }], "<b>Me</b>", "123", "invalid_fields", "carrier"],
    ["a carrier too long", {}, [{ orderItemId: "b", quantity: 1 }], "C".repeat(41), "123", "invalid_fields", "carrier"],
    ["more than is left to ship", {}, [{ orderItemId: "a", quantity: 2 }], "UPS", "123", "too_many_units", "line:a"],
    ["a line not on the order", {}, [{ orderItemId: "zzz", quantity: 1 }], "UPS", "123", "invalid_input", null],
    ["a fractional quantity", {}, [{ orderItemId: "b", quantity: 0.5 }], "UPS", "123", "invalid_fields", "line:b"],
    ["a negative quantity", {}, [{ orderItemId: "b", quantity: -1 }], "UPS", "123", "invalid_fields", "line:b"],
    ["zero lines", {}, [{ orderItemId: "a", quantity: 0 }], "UPS", "123", "nothing_selected", "lines"],
    ["no lines at all", {}, [], "UPS", "123", "nothing_selected", "lines"],
    ["an unpaid order", { status: "pending" }, [{ orderItemId: "b", quantity: 1 }], "UPS", "123", "not_shippable", null],
    ["a canceled order", { status: "canceled" }, [{ orderItemId: "b", quantity: 1 }], "UPS", "123", "not_shippable", null],
    ["an order refunded in full", { status: "refunded" }, [{ orderItemId: "b", quantity: 1 }], "UPS", "123", "not_shippable", null],
    [
      "a parcel recorded already",
      { trackingNumbers: ["1z-999"] },
      [{ orderItemId: "b", quantity: 1 }],
      "UPS",
      "1Z 999",
      "duplicate_shipment",
      "trackingNumber",
    ],
  ])("refuses %s", (_name, fields, requested, carrier, tracking, code, field) => {
    const refused = planShipment({ ...order, ...fields }, requested, carrier, tracking);
    expect(refused).toMatchObject({ ok: false, code, error: expect.any(String) });
    if (field) expect(refused).toMatchObject({ fieldErrors: { [field]: expect.any(String) } });
  });

  it("says clearly that markup is refused", () => {
    expect(planShipment(order, [{ orderItemId: "b", quantity: 1 }], "UPS", "<script>")).toMatchObject({
      error: expect.stringMatching(/markup/),
    });
  });

  it("refuses an order that has shipped in full", () => {
    const done = shippable([line("a", { shipped: 2 })]);
    expect(planShipment(done, [{ orderItemId: "a", quantity: 1 }], "UPS", "1")).toMatchObject({ ok: false, code: "not_shippable" });
  });
});

describe("planning a return", () => {
  const order: ReturnableOrder = {
    status: "paid",
    currency: "usd",
    pricesIncludeTax: false,
    total: 5500,
    refundedOrPending: 0,
    lines: [line("a", { unitPrice: 1250, quantity: 2 }), line("b", { unitPrice: 3000, quantity: 1 })],
  };

  it.each<[string, Partial<ReturnableOrder>, Array<{ orderItemId: string; quantity: number }>, number]>([
    ["one unit", {}, [{ orderItemId: "a", quantity: 1 }], 1250],
    [
      "several lines",
      {},
      [
        { orderItemId: "a", quantity: 2 },
        { orderItemId: "b", quantity: 1 },
      ],
      5500,
    ],
    [
      "the same line twice, merged",
      {},
      [
        { orderItemId: "a", quantity: 1 },
        { orderItemId: "a", quantity: 1 },
      ],
      2500,
    ],
    [
      "exactly what is left to refund",
      { refundedOrPending: 2500, status: "partially_refunded" },
      [{ orderItemId: "b", quantity: 1 }],
      3000,
    ],
    [
      "the rest of a line partly returned",
      { lines: [line("a", { unitPrice: 1250, quantity: 2, returned: 1 })] },
      [{ orderItemId: "a", quantity: 1 }],
      1250,
    ],
  ])("refunds %s", (_name, fields, requested, amount) => {
    expect(planReturn({ ...order, ...fields }, requested, true)).toMatchObject({ ok: true, amount, restock: true });
  });

  it("keeps the units' value and the lines", () => {
    expect(planReturn({ ...order, refundedOrPending: 3000 }, [{ orderItemId: "a", quantity: 2 }], false)).toEqual({
      ok: true,
      amount: 2500,
      restock: false,
      items: [{ orderItemId: "a", quantity: 2 }],
    });
  });

  it.each<[string, Partial<ReturnableOrder>, Array<{ orderItemId: string; quantity: number }>, string]>([
    ["more units than were bought", {}, [{ orderItemId: "a", quantity: 3 }], "too_many_units"],
    ["units already returned", { lines: [line("a", { quantity: 2, returned: 2 })] }, [{ orderItemId: "a", quantity: 1 }], "too_many_units"],
    [
      "a refund larger than what is left",
      { refundedOrPending: 5500, status: "refunded" },
      [{ orderItemId: "a", quantity: 1 }],
      "amount_too_large",
    ],
    [
      "units worth more than is left to refund (earlier partial refunds)",
      { refundedOrPending: 5000, status: "partially_refunded" },
      [{ orderItemId: "b", quantity: 1 }],
      "amount_too_large",
    ],
    ["nothing selected", {}, [{ orderItemId: "a", quantity: 0 }], "nothing_selected"],
    ["a line not on the order", {}, [{ orderItemId: "x", quantity: 1 }], "invalid_input"],
    ["an unpaid order", { status: "pending" }, [{ orderItemId: "a", quantity: 1 }], "not_returnable"],
    ["a canceled order", { status: "canceled" }, [{ orderItemId: "a", quantity: 1 }], "not_returnable"],
  ])("refuses %s", (_name, fields, requested, code) => {
    expect(planReturn({ ...order, ...fields }, requested, true)).toMatchObject({ ok: false, code, error: expect.any(String) });
  });

  it("says which line asks for too many, and why", () => {
    expect(planReturn(order, [{ orderItemId: "a", quantity: 3 }], true)).toMatchObject({
      error: expect.stringMatching(/more units than were bought/),
      fieldErrors: { "line:a": expect.any(String) },
    });
  });
});

describe("a return refunds what was paid for the units", () => {
  // 3 × 19.99 with 5.99 of the order's discount: 53.98 paid, which 3 does not divide.
  const discounted = line("d", { unitPrice: 1999, quantity: 3, discount: 599 });
  // 3 × 12.50, 3.75 off, then 7.25% tax on the 33.75 left: 2.45, so 36.20 paid when tax is added.
  const taxed = line("t", { unitPrice: 1250, quantity: 3, discount: 375, tax: 245 });
  const order = (lines: FulfilmentLine[], fields: Partial<ReturnableOrder> = {}): ReturnableOrder => ({
    status: "paid",
    currency: "usd",
    pricesIncludeTax: false,
    total: 20000,
    refundedOrPending: 0,
    lines,
    ...fields,
  });
  /** Plans each return in turn, counting the units of the earlier ones as returned; their refunds. */
  function returnInParts(first: FulfilmentLine, parts: number[], fields: Partial<ReturnableOrder> = {}): number[] {
    let current = first;
    return parts.map((quantity) => {
      const plan = planReturn(order([current], fields), [{ orderItemId: current.orderItemId, quantity }], true);
      if (!plan.ok) throw new Error(plan.error);
      current = { ...current, returned: current.returned + quantity };
      return plan.amount;
    });
  }

  it.each<[string, FulfilmentLine, Partial<ReturnableOrder>, number[], number[]]>([
    ["a discounted line, 1 then 2 units", discounted, {}, [1, 2], [1799, 3599]],
    ["a discounted line, 2 then 1 units", discounted, {}, [2, 1], [3598, 1800]],
    [
      "a discounted line whose prices include tax (the tax is inside)",
      { ...discounted, tax: 862 },
      { pricesIncludeTax: true },
      [1, 2],
      [1799, 3599],
    ],
    ["a taxed line, 2 then 1 units: the tax is refunded too", taxed, {}, [2, 1], [2413, 1207]],
    ["a taxed line, 1 then 2 units", taxed, {}, [1, 2], [1206, 2414]],
    ["the same line with the tax in its prices", taxed, { pricesIncludeTax: true }, [2, 1], [2250, 1125]],
  ])("%s: the parts add up to exactly what was paid", (_name, first, fields, parts, refunds) => {
    const amounts = returnInParts(first, parts, fields);
    expect(amounts).toEqual(refunds);
    const paid = first.unitPrice * first.quantity - first.discount + (fields.pricesIncludeTax ? 0 : first.tax);
    expect(amounts.reduce((n, a) => n + a, 0)).toBe(paid);
  });

  it("adds up however the units come back, each part within a cent of its share", () => {
    // 7 × 1.43 − 0.02 + 0.03 = 10.02 paid, which 7 does not divide.
    const seven = line("s", { unitPrice: 143, quantity: 7, discount: 2, tax: 3 });
    for (const parts of [[7], [1, 1, 1, 1, 1, 1, 1], [3, 4], [4, 3], [2, 2, 3], [1, 5, 1]]) {
      const amounts = returnInParts(seven, parts);
      expect(
        amounts.reduce((n, a) => n + a, 0),
        parts.join("+"),
      ).toBe(1002);
      parts.forEach((units, i) => expect(Math.abs(amounts[i]! - (1002 * units) / 7)).toBeLessThan(1));
    }
  });

  it("an old line (no discount or tax) refunds unit price × units, as before", () => {
    expect(returnValue(line("o", { unitPrice: 1250, quantity: 4, returned: 1 }), 2, false)).toBe(2500);
  });

  it("refuses a return worth more than is left, with the amount it would refund", () => {
    expect(planReturn(order([taxed], { total: 3620, refundedOrPending: 2500 }), [{ orderItemId: "t", quantity: 2 }], true)).toMatchObject({
      ok: false,
      code: "amount_too_large",
      error: "The refund of $24.13 is larger than what is left to refund on this order ($11.20)",
    });
  });
});
