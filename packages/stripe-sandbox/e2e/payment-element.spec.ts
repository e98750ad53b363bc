// A shopper paying through the sandbox's Payment Element stand-in, driven the way tests drive Stripe's real one.
import { expect, test, type Page } from "@playwright/test";
import { answerThreeDSecure, fillPaymentElement, paymentFrame } from "../src/testing";
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
