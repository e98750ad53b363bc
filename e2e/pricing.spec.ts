import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "./support/test";
import { eventually, sql } from "./support/db";
import { addProduct, CALIFORNIA, CARDS, continueToPayment, fillDetails, payWith } from "./support/checkout";

// Discount codes, shipping rates and taxes in the browser, against the demo configuration the seed gives the shop
// (prisma/seed-pricing.ts): WELCOME10 takes 10%; US standard shipping is $5.00, free from $75; California charges
// 7.25% sales tax; the EU zone ships by weight and Germany charges 19% VAT on goods and shipping; Brazil is in
// no zone. The Insulated Bottle costs $32.00 and weighs 380 g.

type PaidOrder = { status: string; total: number; discount: number; discountCode: string | null; tax: number; paid: boolean | null };

async function paidOrder(number: string): Promise<PaidOrder> {
  return eventually(async () => {
    const [row] = await sql<PaidOrder>(
      `SELECT o.status::text AS status, o.total, o.discount, o."discountCode", o.tax, u.paid
         FROM "Order" o LEFT JOIN "DiscountUse" u ON u."orderId" = o.id WHERE o.number = $1`,
      [number],
    );
    return row?.status === "paid" ? row : undefined;
  });
}

const summary = (page: Page) => page.getByRole("complementary", { name: "Order summary" });

async function applyCode(page: Page, code: string) {
  await page.getByLabel(/Discount code/).fill(code);
  await page.getByRole("button", { name: "Apply" }).click();
}

test("a discount code is applied in any letter case, shown as a removable line, and the discounted, taxed total is charged", async ({
  page,
}) => {
  await addProduct(page, "insulated-bottle");
  await fillDetails(page, CALIFORNIA);
  // $32.00 with 7.25% tax (2.32) and $5.00 shipping.
  await expect(page.getByTestId("order-total")).toHaveText("$39.32");
  await applyCode(page, "welcome10");
  await expect(page.getByTestId("applied-code")).toHaveText("WELCOME10");
  // 10% off: $28.80, tax 7.25% of it is 2.088 → $2.09, shipping $5.00.
  await expect(summary(page)).toContainText("Discount WELCOME10");
  await expect(summary(page)).toContainText("-$3.20");
  await expect(summary(page)).toContainText("California sales tax (7.25%)");
  await expect(page.getByTestId("order-total")).toHaveText("$35.89");

  // Removable: taking it off brings the full price back; applying it again brings the discount back.
  await page.getByRole("button", { name: "Remove code WELCOME10" }).click();
  await expect(page.getByTestId("order-total")).toHaveText("$39.32");
  await applyCode(page, "Welcome10");
  await expect(page.getByTestId("order-total")).toHaveText("$35.89");

  const number = await continueToPayment(page);
  await expect(page.getByRole("button", { name: "Pay $35.89" })).toBeVisible();
  await payWith(page, CARDS.visa);
  await expect(page.getByRole("heading", { name: "Thank you, your order is confirmed" })).toBeVisible();
  await expect(page.getByTestId("total-paid").filter({ visible: true })).toHaveText("$35.89");
  expect(await paidOrder(number)).toMatchObject({ total: 3589, discount: 320, discountCode: "WELCOME10", tax: 209, paid: true });
});

test("a code past its end date or its usage limit is refused with a message, and checkout goes on without it", async ({ page }) => {
  const tag = randomBytes(3).toString("hex").toUpperCase();
  const ended = `ENDED-${tag}`;
  const usedUp = `USEDUP-${tag}`;
  await sql(
    `INSERT INTO "DiscountCode" (id, code, kind, value, "endsAt", "updatedAt") VALUES ($1, $2, 'percentage', 1500, now() - interval '1 day', now())`,
    [`dc_ended_${tag}`, ended],
  );
  await sql(`INSERT INTO "DiscountCode" (id, code, kind, value, "usageLimit", "updatedAt") VALUES ($1, $2, 'fixed', 500, 1, now())`, [
    `dc_used_${tag}`,
    usedUp,
  ]);
  // Its one use went to a paid order.
  const cartId = randomBytes(32).toString("base64url");
  await sql(`INSERT INTO "Cart" (id, status, "updatedAt") VALUES ($1, 'checked_out', now())`, [cartId]);
  await sql(
    `INSERT INTO "Order" (id, number, "cartId", email, status, "shippingName", "shippingLine1", "shippingCity", "shippingPostalCode",
       "shippingCountry", "shippingMethod", currency, subtotal, "shippingCost", total, "updatedAt")
     VALUES ($1, $2, $3, 'earlier@example.com', 'paid', 'Early Bird', '1 Main St', 'Town', '97204', 'US', 'Standard', 'usd', 1000, 0, 500, now())`,
    [`ord_used_${tag}`, `T-${tag}`, cartId],
  );
  await sql(`INSERT INTO "DiscountUse" (id, "codeId", "orderId", email, paid) VALUES ($1, $2, $3, 'earlier@example.com', true)`, [
    `du_${tag}`,
    `dc_used_${tag}`,
    `ord_used_${tag}`,
  ]);

  await addProduct(page, "insulated-bottle");
  await fillDetails(page);
  await applyCode(page, ended.toLowerCase());
  await expect(page.getByText(`The code ${ended} has expired`)).toBeVisible();
  await applyCode(page, usedUp);
  await expect(page.getByText(`The code ${usedUp} has been used as many times as it can be.`)).toBeVisible();
  await applyCode(page, "NO-SUCH-CODE");
  await expect(page.getByText("The code NO-SUCH-CODE is not valid")).toBeVisible();
  await expect(page.getByTestId("applied-code")).toHaveCount(0);
  // Nothing was taken off: $32.00 + $5.00 shipping, no tax in Oregon; the shopper pays that.
  await expect(page.getByTestId("order-total")).toHaveText("$37.00");
  await continueToPayment(page);
  await expect(page.getByRole("button", { name: "Pay $37.00" })).toBeVisible();
});

test("choosing a destination changes the rates and taxes shown, and the order is charged what was shown", async ({ page }) => {
  await addProduct(page, "insulated-bottle");
  await fillDetails(page, CALIFORNIA);
  const rates = page.getByRole("group", { name: "Shipping method" });
  await expect(rates.getByRole("radio")).toHaveCount(2);
  await rates.getByRole("radio", { name: /Express/ }).check();
  // $32.00 + 7.25% tax + $15.00 express.
  await expect(page.getByTestId("order-total")).toHaveText("$49.32");

  // Brazil: told before paying, and checkout refuses it.
  await page.getByLabel("Country").selectOption("BR");
  await expect(page.getByTestId("not-shipped")).toHaveText("Sorry, we do not ship to Brazil.");
  await expect(page.getByText("We do not ship to Brazil", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Continue to payment" })).toHaveAttribute("aria-disabled", "true");
  // Submitting anyway (Enter in a field) is refused by the server with the same words, and nothing is reserved.
  await page.getByLabel("Postal code").press("Enter");
  await expect(page.getByRole("alert").filter({ hasText: "Sorry, we do not ship to Brazil." })).toBeVisible();

  // Germany: one weight-based rate (380 g → $14.99) and 19% VAT on goods and shipping.
  await page.getByLabel("Country").selectOption("DE");
  await expect(rates.getByRole("radio")).toHaveCount(1);
  await expect(rates).toContainText("Standard international");
  await expect(rates).toContainText("$14.99");
  await expect(summary(page)).toContainText("German VAT (19%)");
  // VAT: 6.08 on the goods + 2.85 on shipping = 8.93; total 32.00 + 14.99 + 8.93.
  await expect(page.getByTestId("order-total")).toHaveText("$55.92");
  await page.getByLabel("Postal code").fill("10115");
  await page.getByLabel("City").fill("Berlin");
  const number = await continueToPayment(page);
  await expect(page.getByRole("button", { name: "Pay $55.92" })).toBeVisible();
  await payWith(page, CARDS.visa);
  await expect(page.getByRole("heading", { name: "Thank you, your order is confirmed" })).toBeVisible();
  expect(await paidOrder(number)).toMatchObject({ total: 5592, tax: 893, discount: 0 });
  const [order] = await sql<{ shippingCountry: string; shippingRateId: string; taxLines: unknown }>(
    `SELECT "shippingCountry", "shippingRateId", "taxLines" FROM "Order" WHERE number = $1`,
    [number],
  );
  expect(order).toEqual({
    shippingCountry: "DE",
    shippingRateId: "eu-standard",
    taxLines: [{ name: "German VAT", rate: 1900, amount: 893 }],
  });
});
