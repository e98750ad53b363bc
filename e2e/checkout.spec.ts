import { expect, test } from "./support/test";
import { answerThreeDSecure, fillPaymentElement } from "@tidewater/stripe-sandbox/testing";
import { addProduct, card, CARDS, enterDetails, payWith } from "./support/checkout";
import { eventually, sql } from "./support/db";

// The whole purchase in a real browser: card typed into the Payment Element's iframe, the sandbox (or
// Stripe's test mode) confirming it, the webhook finalizing the order. Each test has a fresh cart.

type OrderRow = { id: string; status: string; total: number; paymentIntentId: string };

async function order(number: string): Promise<OrderRow> {
  const [row] = await sql<OrderRow>(`SELECT id, status, total, "paymentIntentId" FROM "Order" WHERE number = $1`, [number]);
  if (!row) throw new Error(`no order ${number}`);
  return row;
}

/** The order is paid and Stripe's payment_intent.succeeded webhook for its intent was processed. */
async function paidByWebhook(number: string) {
  return eventually(async () => {
    const row = await order(number);
    const [event] = await sql<{ id: string }>(
      `SELECT id FROM "StripeEvent" WHERE "paymentIntentId" = $1 AND type = 'payment_intent.succeeded' AND "processedAt" IS NOT NULL`,
      [row.paymentIntentId],
    );
    return row.status === "paid" && event ? row : undefined;
  });
}

test("a Visa payment succeeds and the webhook marks the order paid", async ({ page }) => {
  await addProduct(page, "washi-tape-set");
  const number = await enterDetails(page);
  await expect(page.getByTestId("order-total")).toHaveText("$14.00");
  await payWith(page, CARDS.visa);

  await expect(page.getByRole("heading", { name: "Thank you, your order is confirmed" })).toBeVisible();
  // Streaming keeps a hidden copy of revealed content for a moment: look at what the shopper sees.
  await expect(page.getByTestId("order-number").filter({ visible: true })).toHaveText(number);
  // The paid cart is closed: the header no longer counts its items.
  await expect(page.getByTestId("cart-count")).toHaveText("0");
  await expect(page.getByRole("list", { name: "Items in your order" })).toContainText("Washi Tape Set × 1");
  // Stripe's redirect carried the intent's client secret (enough to view the order); /checkout/return moved
  // it into a cookie, so neither the address bar nor the history entry holds it.
  expect(page.url()).toContain("/checkout/complete?payment_intent=pi_");
  expect(page.url()).not.toContain("client_secret");
  expect(page.url()).not.toContain("_secret_");

  const paid = await paidByWebhook(number);
  expect(paid.total).toBe(1400);
  // The paid cart is gone: the badge is empty and a new visit starts a new cart.
  await page.goto("/cart");
  await expect(page.getByText("Your cart is empty.")).toBeVisible();
});

test("declined cards show their messages, then another card pays the same order", async ({ page, pageChecks }) => {
  // Stripe.js reports a declined confirmation as an HTTP 402, which the browser logs as a failed request.
  pageChecks.allowConsoleErrors(/status of 402/);
  await addProduct(page, "beeswax-candles");
  const number = await enterDetails(page);
  const error = page.getByTestId("payment-error");

  await payWith(page, CARDS.declined);
  await expect(error).toHaveText("Your card was declined.");
  await payWith(page, CARDS.insufficientFunds);
  await expect(error).toHaveText("Your card has insufficient funds.");
  const before = await order(number);
  expect(before.status).toBe("pending");

  await payWith(page, CARDS.visa);
  await expect(page.getByRole("heading", { name: "Thank you, your order is confirmed" })).toBeVisible();
  const paid = await paidByWebhook(number);
  expect(paid.paymentIntentId).toBe(before.paymentIntentId);
  const [failures] = await sql<{ failedAttempts: number }>(`SELECT "failedAttempts" FROM "Order" WHERE number = $1`, [number]);
  expect(failures?.failedAttempts).toBe(2);
});

test("a card that needs 3-D Secure succeeds once the challenge is completed", async ({ page }) => {
  await addProduct(page, "desk-planner");
  const number = await enterDetails(page);
  await payWith(page, CARDS.threeDSecure);
  await answerThreeDSecure(page, "Complete");
  await expect(page.getByRole("heading", { name: "Thank you, your order is confirmed" })).toBeVisible();
  await paidByWebhook(number);
});

test("a failed 3-D Secure challenge shows an error and leaves the order unpaid", async ({ page }) => {
  await addProduct(page, "desk-planner");
  const number = await enterDetails(page);
  await payWith(page, CARDS.threeDSecure);
  await answerThreeDSecure(page, "Fail");
  await expect(page.getByTestId("payment-error")).toHaveText(
    "We are unable to authenticate your payment method. Please choose a different payment method and try again.",
  );
  expect((await order(number)).status).toBe("pending");
});

test("a cart changed after the Payment Element loaded is charged at its new amount", async ({ page, context }) => {
  await addProduct(page, "insulated-bottle");
  const number = await enterDetails(page);
  await expect(page.getByTestId("order-total")).toHaveText("$37.00");

  // Another tab raises the quantity while the payment form is open.
  const other = await context.newPage();
  await other.goto("/cart");
  await other.getByLabel("Quantity of Insulated Bottle").fill("3");
  await other.getByRole("listitem").filter({ hasText: "Insulated Bottle" }).getByRole("button", { name: "Update" }).click();
  await expect(other.getByTestId("cart-subtotal")).toHaveText("$96.00");
  await other.close();

  await payWith(page, CARDS.visa);
  await expect(page.getByRole("status").filter({ hasText: "Your cart changed" })).toContainText("$96.00");
  await expect(page.getByTestId("order-total")).toHaveText("$96.00");
  await page.getByRole("button", { name: "Pay $96.00" }).click();
  await expect(page.getByRole("heading", { name: "Thank you, your order is confirmed" })).toBeVisible();
  const paid = await paidByWebhook(number);
  // Paid only if Stripe received exactly the order's new total (the webhook checks amount_received).
  expect(paid.total).toBe(9600);
});

test("a double click on Pay makes one payment", async ({ page }) => {
  await addProduct(page, "washi-tape-set");
  const number = await enterDetails(page);
  const confirms: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && /\/v1\/payment_intents\/[^/]+\/confirm$/.test(new URL(request.url()).pathname))
      confirms.push(request.url());
  });
  await fillPaymentElement(page, card(CARDS.visa));
  await page.getByRole("button", { name: /^Pay / }).dblclick();
  await expect(page.getByRole("heading", { name: "Thank you, your order is confirmed" })).toBeVisible();
  const paid = await paidByWebhook(number);
  expect(confirms).toHaveLength(1);
  const charges = await eventually(() =>
    sql<{ id: string }>(`SELECT id FROM "StripeEvent" WHERE "paymentIntentId" = $1 AND type = 'charge.succeeded'`, [paid.paymentIntentId]),
  );
  expect(charges).toHaveLength(1);
});
