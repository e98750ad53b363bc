import { expect, test } from "./support/test";
import { fillUsBankAccount } from "@tidewater/stripe-sandbox/testing";
import { signInAsAdmin } from "./support/admin";
import { addProduct, CARDS, enterDetails, payWith } from "./support/checkout";
import { eventually, sql } from "./support/db";
import { mailbox } from "./support/mail";

// What the shopper and staff receive by email after paying, read from the local mail catcher the way a person
// reads their inbox: by subject, which names the order number.

test.skip(!process.env.MAIL_CATCHER_URL, "needs the local mail catcher (npm test starts it unless SMTP_URL is set)");

const SHOPPER = "e2e-shopper@example.com";

test("a card payment sends the confirmation with the order's total and a working status link, and tells staff", async ({ page }) => {
  const { waitForMail, linksIn } = mailbox();
  await addProduct(page, "washi-tape-set");
  const number = await enterDetails(page);
  await payWith(page, CARDS.visa);
  await expect(page.getByRole("heading", { name: "Thank you, your order is confirmed" })).toBeVisible();

  const confirmation = await waitForMail({ to: SHOPPER, subject: `Order ${number} confirmed` });
  expect(confirmation.text).toContain("$14.00");
  expect(confirmation.html).toContain("Washi Tape Set");
  const statusLink = linksIn(confirmation).find((href) => href.includes("/orders/status/"));
  expect(statusLink).toBeTruthy();
  await page.goto(statusLink!);
  await expect(page.getByText(number).first()).toBeVisible();

  const staff = await waitForMail({ subject: new RegExp(`New order ${number}`) });
  expect(staff.to).not.toContain(SHOPPER);
});

test("a partial refund by staff sends the shopper an email with the amount", async ({ page }) => {
  const { waitForMail } = mailbox();
  await addProduct(page, "beeswax-candles");
  const number = await enterDetails(page);
  await payWith(page, CARDS.visa);
  await expect(page.getByRole("heading", { name: "Thank you, your order is confirmed" })).toBeVisible();

  await signInAsAdmin(page, "/admin/orders");
  await page.getByRole("textbox", { name: "Search", exact: true }).fill(number);
  await page.getByRole("button", { name: "Apply" }).click();
  await page.getByRole("link", { name: number }).click();
  await page.getByLabel(/Refund amount/).fill("5.00");
  await page.getByRole("button", { name: "Refund" }).click();
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.locator('[role="status"][data-outcome]')).toHaveAttribute("data-outcome", "ok");

  const refund = await waitForMail({ to: SHOPPER, subject: `Refund of $5.00 for order ${number}` });
  expect(refund.text).toContain("$5.00");
});

/** Pays the order by US bank account (the sandbox settles the debit a few seconds later). */
async function payByBank(page: import("@playwright/test").Page, accountNumber: string) {
  await fillUsBankAccount(page, { name: "Grace Tester", email: SHOPPER, routingNumber: "110000000", accountNumber });
  await page.getByRole("button", { name: /^Pay / }).click();
  await expect(page.getByRole("heading", { name: "Your payment is processing" })).toBeVisible();
}

const statusOf = async (number: string) =>
  (await sql<{ status: string }>(`SELECT status::text AS status FROM "Order" WHERE number = $1`, [number]))[0]?.status;

test("a bank debit sends 'processing' first, then the confirmation once it settles", async ({ page }) => {
  const { waitForMail } = mailbox();
  await addProduct(page, "desk-planner");
  const number = await enterDetails(page);
  await payByBank(page, "000123456789");

  await waitForMail({ to: SHOPPER, subject: `Payment processing for order ${number}` });
  await eventually(async () => (await statusOf(number)) === "paid", 30_000);
  await waitForMail({ to: SHOPPER, subject: `Order ${number} confirmed`, timeoutMs: 30_000 });
});

test("a bank debit that fails sends 'processing', then the failure with a link to try again", async ({ page }) => {
  const { waitForMail, linksIn } = mailbox();
  await addProduct(page, "linen-tea-towels");
  const number = await enterDetails(page);
  await payByBank(page, "000111111113");

  await waitForMail({ to: SHOPPER, subject: `Payment processing for order ${number}` });
  const failed = await waitForMail({ to: SHOPPER, subject: `Payment failed for order ${number}`, timeoutMs: 30_000 });
  expect(linksIn(failed).some((href) => href.endsWith("/checkout"))).toBe(true);
  expect(await statusOf(number)).not.toBe("paid");
});
