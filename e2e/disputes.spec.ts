import { expect, test } from "./support/test";
import { signInAsAdmin } from "./support/admin";
import { addProduct, enterDetails, payWith } from "./support/checkout";
import { eventually, sql } from "./support/db";
import { mailbox } from "./support/mail";

// A shopper pays with Stripe's dispute test card; the sandbox opens a dispute right after the payment and
// its webhook records it. Staff then see the order flagged in the orders list, the dispute on the order's
// page, and the email that told them.

test.skip(!process.env.MAIL_CATCHER_URL, "needs the local mail catcher (npm test starts it unless SMTP_URL is set)");

const DISPUTE_CARD = "4000 0000 0000 0259";

test("a disputed payment flags the order for staff and emails them about it", async ({ page }) => {
  const { waitForMail } = mailbox();
  await addProduct(page, "washi-tape-set");
  const number = await enterDetails(page);
  await payWith(page, DISPUTE_CARD);
  await expect(page.getByRole("heading", { name: "Thank you, your order is confirmed" })).toBeVisible();

  // The dispute arrives by webhook after the payment's own events.
  await eventually(async () => {
    const [row] = await sql<{ status: string }>(
      `SELECT d.status FROM "Dispute" d JOIN "Order" o ON o.id = d."orderId" WHERE o.number = $1`,
      [number],
    );
    return row?.status === "needs_response";
  });

  await signInAsAdmin(page, "/admin/orders?dispute=open");
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: number }) });
  await expect(row.getByTestId("disputed-flag")).toBeVisible();

  await row.getByRole("link", { name: number }).click();
  const dispute = page.getByRole("region", { name: "Dispute" });
  await expect(dispute.getByTestId("dispute-status")).toHaveText("needs response");
  await expect(dispute).toContainText("fraudulent");
  await expect(dispute).toContainText("$14.00");
  await expect(page.getByRole("region", { name: "Emails" })).toContainText("Staff: dispute opened");

  const mail = await waitForMail({ subject: new RegExp(`Dispute.*${number}`) });
  expect(mail.text).toContain("$14.00");
});
