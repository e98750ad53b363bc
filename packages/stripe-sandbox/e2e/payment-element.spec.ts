// A shopper paying through the sandbox's Payment Element stand-in, driven the way tests drive Stripe's real one.
import { expect, test, type Page } from "@playwright/test";
import type { Stripe as StripeJs } from "@stripe/stripe-js";
import {
  answerRedirect,
  answerThreeDSecure,
  chooseIdeal,
  fillPaymentElement,
  fillSepaDebit,
  fillUsBankAccount,
  paymentFrame,
} from "../src/testing";
import { FIXTURE_URL_ENV } from "./global-setup";

const VALID = { expiry: "12 / 34", cvc: "123", country: "US", postalCode: "42424" };
const AUTH_FAILURE = "We are unable to authenticate your payment method. Please choose a different payment method and try again.";

function fixtureUrl(path: string): string {
  const base = process.env[FIXTURE_URL_ENV];
  if (!base) throw new Error(`${FIXTURE_URL_ENV} is not set; run through playwright.config.ts so global-setup starts the servers.`);
  return `${base}${path}`;
}

async function openCheckout(page: Page, query = ""): Promise<void> {
  await page.goto(fixtureUrl(`/${query}`));
  await expect(page.getByTestId("element-state")).toHaveText(/^ready/);
}

const pay = (page: Page) => page.getByRole("button", { name: "Pay $20.00" }).click();
const message = (page: Page) => page.getByTestId("payment-message");
const serverStatus = (page: Page) => page.getByTestId("server-status");

test("the Payment Element mounts in a titled frame with labelled card fields and fires ready", async ({ page }) => {
  await openCheckout(page);
  await expect(page.locator('iframe[title="Secure payment input frame"]')).toHaveCount(1);
  const frame = paymentFrame(page);
  await expect(frame.getByRole("tab", { name: "Card" })).toHaveAttribute("aria-selected", "true");
  await expect(frame.getByLabel("Card number")).toHaveAttribute("placeholder", "1234 1234 1234 1234");
  await expect(frame.getByLabel("Expiration date")).toHaveAttribute("placeholder", "MM / YY");
  await expect(frame.getByLabel("Security code")).toHaveAttribute("placeholder", "CVC");
  await expect(frame.getByLabel("Country")).toHaveValue("US");
  await expect(frame.getByLabel("ZIP")).toBeVisible();
  // appearance.variables.colorPrimary from the shop reaches the frame.
  await expect(frame.locator("html")).toHaveCSS("--sb-color-primary", "#0570de");
});

test("an unknown client secret fires loaderror with the API's message", async ({ page }) => {
  await page.goto(fixtureUrl("/?intent=unknown"));
  await expect(message(page)).toHaveText(/No such payment_intent/);
});

test("typing formats the card and the element reports complete", async ({ page }) => {
  await openCheckout(page);
  const frame = paymentFrame(page);
  await frame.getByLabel("Card number").pressSequentially("4242424242424242");
  await expect(frame.getByLabel("Card number")).toHaveValue("4242 4242 4242 4242");
  await frame.getByLabel("Expiration date").pressSequentially("1234");
  await expect(frame.getByLabel("Expiration date")).toHaveValue("12 / 34");
  await frame.getByLabel("Security code").pressSequentially("123");
  await expect(page.getByTestId("element-state")).toHaveText("ready");
  await frame.getByLabel("ZIP").pressSequentially("42424");
  await expect(page.getByTestId("element-state")).toHaveText("ready, complete");
});

test("4242 4242 4242 4242 pays and the server sees the intent succeeded", async ({ page }) => {
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await openCheckout(page);
  await fillPaymentElement(page, { number: "4242 4242 4242 4242", ...VALID });
  await pay(page);
  await expect(serverStatus(page)).toHaveText("Payment status: succeeded");
  await expect(message(page)).toBeEmpty();
  expect(pageErrors).toEqual([]);
});

test("a declined card shows Stripe's message and the same intent then succeeds with another card", async ({ page }) => {
  await openCheckout(page);
  const intentId = await page.getByTestId("intent-id").textContent();
  await fillPaymentElement(page, { number: "4000 0000 0000 0002", ...VALID });
  await pay(page);
  await expect(message(page)).toHaveText("Your card was declined.");

  await fillPaymentElement(page, { number: "4242 4242 4242 4242", ...VALID });
  await pay(page);
  await expect(serverStatus(page)).toHaveText("Payment status: succeeded");
  await expect(page.getByTestId("intent-id")).toHaveText(intentId ?? "");
});

test("insufficient funds shows its own decline message", async ({ page }) => {
  await openCheckout(page);
  await fillPaymentElement(page, { number: "4000 0000 0000 9995", ...VALID });
  await pay(page);
  await expect(message(page)).toHaveText("Your card has insufficient funds.");
});

test("a 3-D Secure card opens the challenge modal and succeeds on Complete", async ({ page }) => {
  await openCheckout(page);
  await fillPaymentElement(page, { number: "4000 0025 0000 3155", ...VALID });
  await pay(page);
  await expect(page.getByRole("dialog")).toBeVisible();
  await answerThreeDSecure(page, "Complete");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(serverStatus(page)).toHaveText("Payment status: succeeded");
});

test("failing the 3-D Secure challenge reports the authentication error", async ({ page }) => {
  await openCheckout(page);
  await fillPaymentElement(page, { number: "4000 0025 0000 3155", ...VALID });
  await pay(page);
  await answerThreeDSecure(page, "Fail");
  await expect(message(page)).toHaveText(AUTH_FAILURE);
  await expect(page.getByRole("dialog")).toHaveCount(0);
});

test("a card that authenticates and is then declined reports the decline after Complete", async ({ page }) => {
  await openCheckout(page);
  await fillPaymentElement(page, { number: "4000 0082 6000 3178", ...VALID });
  await pay(page);
  await answerThreeDSecure(page, "Complete");
  await expect(message(page)).toHaveText("Your card has insufficient funds.");
});

test("an expiry in the past is flagged in the field and by elements.submit()", async ({ page }) => {
  await openCheckout(page);
  await fillPaymentElement(page, { number: "4242 4242 4242 4242", ...VALID, expiry: "01 / 20" });
  await expect(paymentFrame(page).getByRole("alert").filter({ hasText: "Your card's expiration year is in the past." })).toBeVisible();
  await expect(paymentFrame(page).getByLabel("Expiration date")).toHaveAttribute("aria-invalid", "true");
  await pay(page);
  await expect(message(page)).toHaveText("Your card's expiration year is in the past.");
});

test("an invalid card number shows the validation message and creates no PaymentMethod", async ({ page }) => {
  const paymentMethodRequests: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === "/v1/payment_methods") paymentMethodRequests.push(request.url());
  });
  await openCheckout(page);
  await fillPaymentElement(page, { number: "4242 4242 4242 4241", ...VALID });
  await expect(paymentFrame(page).getByRole("alert").filter({ hasText: "Your card number is invalid." })).toBeVisible();
  await pay(page);
  await expect(message(page)).toHaveText("Your card number is invalid.");
  expect(paymentMethodRequests).toEqual([]);
});

test("an incomplete card number is caught by elements.submit()", async ({ page }) => {
  await openCheckout(page);
  await fillPaymentElement(page, { number: "4242 4242", ...VALID });
  await pay(page);
  await expect(message(page)).toHaveText("Your card number is incomplete.");
});

test("redirect 'always' lands on return_url with the intent, its secret and redirect_status", async ({ page }) => {
  await openCheckout(page, "?redirect=always");
  const intentId = (await page.getByTestId("intent-id").textContent()) ?? "";
  await fillPaymentElement(page, { number: "4242 4242 4242 4242", ...VALID });
  await pay(page);
  await page.waitForURL(/\/return\?/);
  const url = new URL(page.url());
  expect(url.searchParams.get("order")).toBe("ord_123");
  expect(url.searchParams.get("payment_intent")).toBe(intentId);
  expect(url.searchParams.get("payment_intent_client_secret")).toMatch(new RegExp(`^${intentId}_secret_`));
  expect(url.searchParams.get("redirect_status")).toBe("succeeded");
  expect(url.hash).toBe("#receipt");
  await expect(serverStatus(page)).toHaveText("Payment status: succeeded");
});

// Issue 13: asynchronous and redirect methods, and saving a card with a SetupIntent.

const SEPA_SUCCEEDS = "DE89370400440532013000";
const SEPA_FAILS = "DE62370400440532013001";
const payEuro = (page: Page) => page.getByRole("button", { name: "Pay €20.00" }).click();
const saveCard = (page: Page) => page.getByRole("button", { name: "Save card" }).click();
const tabNames = (page: Page) => paymentFrame(page).getByRole("tab").allTextContents();

test("a euro intent offers Card, SEPA Debit and iDEAL tabs, card selected, and the SEPA tab shows its fields and mandate", async ({
  page,
}) => {
  await openCheckout(page, "?currency=eur");
  const frame = paymentFrame(page);
  await expect(frame.getByRole("tab")).toHaveCount(3);
  expect((await tabNames(page)).map((name) => name.trim())).toEqual(["Card", "SEPA Debit", "iDEAL"]);
  await expect(frame.getByRole("tab", { name: "Card" })).toHaveAttribute("aria-selected", "true");

  await frame.getByRole("tab", { name: "SEPA Debit" }).click();
  const panel = frame.getByRole("tabpanel");
  await expect(panel.getByLabel("Full name")).toBeVisible();
  await expect(panel.getByLabel("Email")).toBeVisible();
  await expect(panel.getByLabel("IBAN")).toBeVisible();
  await expect(panel).toContainText("to send instructions to your bank to debit your account");
  // Format and mod-97 checks run in the frame: a wrong check digit is flagged before anything is sent.
  await panel.getByLabel("IBAN").fill("DE89370400440532013001");
  await expect(panel.getByRole("alert").filter({ hasText: "Your IBAN is invalid." })).toBeVisible();
  await panel.getByLabel("IBAN").fill(SEPA_SUCCEEDS.toLowerCase());
  await expect(panel.getByLabel("IBAN")).toHaveValue("DE89 3704 0044 0532 0130 00");
});

test("SEPA Debit with DE89 3704 0044 0532 0130 00 is processing on the page, then succeeds on the server", async ({ page }) => {
  await openCheckout(page, "?currency=eur");
  await fillSepaDebit(page, { name: "Jenny Rosen", email: "jenny@example.com", iban: SEPA_SUCCEEDS });
  await expect(page.getByTestId("element-state")).toHaveText("ready, complete");
  await payEuro(page);
  await expect(page.getByTestId("confirm-status")).toHaveText("Confirmed: processing");
  await expect(serverStatus(page)).toHaveText("Payment status: succeeded");
  await expect(message(page)).toBeEmpty();
});

test("SEPA Debit with DE62 3704 0044 0532 0130 01 is processing, then fails back to requires_payment_method", async ({ page }) => {
  await openCheckout(page, "?currency=eur");
  await fillSepaDebit(page, { name: "Jenny Rosen", email: "jenny@example.com", iban: SEPA_FAILS });
  await payEuro(page);
  await expect(page.getByTestId("confirm-status")).toHaveText("Confirmed: processing");
  await expect(serverStatus(page)).toHaveText("Payment status: requires_payment_method");
  await expect(page.getByTestId("server-error")).not.toBeEmpty();
});

test("SEPA Debit with redirect 'always' goes to return_url with redirect_status=processing", async ({ page }) => {
  await openCheckout(page, "?currency=eur&redirect=always");
  const intentId = (await page.getByTestId("intent-id").textContent()) ?? "";
  await fillSepaDebit(page, { name: "Jenny Rosen", email: "jenny@example.com", iban: SEPA_SUCCEEDS });
  await payEuro(page);
  await page.waitForURL(/\/return\?/);
  const url = new URL(page.url());
  expect(url.searchParams.get("payment_intent")).toBe(intentId);
  expect(url.searchParams.get("redirect_status")).toBe("processing");
  await expect(serverStatus(page)).toHaveText("Payment status: succeeded");
});

test("iDEAL leaves for the bank's test page; Authorize Test Payment returns with redirect_status=succeeded", async ({ page }) => {
  await openCheckout(page, "?currency=eur");
  const intentId = (await page.getByTestId("intent-id").textContent()) ?? "";
  await chooseIdeal(page, "ING");
  await payEuro(page);
  await expect(page.getByRole("heading", { name: "iDEAL test payment page" })).toBeVisible();
  await answerRedirect(page, "Authorize Test Payment");
  await page.waitForURL(/\/return\?/);
  const url = new URL(page.url());
  expect(url.searchParams.get("order")).toBe("ord_123");
  expect(url.searchParams.get("payment_intent")).toBe(intentId);
  expect(url.searchParams.get("payment_intent_client_secret")).toMatch(new RegExp(`^${intentId}_secret_`));
  expect(url.searchParams.get("redirect_status")).toBe("succeeded");
  await expect(serverStatus(page)).toHaveText("Payment status: succeeded");
});

test("iDEAL: Fail Test Payment returns with redirect_status=failed and the intent needs a new method", async ({ page }) => {
  await openCheckout(page, "?currency=eur");
  await chooseIdeal(page);
  await payEuro(page);
  await answerRedirect(page, "Fail Test Payment");
  await page.waitForURL(/\/return\?/);
  expect(new URL(page.url()).searchParams.get("redirect_status")).toBe("failed");
  await expect(serverStatus(page)).toHaveText("Payment status: requires_payment_method");
  await expect(page.getByTestId("server-error")).toHaveText("Last error: payment_intent_authentication_failure");
});

test("a usd intent with automatic payment methods shows the tabs Card and US bank account", async ({ page }) => {
  await openCheckout(page);
  await expect(paymentFrame(page).getByRole("tab")).toHaveCount(2);
  expect((await tabNames(page)).map((name) => name.trim())).toEqual(["Card", "US bank account"]);
  await paymentFrame(page).getByRole("tab", { name: "US bank account" }).click();
  const panel = paymentFrame(page).getByRole("tabpanel");
  for (const label of ["Full name", "Email", "Routing number", "Account number", "Account type"]) {
    await expect(panel.getByLabel(label)).toBeVisible();
  }
});

test("setup mode saves 4242 4242 4242 4242: the SetupIntent succeeds and the card is attached to the customer", async ({ page }) => {
  await openCheckout(page, "?mode=setup");
  await expect(page.getByTestId("intent-id")).toHaveText(/^seti_/);
  await fillPaymentElement(page, { number: "4242 4242 4242 4242", ...VALID });
  await saveCard(page);
  await expect(page.getByTestId("confirm-status")).toHaveText("Confirmed: succeeded");
  await expect(serverStatus(page)).toHaveText("Setup status: succeeded");
  await expect(page.getByTestId("saved")).toHaveText("Saved to customer: yes");
});

test("setup mode with 4000 0025 0000 3155 opens the 3-D Secure modal and succeeds on Complete", async ({ page }) => {
  await openCheckout(page, "?mode=setup");
  await fillPaymentElement(page, { number: "4000 0025 0000 3155", ...VALID });
  await saveCard(page);
  await expect(page.getByRole("dialog")).toBeVisible();
  await answerThreeDSecure(page, "Complete");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(serverStatus(page)).toHaveText("Setup status: succeeded");
  await expect(page.getByTestId("saved")).toHaveText("Saved to customer: yes");
});

test("setup mode: failing 3-D Secure reports the authentication error", async ({ page }) => {
  await openCheckout(page, "?mode=setup");
  await fillPaymentElement(page, { number: "4000 0025 0000 3155", ...VALID });
  await saveCard(page);
  await answerThreeDSecure(page, "Fail");
  await expect(message(page)).toHaveText(AUTH_FAILURE);
});

test("deferred setup mode (elements({mode: 'setup'})) with redirect 'always' returns with setup_intent and its secret", async ({
  page,
}) => {
  await openCheckout(page, "?mode=setup&deferred=1&redirect=always");
  const setupId = (await page.getByTestId("intent-id").textContent()) ?? "";
  await fillPaymentElement(page, { number: "4242 4242 4242 4242", ...VALID });
  await saveCard(page);
  await page.waitForURL(/\/return\?/);
  const url = new URL(page.url());
  expect(url.searchParams.get("setup_intent")).toBe(setupId);
  expect(url.searchParams.get("setup_intent_client_secret")).toMatch(new RegExp(`^${setupId}_secret_`));
  expect(url.searchParams.get("redirect_status")).toBe("succeeded");
  await expect(serverStatus(page)).toHaveText("Setup status: succeeded");
});

test("a US bank account payment is processing, then succeeds on the server", async ({ page }) => {
  await openCheckout(page);
  await fillUsBankAccount(page, {
    name: "Jenny Rosen",
    email: "jenny@example.com",
    routingNumber: "110000000",
    accountNumber: "000123456789",
    accountType: "savings",
  });
  await expect(page.getByTestId("element-state")).toHaveText("ready, complete");
  await pay(page);
  await expect(page.getByTestId("confirm-status")).toHaveText("Confirmed: processing");
  await expect(serverStatus(page)).toHaveText("Payment status: succeeded");
});

/** Stripe.js calls made straight from the shop's page, as an integration without the Payment Element makes them. */
type PageWindow = Window & { Stripe: (key: string) => StripeJs };

test("confirmCardSetup, handleNextAction and retrieveSetupIntent work with a SetupIntent's client secret", async ({ page }) => {
  await openCheckout(page, "?mode=setup");
  const saved = await page.evaluate(async () => {
    const stripe = (window as unknown as PageWindow).Stripe(window.__FIXTURE__.publishableKey);
    const { clientSecret } = (await (await fetch("/api/setup-intents", { method: "POST" })).json()) as { clientSecret: string };
    const confirmed = await stripe.confirmCardSetup(clientSecret, { payment_method: "pm_card_visa" });
    const retrieved = await stripe.retrieveSetupIntent(clientSecret);
    return { confirmed: confirmed.setupIntent?.status, retrieved: retrieved.setupIntent?.status };
  });
  expect(saved).toEqual({ confirmed: "succeeded", retrieved: "succeeded" });

  // handleActions: false leaves the 3-D Secure step to handleNextAction, which opens the same modal.
  const authenticated = page.evaluate(async () => {
    const stripe = (window as unknown as PageWindow).Stripe(window.__FIXTURE__.publishableKey);
    const { clientSecret } = (await (await fetch("/api/setup-intents", { method: "POST" })).json()) as { clientSecret: string };
    const pending = await stripe.confirmCardSetup(
      clientSecret,
      { payment_method: "pm_card_threeDSecure2Required" },
      { handleActions: false },
    );
    const handled = await stripe.handleNextAction({ clientSecret });
    return { pending: pending.setupIntent?.status, handled: handled.setupIntent?.status };
  });
  await answerThreeDSecure(page, "Complete");
  expect(await authenticated).toEqual({ pending: "requires_action", handled: "succeeded" });
});
