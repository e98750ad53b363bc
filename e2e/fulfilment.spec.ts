import { formatMoney } from "../lib/money";
import { expect, test } from "./support/test";
import { signInAsAdmin } from "./support/admin";
import { addProduct, CARDS, enterDetails, payWith } from "./support/checkout";
import { defaultVariant, eventually, sql } from "./support/db";
import { mailbox } from "./support/mail";

// Staff ship a paid order and take a unit back, as they would on the order page; the shopper hears of both
// by email (read from the local mail catcher). Outcomes are matched by their code (data-outcome).

test.skip(!process.env.MAIL_CATCHER_URL, "needs the local mail catcher (npm test starts it unless SMTP_URL is set)");

const SHOPPER = "e2e-shopper@example.com";
const PRODUCT = "beeswax-candles";
const TRACKING = "1Z999AA10123456784";

const orderRow = async (number: string) =>
  (
    await sql<{ id: string; fulfilment: string; amountRefunded: number }>(
      `SELECT id, fulfilment, "amountRefunded" FROM "Order" WHERE number = $1`,
      [number],
    )
  )[0]!;

test("a paid order is shipped with a tracking number and a unit comes back with a refund, each emailed to the shopper", async ({
  page,
}) => {
  const { waitForMail, linksIn } = mailbox();
  const { price } = await defaultVariant(PRODUCT);
  await addProduct(page, PRODUCT);
  const number = await enterDetails(page);
  await payWith(page, CARDS.visa);
  await expect(page.getByRole("heading", { name: "Thank you, your order is confirmed" })).toBeVisible();

  // The orders list's "To ship" filter finds it, with its fulfilment state.
  await signInAsAdmin(page, `/admin/orders?fulfilment=to_ship&q=${encodeURIComponent(number)}`);
  const row = page.getByRole("row").filter({ hasText: number });
  await expect(row.getByTestId("order-fulfilment")).toHaveText("unfulfilled");
  await row.getByRole("link", { name: number }).click();
  await expect(page.getByTestId("fulfilment-status")).toHaveText("unfulfilled");

  // The packing slip: the order and its items, no prices.
  await page.getByRole("link", { name: "Packing slip" }).click();
  await expect(page.getByTestId("slip-order-number")).toHaveText(number);
  await expect(page.getByRole("article", { name: "Packing slip" })).not.toContainText("$");
  await page.goBack();

  // A tracking number with markup is refused beside the field, and nothing ships.
  const shipping = page.getByRole("form", { name: "Ship items" });
  await shipping.getByLabel("Tracking number").fill("<script>alert(1)</script>");
  await shipping.getByRole("button", { name: "Mark shipped" }).click();
  await expect(shipping.locator('[role="status"][data-outcome]')).toHaveAttribute("data-outcome", "invalid_fields");
  await expect(shipping.getByText(/markup/).first()).toBeVisible();
  expect((await orderRow(number)).fulfilment).toBe("unfulfilled");

  await shipping.getByLabel("Carrier", { exact: true }).selectOption("UPS");
  await shipping.getByLabel("Tracking number").fill(TRACKING);
  await shipping.getByRole("button", { name: "Mark shipped" }).click();
  await expect(page.getByTestId("fulfilment-status")).toHaveText("shipped");
  const tracking = `https://www.ups.com/track?tracknum=${TRACKING}`;
  await expect(page.getByRole("link", { name: TRACKING })).toHaveAttribute("href", tracking);

  const shipped = await waitForMail({ to: SHOPPER, subject: `Order ${number} has shipped` });
  expect(linksIn(shipped)).toContain(tracking);
  expect(shipped.text).toContain(TRACKING);

  await page.getByRole("button", { name: "Mark delivered" }).click();
  await expect(page.getByTestId("fulfilment-status")).toHaveText("delivered");

  // A return of more units than were bought is refused; one unit is recorded, and its refund shown first.
  const returning = page.getByRole("group", { name: "Record a return" });
  const quantity = returning.getByLabel(/Beeswax/);
  await quantity.fill("2");
  await returning.getByRole("button", { name: "Record return" }).click();
  await returning.getByRole("button", { name: "Confirm" }).click();
  await expect(returning.locator('[role="status"][data-outcome]')).toHaveAttribute("data-outcome", "too_many_units");
  await returning.getByRole("button", { name: "Keep it" }).click();

  await quantity.fill("1");
  const refund = formatMoney(price, "usd");
  await expect(returning.getByTestId("return-refund")).toContainText(refund);
  await returning.getByRole("button", { name: "Record return" }).click();
  await expect(returning.getByRole("group", { name: "Confirm: Record return" })).toContainText(refund);
  await returning.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByRole("list", { name: "Returns" })).toBeVisible();

  // The job queue makes the refund at Stripe; its webhook updates the order and sends the email.
  const refunded = await waitForMail({ to: SHOPPER, subject: `Refund of ${refund} for order ${number}`, timeoutMs: 60_000 });
  expect(refunded.text).toContain(refund);
  await eventually(async () => (await orderRow(number)).amountRefunded === price);
  await page.reload();
  await expect(page.getByRole("list", { name: "Returns" })).toContainText("refunded");
});
