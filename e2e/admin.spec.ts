import { expect, test } from "./support/test";
import { ADMIN_EMAIL, adminPassword, payIntentDirectly, sandboxFaults, signInAsAdmin } from "./support/admin";
import { addProduct, CARDS, enterDetails, payWith } from "./support/checkout";
import { defaultVariant, eventually, sql } from "./support/db";

const orderRow = async (number: string) =>
  (
    await sql<{ id: string; status: string; paymentIntentId: string; amountRefunded: number }>(
      `SELECT id, status, "paymentIntentId", "amountRefunded" FROM "Order" WHERE number = $1`,
      [number],
    )
  )[0]!;

// Outcomes are matched by their code (data-outcome: "ok" or the failure's code), never by their wording.

test("admin pages require sign-in, and a wrong password is refused", async ({ page }) => {
  await page.goto("/admin/orders");
  await expect(page).toHaveURL(/\/admin\/sign-in\?next=%2Fadmin%2Forders/);
  await expect(page.getByRole("heading", { name: "Staff sign-in" })).toBeVisible();

  await page.getByLabel("Email").fill(ADMIN_EMAIL);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  const refusal = page.getByRole("main").getByRole("alert");
  await expect(refusal).toHaveAttribute("data-outcome", "invalid_credentials");
  await expect(refusal).not.toBeEmpty();
  const response = await page.request.get("/admin/orders/export");
  expect(response.status()).toBe(401);

  // What was typed stays, except the password: entering the password alone signs in.
  await expect(page.getByLabel("Email")).toHaveValue(ADMIN_EMAIL);
  await expect(page.getByLabel("Password")).toHaveValue("");
  await page.getByLabel("Password").fill(adminPassword());
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("navigation", { name: "Admin" })).toBeVisible();
  await expect(page).toHaveURL(/\/admin\/orders$/);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/admin\/sign-in$/);
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/admin\/sign-in/);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the sign-in form works, and a refused sign-in keeps the email", async ({ page }) => {
    await page.goto("/admin/sign-in?next=%2Fadmin%2Fproducts");
    await page.getByLabel("Email").fill(ADMIN_EMAIL);
    await page.getByLabel("Password").fill("not the password either");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("main").getByRole("alert")).toHaveAttribute("data-outcome", "invalid_credentials");
    await expect(page.getByLabel("Email")).toHaveValue(ADMIN_EMAIL);
    await expect(page.getByLabel("Password")).toHaveValue("");

    await page.getByLabel("Password").fill(adminPassword());
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/admin\/products$/);
  });
});

test("a paid order shows as paid, then a partial and a full refund update it", async ({ page, pageChecks }) => {
  await addProduct(page, "beeswax-candles");
  const number = await enterDetails(page);
  await payWith(page, CARDS.visa);
  await expect(page.getByRole("heading", { name: "Thank you, your order is confirmed" })).toBeVisible();

  await signInAsAdmin(page, "/admin/orders");
  await page.getByRole("textbox", { name: "Search", exact: true }).fill(number);
  await page.getByRole("button", { name: "Apply" }).click();
  await page.getByRole("link", { name: number }).click();
  await expect(page.getByTestId("order-status").filter({ visible: true })).toHaveText("paid");
  await expect(page.getByTestId("live-intent-status").filter({ visible: true })).toContainText("succeeded");

  // More than was paid is refused before Stripe is asked, and the order stays as it is.
  const outcome = page.locator('[role="status"][data-outcome]');
  await page.getByLabel(/Refund amount/).fill("999.00");
  await page.getByRole("button", { name: "Refund" }).click();
  await expect(page.getByRole("group", { name: "Confirm: Refund" })).toBeVisible();
  await pageChecks.analyze(page);
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(outcome).toHaveAttribute("data-outcome", "amount_too_large");
  expect((await orderRow(number)).amountRefunded).toBe(0);
  await page.getByRole("button", { name: "Keep it" }).click();

  await page.getByLabel(/Refund amount/).fill("5.00");
  await page.getByRole("button", { name: "Refund" }).click();
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(outcome).toHaveAttribute("data-outcome", "ok");
  await eventually(async () => (await orderRow(number)).status === "partially_refunded");
  await page.reload();
  await expect(page.getByTestId("order-status").filter({ visible: true })).toHaveText("partially refunded");
  await expect(page.getByTestId("admin-order-refunded").filter({ visible: true })).toHaveText("$5.00");

  // The field offers what is left; refunding it all closes the order as refunded.
  await expect(page.getByLabel(/Refund amount/)).toHaveValue("16.00");
  await page.getByRole("button", { name: "Refund" }).click();
  await page.getByRole("button", { name: "Confirm" }).click();
  await eventually(async () => (await orderRow(number)).status === "refunded");
  await page.reload();
  await expect(page.getByTestId("order-status").filter({ visible: true })).toHaveText("refunded");
  await expect(page.getByTestId("admin-order-refunded").filter({ visible: true })).toHaveText("$21.00");
  await expect(page.getByRole("list", { name: "Stripe events" })).toContainText("charge.refunded");
});

test("canceling an unpaid order cancels its payment and puts the stock back", async ({ page }) => {
  const stockOf = async () => (await defaultVariant("desk-planner")).stock;
  const before = await stockOf();
  await addProduct(page, "desk-planner");
  const number = await enterDetails(page);
  expect(await stockOf()).toBe(before - 1);

  await signInAsAdmin(page, `/admin/orders/${number}`);
  await expect(page.getByTestId("order-status").filter({ visible: true })).toHaveText("pending");
  await page.getByRole("button", { name: "Cancel order" }).click();
  await page.getByRole("button", { name: "Confirm" }).click();
  // The page refreshes itself with the new state; a reload shows the same.
  await expect(page.getByTestId("order-status").filter({ visible: true })).toHaveText("canceled");
  await page.reload();
  await expect(page.getByTestId("order-status").filter({ visible: true })).toHaveText("canceled");
  await expect(page.getByTestId("live-intent-status").filter({ visible: true })).toContainText("canceled");
  expect(await stockOf()).toBe(before);
});

test("reconciliation finds a payment whose webhook was lost and repairs the order", async ({ page }) => {
  test.skip(!process.env.STRIPE_SANDBOX_URL, "needs the sandbox's fault switches");
  await addProduct(page, "washi-tape-set");
  const number = await enterDetails(page);
  const { paymentIntentId } = await orderRow(number);
  await sandboxFaults({ dropEventTypes: ["payment_intent.succeeded", "charge.succeeded", "charge.updated"] });
  try {
    await payIntentDirectly(paymentIntentId);
  } finally {
    await sandboxFaults(null);
  }
  expect((await orderRow(number)).status).toBe("pending");

  await signInAsAdmin(page, "/admin/reconcile");
  const row = page.getByRole("row").filter({ hasText: number });
  await expect(row).toContainText("paid in stripe not in shop");
  await row.getByRole("button", { name: "Repair from Stripe" }).click();
  await row.getByRole("button", { name: "Confirm" }).click();
  await eventually(async () => (await orderRow(number)).status === "paid");
  await page.reload();
  await expect(page.getByRole("row").filter({ hasText: number })).toHaveCount(0);
});
