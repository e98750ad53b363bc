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
  // The redirect's page is complete (its title streams in with the metadata) before the fixture's axe pass.
  await expect(page).toHaveTitle(/Staff sign-in/);
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

test.describe("staff accounts", () => {
  test("a client rotating X-Forwarded-For still hits the sign-in limit: the shop keys it by the socket's address", async ({ browser }) => {
    const email = `rotating-${Date.now().toString(36)}@example.com`;
    const outcomes: string[] = [];
    for (let i = 1; i <= 6; i += 1) {
      // No JavaScript: the form posts and the refusal comes back in the URL (see signInAction).
      const context = await browser.newContext({ javaScriptEnabled: false, extraHTTPHeaders: { "x-forwarded-for": `198.51.100.${i}` } });
      try {
        const page = await context.newPage();
        await page.goto("/admin/sign-in");
        await page.getByLabel("Email").fill(email);
        await page.getByLabel("Password").fill("a guess");
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.waitForURL(/failed=/);
        outcomes.push(new URL(page.url()).searchParams.get("failed")!);
      } finally {
        await context.close();
      }
    }
    expect(outcomes).toEqual([...Array<string>(5).fill("invalid_credentials"), "rate_limited"]);
  });

  test("an invited viewer signs in, sees no edit controls, and loses access the moment an owner removes them", async ({
    page,
    browser,
  }) => {
    const email = `viewer-${Date.now().toString(36)}@example.com`;
    await signInAsAdmin(page, "/admin/staff");
    // The sign-in form stays in the document, hidden, after the client-side navigation: look inside the section.
    const inviting = page.getByRole("region", { name: "Invite someone" });
    await inviting.getByLabel("Email").fill(email);
    await inviting.getByLabel("Role", { exact: true }).selectOption("viewer");
    await inviting.getByRole("button", { name: "Invite" }).click();
    await expect(inviting.getByRole("status")).toHaveAttribute("data-outcome", "ok");
    const link = await inviting.getByLabel(/One-time link/).inputValue();
    expect(new URL(link).pathname).toMatch(/^\/admin\/invite\/[A-Za-z0-9_-]{43}$/);

    // The invited person, in a browser of their own.
    const theirs = await browser.newContext();
    try {
      const viewer = await theirs.newPage();
      await viewer.goto(new URL(link).pathname);
      await expect(viewer.getByText(email)).toBeVisible();
      await viewer.getByLabel("Your name").fill("Vera Viewer");
      await viewer.getByLabel(/Password/).fill("a password for the viewer");
      await viewer.getByRole("button", { name: "Set password and sign in" }).click();
      await expect(viewer.getByRole("navigation", { name: "Admin" })).toContainText(`${email} (viewer)`);

      // Read only: the stock page shows numbers, not forms; the staff page does not exist for them.
      await viewer.goto("/admin/products");
      await expect(viewer.getByRole("heading", { name: "Stock" })).toBeVisible();
      await expect(viewer.getByRole("button", { name: /save/i })).toHaveCount(0);
      await expect(viewer.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Staff" })).toHaveCount(0);
      // The catalog editor shows a viewer the product, disabled, with nothing to save.
      const [tee] = await sql<{ id: string }>(`SELECT id FROM "Product" WHERE slug = 'harbour-tee'`);
      await viewer.goto(`/admin/catalog/${tee!.id}`);
      await expect(viewer.getByText("Your role can read the catalog but not change it.").filter({ visible: true })).toBeVisible();
      await expect(viewer.getByRole("textbox", { name: "Name", exact: true })).toBeDisabled();
      await expect(viewer.getByRole("button", { name: /^(Save|Add an option)$/ })).toHaveCount(0);
      await expect(viewer.getByLabel("Add images")).toHaveCount(0);

      // Every role changes its own password; the browser is given a fresh session, and the rest goes on with it.
      await viewer.goto("/admin/account");
      await viewer.getByLabel("Current password").fill("a password for the viewer");
      await viewer.getByLabel(/^New password \(at least/).fill("another password for the viewer");
      await viewer.getByLabel("New password again").fill("another password for the viewer");
      await viewer.getByRole("button", { name: "Change password" }).click();
      await expect(viewer.locator("#password-outcome").getByRole("status")).toHaveAttribute("data-outcome", "ok");
      expect((await viewer.request.get("/admin/orders/export")).status()).toBe(200);

      // A used link does not work twice.
      const again = await theirs.newPage();
      await again.goto(new URL(link).pathname);
      await expect(again.getByRole("main").getByRole("alert")).toContainText("expired or was already used");
      await again.close();

      // The owner removes them; the viewer's next request is sent to the sign-in page.
      await page.reload();
      const row = page.getByRole("row").filter({ hasText: email });
      await row.getByRole("button", { name: `Remove ${email}` }).click();
      await row.getByRole("button", { name: "Confirm" }).click();
      await expect(row).toContainText("removed");
      await viewer.goto("/admin/orders");
      await expect(viewer).toHaveURL(/\/admin\/sign-in\?next=%2Fadmin%2Forders/);
      expect((await viewer.request.get("/admin/orders/export")).status()).toBe(401);
    } finally {
      await theirs.close();
    }
  });
});
