import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test } from "./support/test";
import { callAction, type CookieJar } from "./support/actions";
import { defaultVariant } from "./support/db";

// What a hostile or curious client can see and send: headers, secrets in what the browser receives,
// and Server Actions called directly with tampered payloads.

const PAGES = ["/", "/categories/kitchen", "/products/stoneware-mug", "/search?q=mug", "/cart", "/checkout", "/admin/sign-in"];

/** Stripe.js's origin, and how the CSP names it: a sandbox on this machine on any port (security-headers.mjs). */
function stripeSources(): { origin: string; csp: string } {
  if (!process.env.STRIPE_JS_URL) return { origin: "https://js.stripe.com", csp: "https://js.stripe.com" };
  const url = new URL(process.env.STRIPE_JS_URL);
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  return { origin: url.origin, csp: loopback ? `${url.protocol}//${url.hostname}:*` : url.origin };
}

test("every page carries the security headers, with a CSP that allows only us and Stripe", async ({ request }) => {
  const { origin: stripeOrigin, csp: stripeSource } = stripeSources();
  for (const page of PAGES) {
    const response = await request.get(page);
    expect(response.status(), page).toBeLessThan(400);
    const headers = response.headers();
    const csp = headers["content-security-policy"] ?? "";
    expect(csp, page).toContain("default-src 'self'");
    expect(csp, page).toContain("frame-ancestors 'none'");
    expect(csp, page).toContain("object-src 'none'");
    expect(csp.split("; "), page).toContain(`script-src 'self' 'unsafe-inline' ${stripeSource}`);
    expect(csp.split("; "), page).toContain(`frame-src ${stripeSource}`);
    expect(csp, page).not.toMatch(/(^|\s)\*(\s|;|$)/);
    // A sandbox on this machine may have restarted on another port since the build (security-headers.mjs).
    const payment = stripeSource.endsWith(":*")
      ? `${stripeSource.slice(0, -2).replaceAll(".", "\\.")}:\\d+`
      : stripeOrigin.replaceAll(".", "\\.");
    expect(headers["permissions-policy"], page).toMatch(new RegExp(`payment=\\(self "${payment}"\\)`));
    expectConstantHeaders(headers, page);
  }
});

// The constant headers come with every response; the page-only policies stay off files and route handlers
// (security-headers.mjs).
test("files and route handlers carry the constant headers but not the page policies", async ({ request }) => {
  for (const [url, init] of [
    ["/robots.txt", {}],
    ["/icon.svg", {}],
    ["/api/cart", {}],
    ["/api/webhooks/stripe", { method: "POST", data: "{}" }],
  ] as const) {
    const response = await request.fetch(url, init);
    const headers = response.headers();
    expect(headers["content-security-policy"], url).toBeUndefined();
    expectConstantHeaders(headers, url);
  }
});

test("another site's page cannot open a cart for the shopper", async ({ request }) => {
  const refused = await request.post("/api/cart", { headers: { Origin: "https://attacker.example" } });
  expect(refused.status()).toBe(403);
  expect(refused.headersArray().filter(({ name }) => name.toLowerCase() === "set-cookie")).toEqual([]);
});

function expectConstantHeaders(headers: Record<string, string>, url: string) {
  expect(headers["x-content-type-options"], url).toBe("nosniff");
  expect(headers["referrer-policy"], url).toBe("strict-origin-when-cross-origin");
  expect(headers["x-frame-options"], url).toBe("DENY");
  // The suite runs against a production build, which sends HSTS.
  expect(headers["strict-transport-security"], url).toMatch(/max-age=\d{8}/);
}

function secretsOfThisRun(): string[] {
  return [
    process.env.STRIPE_SECRET_KEY,
    process.env.STRIPE_WEBHOOK_SECRET,
    process.env.DATABASE_URL,
    process.env.ADMIN_PASSWORD_HASH,
    process.env.E2E_ADMIN_PASSWORD,
  ].filter((value): value is string => Boolean(value));
}
const SECRET_SHAPES = [
  /sk_(test|live)_[A-Za-z0-9]{6,}/,
  /rk_(test|live)_[A-Za-z0-9]{6,}/,
  /whsec_[A-Za-z0-9]{6,}/,
  /postgres(ql)?:\/\/[^"'\s]*@/,
];

function leaks(text: string): string[] {
  const found = secretsOfThisRun()
    .filter((secret) => text.includes(secret))
    .map(() => "a secret of this run");
  for (const shape of SECRET_SHAPES) if (shape.test(text)) found.push(String(shape));
  return found;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

test("no secret reaches the browser: client assets and server-rendered HTML are clean", async ({ page, request }) => {
  expect(secretsOfThisRun().length).toBeGreaterThanOrEqual(4);
  const staticDir = path.join(process.env.NEXT_DIST_DIR ?? ".next", "static");
  const assets = filesUnder(staticDir).filter((file) => /\.(js|css|json|txt|html)$/.test(file));
  expect(assets.length).toBeGreaterThan(10);
  for (const file of assets) expect(leaks(readFileSync(file, "utf8")), file).toEqual([]);

  // Pages as a shopper gets them, including checkout with a cart and the payment step's data.
  await page.goto("/products/washi-tape-set");
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(page.getByRole("status")).toContainText("Added to cart");
  for (const url of PAGES) {
    const html = await (await page.request.get(url)).text();
    expect(leaks(html), url).toEqual([]);
    for (const src of html.matchAll(/<script[^>]+src="([^"]+)"/g)) {
      const script = await request.get(new URL(src[1]!, process.env.E2E_BASE_URL ?? "http://localhost:3000").toString());
      expect(leaks(await script.text()), src[1]).toEqual([]);
    }
  }
});

type CartResult = {
  ok: boolean;
  code?: string;
  error?: string;
  cart?: { subtotal: number; itemCount: number; lines: Array<{ unitPrice: number }> };
};

test("server actions called directly with tampered input are refused and change nothing", async ({ request }) => {
  const product = await defaultVariant("dot-grid-notebook");
  const jar: CookieJar = new Map();
  // Actions are posted to a page that uses them, as the browser does.
  const add = async (input: unknown) =>
    (await callAction(request, "addToCart", [input], "/products/dot-grid-notebook", jar)).result as CartResult;

  const first = await add({ variantId: product.id, quantity: 1 });
  expect(first).toMatchObject({ ok: true, cart: { itemCount: 1, subtotal: product.price } });

  // A client-supplied price is ignored: totals come from the database.
  const priced = await add({ variantId: product.id, quantity: 1, price: 1, unitPrice: 1, subtotal: 1 });
  expect(priced).toMatchObject({ ok: true, cart: { itemCount: 2, subtotal: 2 * product.price } });

  // Refusals are matched by their code (lib/result.ts), never by their wording.
  const refusals: Array<[unknown, string]> = [
    [{ variantId: product.id, quantity: -3 }, "invalid_input"],
    [{ variantId: product.id, quantity: 0 }, "invalid_input"],
    [{ variantId: product.id, quantity: 2.5 }, "invalid_input"],
    [{ variantId: product.id, quantity: 1e12 }, "quantity_limit"],
    [{ variantId: product.id, quantity: '1; DROP TABLE "Product"' }, "invalid_input"],
    [{ variantId: "' OR 1=1 --", quantity: 1 }, "unavailable"],
    [{ variantId: "x".repeat(5000), quantity: 1 }, "invalid_input"],
    [null, "invalid_input"],
  ];
  for (const [input, code] of refusals) {
    const result = await add(input);
    expect(result, JSON.stringify(input).slice(0, 60)).toMatchObject({ ok: false, code });
  }
  const after = await add({ variantId: product.id, quantity: 1 });
  expect(after).toMatchObject({ ok: true, cart: { itemCount: 3 } });

  // A checkout with a forged total is priced from the database all the same.
  const checkout = await callAction(
    request,
    "startCheckoutAction",
    [
      {
        email: "tamper@example.com",
        name: "T",
        line1: "1 St",
        city: "Town",
        state: "OR",
        postalCode: "97204",
        country: "US",
        shippingMethod: "standard",
        total: 1,
        amount: 1,
        currency: "jpy",
      },
    ],
    "/checkout",
    jar,
  );
  const summary = (checkout.result as { ok: boolean; summary?: { total: number; currency: string } }).summary;
  // Oregon charges no sales tax in the demo configuration; the seeded standard rate is 5.00 under 75.00.
  const shipping = 3 * product.price >= 7500 ? 0 : 500;
  expect(summary).toMatchObject({
    totals: { subtotal: 3 * product.price, shippingCost: shipping, tax: 0 },
    total: 3 * product.price + shipping,
    currency: "usd",
  });

  // An oversized action body is refused before it reaches our code.
  const huge = await callAction(
    request,
    "addToCart",
    JSON.stringify([{ variantId: product.id, quantity: 1, pad: "x".repeat(2_000_000) }]),
    "/products/dot-grid-notebook",
    jar,
  );
  expect(huge.status).toBeGreaterThanOrEqual(400);
  expect((await defaultVariant("dot-grid-notebook")).stock).toBe(product.stock - 3);
});

test("admin actions called directly without a session are refused", async ({ request }) => {
  const variant = await defaultVariant("storm-lantern");
  const result = await callAction(request, "setStockAction", [{ variantId: variant.id, stock: 999 }], "/admin/products");
  expect(result.result).toMatchObject({ ok: false, code: "not_signed_in" });
  expect((await defaultVariant("storm-lantern")).stock).toBe(variant.stock);
});
