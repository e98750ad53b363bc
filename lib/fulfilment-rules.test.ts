import { describe, expect, it } from "vitest";
import {
  fulfilmentOf,
  leftToShip,
  nextFulfilment,
  planReturn,
  planShipment,
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
