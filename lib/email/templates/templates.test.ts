import { describe, expect, it } from "vitest";
import { escapeHtml, html, linkableUrl } from "./html";
import { renderEmail as renderEmailAsIs, type EmailInput, type OrderForEmail } from "./index";

const SHOP = "Tidewater Goods";
const STATUS_URL = "https://shop.example/orders/SF-7K3Q9D?token=s3cr3t&v=1";
const ADMIN_URL = "https://shop.example/admin/orders/SF-7K3Q9D";

type Currency = "usd" | "jpy" | "kwd";

// Amounts per currency in minor units, and how the emails must write them. usd and jpy are taxed orders (one
// rate each); kwd is an order from before taxes (no tax lines, tax 0), which shows no tax row at all.
const PRICES: Record<
  Currency,
  { shirt: number; mug: number; shipping: number; tax: number; taxLines: OrderForEmail["totals"]["taxLines"] }
> = {
  usd: { shirt: 2500, mug: 1200, shipping: 500, tax: 496, taxLines: [{ name: "Sales tax", rate: 800, amount: 496 }] },
  jpy: { shirt: 3000, mug: 1500, shipping: 800, tax: 750, taxLines: [{ name: "Consumption tax", rate: 1000, amount: 750 }] },
  kwd: { shirt: 7500, mug: 2250, shipping: 1500, tax: 0, taxLines: [] },
};
const NBSP = "\u00a0";
const WRITTEN: Record<Currency, { shirtLine: string; subtotal: string; shipping: string; tax: [string, string] | null; total: string }> = {
  usd: { shirtLine: "$50.00", subtotal: "$62.00", shipping: "$5.00", tax: ["Sales tax (8%)", "$4.96"], total: "$71.96" },
  jpy: { shirtLine: "¥6,000", subtotal: "¥7,500", shipping: "¥800", tax: ["Consumption tax (10%)", "¥750"], total: "¥9,050" },
  kwd: {
    shirtLine: `KWD${NBSP}15.000`,
    subtotal: `KWD${NBSP}17.250`,
    shipping: `KWD${NBSP}1.500`,
    tax: null,
    total: `KWD${NBSP}18.750`,
  },
};

/** The order with some of its totals changed. */
const withTotals = (order: OrderForEmail, totals: Partial<OrderForEmail["totals"]>): OrderForEmail => ({
  ...order,
  totals: { ...order.totals, ...totals },
});

function makeOrder(currency: Currency = "usd", overrides: Partial<OrderForEmail> = {}): OrderForEmail {
  const p = PRICES[currency];
  const subtotal = p.shirt * 2 + p.mug;
  return {
    number: "SF-7K3Q9D",
    email: "jane@example.com",
    currency,
    items: [
      { name: "Linen shirt", options: "Size: M, Colour: Navy", quantity: 2, unitPrice: p.shirt },
      { name: "Enamel mug", options: "", quantity: 1, unitPrice: p.mug },
    ],
    totals: {
      currency,
      pricesIncludeTax: false,
      subtotal,
      discount: 0,
      discountCode: null,
      shippingName: "Standard",
      shippingCost: p.shipping,
      tax: p.tax,
      taxLines: p.taxLines,
      total: subtotal + p.shipping + p.tax,
    },
    amountRefunded: 0,
    shipping: {
      name: "Jane Doe",
      line1: "12 Harbour Road",
      line2: "Flat 3",
      city: "Portland",
      state: "OR",
      postalCode: "97201",
      country: "US",
    },
    statusUrl: STATUS_URL,
    ...overrides,
  };
}

const shipment = (overrides: Partial<Extract<EmailInput, { kind: "order_shipped" }>["shipment"]> = {}) => ({
  carrier: "UPS",
  trackingNumber: "1Z999AA10123456784",
  trackingUrl: "https://track.example/1Z999AA10123456784",
  items: [{ name: "Linen shirt", options: "Size: M, Colour: Navy", quantity: 2 }],
  ...overrides,
});

// One input of every kind; the mapped type makes a new kind fail to compile until it is added here.
const INPUTS: { [K in EmailInput["kind"]]: (order: OrderForEmail) => Extract<EmailInput, { kind: K }> } = {
  order_confirmed: (order) => ({ kind: "order_confirmed", order }),
  payment_processing: (order) => ({ kind: "payment_processing", order }),
  payment_failed: (order) => ({
    kind: "payment_failed",
    order,
    reason: "Your bank declined the debit.",
    retryUrl: "https://shop.example/checkout/retry",
  }),
  order_shipped: (order) => ({ kind: "order_shipped", order, shipment: shipment() }),
  order_refunded: (order) => ({ kind: "order_refunded", order: { ...order, amountRefunded: 2000 }, amount: 1250, full: false }),
  order_canceled: (order) => ({ kind: "order_canceled", order }),
  order_link: (order) => ({ kind: "order_link", order }),
  staff_new_order: (order) => ({ kind: "staff_new_order", order, adminUrl: ADMIN_URL }),
  staff_dispute_opened: (order) => ({
    kind: "staff_dispute_opened",
    orderNumber: order.number,
    dispute: {
      id: "dp_123",
      amount: order.totals.total,
      currency: order.currency,
      reason: "product_not_received",
      evidenceDueBy: new Date("2026-12-07T23:59:59Z"),
    },
    adminUrl: ADMIN_URL,
  }),
  staff_low_stock: () => ({
    kind: "staff_low_stock",
    variants: [
      { name: "Linen shirt (Size: M, Colour: Navy)", sku: "LIN-M-NVY", stock: 2, threshold: 5 },
      { name: "Enamel mug", sku: "MUG-01", stock: 0, threshold: 3 },
    ],
    adminUrl: "https://shop.example/admin/products",
  }),
  staff_delivery_failed: (order) => ({
    kind: "staff_delivery_failed",
    failed: {
      to: order.email,
      subject: `Order ${order.number} confirmed — ${SHOP}`,
      lastError: "421 Service not available",
      orderNumber: order.number,
    },
    adminUrl: ADMIN_URL,
  }),
};

const KINDS = Object.keys(INPUTS) as Array<EmailInput["kind"]>;
const SHOPPER_KINDS = KINDS.filter((kind) => !kind.startsWith("staff_"));
type StaffKind = Extract<EmailInput["kind"], `staff_${string}`>;
const STAFF_KINDS = KINDS.filter((kind): kind is StaffKind => kind.startsWith("staff_"));
/** Kinds that show the order's items and totals. */
const ORDER_KINDS = [...SHOPPER_KINDS, "staff_new_order" as const];

const render = (kind: EmailInput["kind"], order = makeOrder()) => renderEmail(INPUTS[kind](order));
const hrefs = (markup: string) => [...markup.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);

/** The HTML with whitespace runs collapsed and none next to a tag's brackets, since Prettier formats html`…` templates. */
const flat = (markup: string) => markup.replace(/\s+/g, " ").replace(/ ?([<>]) ?/g, "$1");
function renderEmail(...args: Parameters<typeof renderEmailAsIs>) {
  const content = renderEmailAsIs(...args);
  return { ...content, html: flat(content.html) };
}

describe("subjects", () => {
  const expected: Record<EmailInput["kind"], string> = {
    order_confirmed: "Order SF-7K3Q9D confirmed — Tidewater Goods",
    payment_processing: "Payment processing for order SF-7K3Q9D — Tidewater Goods",
    payment_failed: "Payment failed for order SF-7K3Q9D — Tidewater Goods",
    order_shipped: "Order SF-7K3Q9D has shipped — Tidewater Goods",
    order_refunded: "Refund of $12.50 for order SF-7K3Q9D — Tidewater Goods",
    order_canceled: "Order SF-7K3Q9D canceled — Tidewater Goods",
    order_link: "Your link to order SF-7K3Q9D — Tidewater Goods",
    staff_new_order: "[Tidewater Goods] New order SF-7K3Q9D ($71.96)",
    staff_dispute_opened: "[Tidewater Goods] Dispute opened on order SF-7K3Q9D — evidence due Dec 7, 2026",
    staff_low_stock: "[Tidewater Goods] Low stock: 2 variants",
    staff_delivery_failed: "[Tidewater Goods] Email delivery failed: Order SF-7K3Q9D confirmed — Tidewater Goods",
  };

  it.each(KINDS)("%s: names the shop and the order, on one line without markup", (kind) => {
    const { subject } = render(kind);
    expect(subject).toBe(expected[kind]);
    expect(subject).toContain(SHOP);
    if (kind !== "staff_low_stock") expect(subject).toContain("SF-7K3Q9D");
    expect(subject).not.toMatch(/[<>\r\n]/);
  });

  it("uses the shop name it is given instead of SITE_NAME", () => {
    const { subject, html, text } = renderEmail(INPUTS.order_confirmed(makeOrder()), { name: "Harbour & Co" });
    expect(subject).toBe("Order SF-7K3Q9D confirmed — Harbour & Co");
    expect(html).toContain("Harbour &amp; Co");
    expect(text.startsWith("Harbour & Co\n")).toBe(true);
  });

  it("formats the refund and the new order's total in the order's currency", () => {
    expect(renderEmail({ kind: "order_refunded", order: makeOrder("jpy"), amount: 1500, full: false }).subject).toBe(
      "Refund of ¥1,500 for order SF-7K3Q9D — Tidewater Goods",
    );
    expect(render("staff_new_order", makeOrder("kwd")).subject).toBe(`[Tidewater Goods] New order SF-7K3Q9D (KWD${NBSP}18.750)`);
  });

  it("keeps a failed email's subject on one line and names its order when that subject does not", () => {
    const { subject } = renderEmail({
      kind: "staff_delivery_failed",
      failed: { to: "jane@example.com", subject: "Hello\r\nBcc: victim@example.com", lastError: "timeout", orderNumber: "SF-7K3Q9D" },
      adminUrl: ADMIN_URL,
    });
    expect(subject).toBe("[Tidewater Goods] Email delivery failed: Hello Bcc: victim@example.com (order SF-7K3Q9D)");
  });
});

describe("HTML part", () => {
  it.each(KINDS)("%s: a complete document with inline styles and nothing external", (kind) => {
    const { html: markup, subject } = render(kind);
    expect(markup.startsWith('<!doctype html><html lang="en">')).toBe(true);
    expect(markup.trimEnd().endsWith("</html>")).toBe(true);
    expect(markup).toContain(`<title>${escapeHtml(subject)}</title>`);
    expect(markup).toMatch(/<table role="presentation"/);
    expect(markup).not.toMatch(/<(script|style|link|img|iframe|form)\b|\ssrc=|@import|url\(/i);
    expect(markup).toContain(`>${SHOP}</td>`);
    for (const href of hrefs(markup)) expect(href).toMatch(/^https:\/\//);
  });

  it.each(SHOPPER_KINDS)("%s: greets the shopper and links to the order's status page", (kind) => {
    const { html: markup } = render(kind);
    expect(markup).toContain("Hi Jane Doe,");
    expect(hrefs(markup)).toContain(escapeHtml(STATUS_URL));
    expect(markup).toContain(">View your order</a>");
  });

  it.each(STAFF_KINDS)("%s: links to the admin and not to the shopper's private status link", (kind) => {
    const { html: markup } = render(kind);
    const input = INPUTS[kind](makeOrder());
    expect(hrefs(markup)).toContain(input.adminUrl);
    expect(markup).not.toContain("token=s3cr3t");
  });

  it.each(ORDER_KINDS)("%s: lists each item with its options, quantity and line total, and the full address", (kind) => {
    const { html: markup } = render(kind);
    expect(markup).toContain("<strong>Linen shirt</strong>");
    expect(markup).toContain("Size: M, Colour: Navy");
    expect(markup).toContain("× 2");
    expect(markup).toContain(">$50.00</td>");
    expect(markup).toContain("<strong>Enamel mug</strong>");
    for (const part of ["Jane Doe", "12 Harbour Road", "Flat 3", "Portland, OR 97201", "United States"]) expect(markup).toContain(part);
  });

  it("payment_failed: the main action is Try again, with the reason", () => {
    const { html: markup } = render("payment_failed");
    expect(markup).toMatch(/<a href="https:\/\/shop\.example\/checkout\/retry"[^>]*>Try again<\/a>/);
    expect(markup).toContain("Your bank declined the debit.");
  });

  it("order_shipped: links the tracking page, and shows the tracking number as text without one", () => {
    const tracked = render("order_shipped").html;
    expect(tracked).toMatch(/<a href="https:\/\/track\.example\/1Z999AA10123456784"[^>]*>Track your parcel<\/a>/);
    expect(tracked).toContain("1Z999AA10123456784");
    expect(tracked).toContain("In this parcel");

    const untracked = renderEmail({ kind: "order_shipped", order: makeOrder(), shipment: shipment({ trackingUrl: null }) }).html;
    expect(untracked).not.toContain("Track your parcel");
    expect(untracked).toContain("1Z999AA10123456784");
    expect(hrefs(untracked)).toEqual([escapeHtml(STATUS_URL)]);
  });

  it.each([
    "javascript:alert(document.cookie)",
    " JavaScript:alert(1)",
    "data:text/html,<b>x</b>",
    "/relative/track",
    "vbscript:msgbox(1)",
  ])("does not link a tracking URL %j, and shows it as escaped text", (trackingUrl) => {
    const { html: markup, text } = renderEmail({ kind: "order_shipped", order: makeOrder(), shipment: shipment({ trackingUrl }) });
    expect(hrefs(markup)).toEqual([escapeHtml(STATUS_URL)]);
    expect(markup).not.toMatch(/href="\s*(javascript|data|vbscript):/i);
    expect(markup).toContain(flat(`Track your parcel: ${escapeHtml(trackingUrl)}`));
    expect(text).toContain(trackingUrl);
  });

  it("does not link a retry URL that is not http(s)", () => {
    const { html: markup } = renderEmail({ kind: "payment_failed", order: makeOrder(), reason: "declined", retryUrl: "javascript:pay()" });
    expect(markup).not.toContain('href="javascript:');
    expect(markup).toContain("Try again: javascript:pay()");
  });
});

describe("escaping what staff and shoppers typed", () => {
  const nasty = makeOrder("usd", {
    items: [{ name: '<b>Fish & "Chips"</b>', options: "Size: <XL>, Cut: 'slim'", quantity: 1, unitPrice: 6200 }],
    shipping: {
      name: "O'Brien & <Sons>",
      line1: '1 <script>alert("x")</script> St',
      line2: null,
      city: "Cork",
      state: null,
      postalCode: "T12 & 4",
      country: "IE",
    },
  });
  const shipped = renderEmail({
    kind: "order_shipped",
    order: nasty,
    shipment: shipment({ carrier: "A&B <Freight>", trackingNumber: '<img src=x onerror="alert(1)">', trackingUrl: null }),
  });

  it("escapes product names, options, addresses, carrier and tracking number in HTML", () => {
    const markup = shipped.html;
    expect(markup).toContain("&lt;b&gt;Fish &amp; &quot;Chips&quot;&lt;/b&gt;");
    expect(markup).toContain("Size: &lt;XL&gt;, Cut: &#39;slim&#39;");
    expect(markup).toContain("Hi O&#39;Brien &amp; &lt;Sons&gt;,");
    expect(markup).toContain("1 &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; St");
    expect(markup).toContain("Cork T12 &amp; 4");
    expect(markup).toContain("A&amp;B &lt;Freight&gt;");
    expect(markup).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(markup).not.toMatch(/<b>|<script|<img|<Sons>|<Freight>/);
  });

  it("keeps them as typed in the text part", () => {
    const { text } = shipped;
    expect(text).toContain("<b>Fish & \"Chips\"</b> (Size: <XL>, Cut: 'slim')");
    expect(text).toContain("Hi O'Brien & <Sons>,");
    expect(text).toContain('1 <script>alert("x")</script> St');
    expect(text).toContain("A&B <Freight>");
    expect(text).toContain('<img src=x onerror="alert(1)">');
    expect(text).not.toContain("&amp;");
  });

  it("escapes the staff emails' values too", () => {
    const lowStock = renderEmail({
      kind: "staff_low_stock",
      variants: [{ name: "Mug <Large>", sku: "M&L", stock: 1, threshold: 2 }],
      adminUrl: "https://shop.example/admin?a=1&b=2",
    });
    expect(lowStock.subject).toBe("[Tidewater Goods] Low stock: 1 variant");
    expect(lowStock.html).toContain("Mug &lt;Large&gt;");
    expect(lowStock.html).toContain(">M&amp;L</td>");
    expect(lowStock.html).toContain('href="https://shop.example/admin?a=1&amp;b=2"');
    expect(lowStock.text).toContain("https://shop.example/admin?a=1&b=2");

    const failed = renderEmail({
      kind: "staff_delivery_failed",
      failed: { to: "a@example.com", subject: "<Hi>", lastError: "550 <no such user> & gone", orderNumber: null },
      adminUrl: ADMIN_URL,
    });
    expect(failed.html).toContain("550 &lt;no such user&gt; &amp; gone");
    expect(failed.html).toContain("<title>[Tidewater Goods] Email delivery failed: &lt;Hi&gt;</title>");
  });
});

describe("plain-text part", () => {
  describe.each(["usd", "jpy", "kwd"] as const)("in %s", (currency) => {
    const written = WRITTEN[currency];

    it.each(ORDER_KINDS)("%s: shows the totals formatted for the currency, aligned", (kind) => {
      const { text } = render(kind, makeOrder(currency));
      const lines = text.split("\n");
      const line = (start: RegExp) => {
        const found = lines.find((l) => start.test(l));
        expect(found, `a line matching ${start}`).toBeDefined();
        return found ?? "";
      };
      const shirt = line(/^ {2}2 × Linen shirt \(Size: M, Colour: Navy\) +/);
      const subtotal = line(/^ {2}Subtotal +/);
      const total = line(/^ {2}Total +/);
      expect(shirt.endsWith(` ${written.shirtLine}`)).toBe(true);
      expect(subtotal.endsWith(` ${written.subtotal}`)).toBe(true);
      expect(line(/^ {2}Shipping: Standard +/).endsWith(` ${written.shipping}`)).toBe(true);
      if (written.tax) expect(lines.find((l) => l.startsWith(`  ${written.tax?.[0]}   `))?.endsWith(` ${written.tax[1]}`)).toBe(true);
      else expect(text).not.toMatch(/^ {2}(Tax|Includes)\b/m);
      expect(text).not.toMatch(/^ {2}Discount\b/m);
      expect(total.endsWith(` ${written.total}`)).toBe(true);
      // Amounts end in one column.
      expect(new Set([shirt.length, subtotal.length, total.length, line(/^ {2}1 × Enamel mug +/).length]).size).toBe(1);
    });
  });

  it.each(SHOPPER_KINDS)("%s: has the status link as a bare URL on its own line", (kind) => {
    const { text } = render(kind);
    expect(text.split("\n")).toContain(STATUS_URL);
    expect(text).not.toMatch(/<[a-z]/i);
  });

  it.each(STAFF_KINDS)("%s: has the admin link as a bare URL", (kind) => {
    const input = INPUTS[kind](makeOrder());
    expect(renderEmail(input).text.split("\n")).toContain(input.adminUrl);
  });

  it("lists the shipping address line by line", () => {
    const { text } = render("order_confirmed");
    expect(text).toContain("Shipping to\n  Jane Doe\n  12 Harbour Road\n  Flat 3\n  Portland, OR 97201\n  United States\n");
  });

  it("lists low stock in columns", () => {
    const { text } = render("staff_low_stock");
    expect(text).toContain(
      [
        "  Variant                               SKU         In stock   Threshold",
        "  Linen shirt (Size: M, Colour: Navy)   LIN-M-NVY          2           5",
        "  Enamel mug                            MUG-01             0           3",
      ].join("\n"),
    );
  });
});

describe("the totals rows (lib/pricing/receipt.ts)", () => {
  // 10% off with a code, then two tax rates on what is left: 6200 − 620 + 500 + 349 + 70 = 6499.
  const discounted = withTotals(makeOrder("usd"), {
    discount: 620,
    discountCode: "WELCOME10",
    tax: 419,
    taxLines: [
      { name: "State tax", rate: 625, amount: 349 },
      { name: "County tax", rate: 125, amount: 70 },
    ],
    total: 6499,
  });
  // Prices with VAT in them: the VAT is shown after the total, and not added to it.
  const inclusive = withTotals(makeOrder("usd"), {
    pricesIncludeTax: true,
    discount: 500,
    discountCode: "SUMMER",
    tax: 1067,
    taxLines: [
      { name: "VAT", rate: 1900, amount: 955 },
      { name: "VAT reduced", rate: 700, amount: 112 },
    ],
    total: 6200,
  });
  /** The text part's totals: [label, amount] per line after the rule under the items, refunds left out. */
  const textTotals = (text: string, withRefunds = false) => {
    const lines = text.split("\n");
    const rule = lines.findIndex((l) => /^ {2}-+$/.test(l));
    const end = lines.indexOf("", rule);
    const rows = lines.slice(rule + 1, end).map((l) => l.trim().split(/ {3,}/));
    return rows.filter(([label]) => withRefunds || label !== "Refunded so far");
  };
  /** The HTML part's totals: label, amount and style of each row after the items, refunds left out. */
  const htmlTotals = (markup: string) =>
    [...markup.matchAll(/<td colspan="2" align="right" style="([^"]*)">([^<]*)<\/td><td align="right"[^>]*>([^<]*)<\/td>/g)]
      .map(([, style = "", label, amount]) => [
        label,
        amount,
        style.includes("color: #52606d") ? "muted" : style.includes("bold") ? "bold" : "",
      ])
      .filter(([label]) => label !== "Refunded so far");

  it.each(ORDER_KINDS)("%s: a code's discount and each tax rate, added to the total, in both parts", (kind) => {
    const { html: markup, text } = render(kind, discounted);
    const rows = [
      ["Subtotal", "$62.00"],
      ["Discount (WELCOME10)", "-$6.20"],
      ["Shipping: Standard", "$5.00"],
      ["State tax (6.25%)", "$3.49"],
      ["County tax (1.25%)", "$0.70"],
      ["Total", "$64.99"],
    ];
    expect(textTotals(text)).toEqual(rows);
    expect(htmlTotals(markup)).toEqual(rows.map(([label, amount]) => [label, amount, label === "Total" ? "bold" : ""]));
  });

  it.each(ORDER_KINDS)("%s: taxes the prices include come after the total, muted in HTML", (kind) => {
    const { html: markup, text } = render(kind, inclusive);
    const rows = [
      ["Subtotal", "$62.00"],
      ["Discount (SUMMER)", "-$5.00"],
      ["Shipping: Standard", "$5.00"],
      ["Total", "$62.00"],
      ["Includes VAT (19%)", "$9.55"],
      ["Includes VAT reduced (7%)", "$1.12"],
    ];
    expect(textTotals(text)).toEqual(rows);
    expect(htmlTotals(markup)).toEqual(
      rows.map(([label, amount]) => [label, amount, label === "Total" ? "bold" : label?.startsWith("Includes") ? "muted" : ""]),
    );
  });

  it("an order from before discounts and taxes shows neither", () => {
    const { html: markup, text } = render("order_confirmed", makeOrder("kwd"));
    expect(textTotals(text).map(([label]) => label)).toEqual(["Subtotal", "Shipping: Standard", "Total"]);
    expect(htmlTotals(markup).map(([label]) => label)).toEqual(["Subtotal", "Shipping: Standard", "Total"]);
  });

  it("escapes a code in HTML and keeps it as typed in text", () => {
    const { html: markup, text } = render("order_confirmed", withTotals(discounted, { discountCode: "<B&Q>" }));
    expect(markup).toContain(">Discount (&lt;B&amp;Q&gt;)</td>");
    expect(text).toMatch(/^ {2}Discount \(<B&Q>\) +-\$6\.20$/m);
  });

  it("refunds so far follow the totals", () => {
    const { text } = renderEmail({ kind: "order_refunded", order: { ...discounted, amountRefunded: 1000 }, amount: 1000, full: false });
    expect(textTotals(text, true).slice(-2)).toEqual([
      ["Total", "$64.99"],
      ["Refunded so far", "$10.00"],
    ]);
  });
});

describe("refunds", () => {
  it("a partial refund says so, with the amount so far out of the total", () => {
    const { html: markup, text } = renderEmail({
      kind: "order_refunded",
      order: makeOrder("usd", { amountRefunded: 2000 }),
      amount: 1250,
      full: false,
    });
    expect(text).toContain("We've made a partial refund of $12.50 on order SF-7K3Q9D. In all, $20.00 of $71.96 has been refunded.");
    expect(text).not.toContain("in full");
    expect(text).toMatch(/^ {2}Refunded so far +\$20\.00$/m);
    expect(markup).toContain("partial refund of $12.50");
  });

  it("a full refund says the order is refunded in full", () => {
    const order = makeOrder("kwd", { amountRefunded: 18750 });
    const { subject, text } = renderEmail({ kind: "order_refunded", order, amount: 18750, full: true });
    expect(subject).toBe(`Refund of KWD${NBSP}18.750 for order SF-7K3Q9D — Tidewater Goods`);
    expect(text).toContain(`Order SF-7K3Q9D has been refunded in full: we've refunded KWD${NBSP}18.750.`);
    expect(text).not.toContain("partial");
  });

  it("a canceled order mentions a refund only when there was one", () => {
    expect(render("order_canceled").text).not.toContain("refunded");
    expect(render("order_canceled", makeOrder("jpy", { amountRefunded: 9050 })).text).toContain("We've refunded ¥9,050.");
  });
});

describe("disputes", () => {
  const dispute = (evidenceDueBy: Date | null, orderNumber: string | null = "SF-7K3Q9D") =>
    renderEmail({
      kind: "staff_dispute_opened",
      orderNumber,
      dispute: { id: "dp_1", amount: 150000, currency: "jpy", reason: "fraudulent", evidenceDueBy },
      adminUrl: ADMIN_URL,
    });

  it("gives the evidence deadline as its UTC day, in the subject and both parts", () => {
    const { subject, html: markup, text } = dispute(new Date("2026-12-07T23:59:59Z"));
    expect(subject).toContain("evidence due Dec 7, 2026");
    expect(markup).toContain("Submit evidence by Dec 7, 2026 (UTC)");
    expect(text).toMatch(/^Evidence due: +Dec 7, 2026$/m);
    expect(text).toContain("A customer has disputed ¥150,000 on order SF-7K3Q9D");
  });

  it("reads well without a deadline or an order", () => {
    const { subject, text } = dispute(null, null);
    expect(subject).toBe("[Tidewater Goods] Dispute opened on a payment");
    expect(text).toContain("No deadline for evidence was given");
  });
});

describe("html helper", () => {
  it("escapes interpolated values and keeps nested fragments", () => {
    const name = `<a href="x">'Tom' & Jerry</a>`;
    const inner = html`<em>${name}</em>`;
    expect(html`<p title="${name}">${inner}</p>`.toString()).toBe(
      `<p title="&lt;a href=&quot;x&quot;&gt;&#39;Tom&#39; &amp; Jerry&lt;/a&gt;"><em>&lt;a href=&quot;x&quot;&gt;&#39;Tom&#39; &amp; Jerry&lt;/a&gt;</em></p>`,
    );
  });

  it("joins arrays of fragments and leaves out null, undefined and false", () => {
    expect(
      html`<ul>
        ${["a", "<b>"].map((x) => html`<li>${x}</li>`)}${null}${undefined}${false}${0}
      </ul>`.toString(),
    ).toMatch(/^<ul>\s*<li>a<\/li><li>&lt;b&gt;<\/li>0\s*<\/ul>$/);
  });

  it("does not take an object that merely looks like a fragment", () => {
    const forged = { toString: () => "<script>" } as unknown as ReturnType<typeof html>;
    expect(html`${forged}`.toString()).toBe("&lt;script&gt;");
  });

  it("links only absolute http(s) URLs", () => {
    expect(linkableUrl("https://a.example/x?y=1")).toBe("https://a.example/x?y=1");
    expect(linkableUrl("HTTP://a.example")).toBe("HTTP://a.example");
    for (const url of [
      "javascript:alert(1)",
      "data:text/html,x",
      "//a.example",
      "/x",
      "mailto:a@example.com",
      "https://",
      "https://a b.example",
    ]) {
      expect(linkableUrl(url)).toBeNull();
    }
  });
});
