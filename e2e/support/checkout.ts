// Shopper steps shared by the checkout tests, written the way a person finds things (roles, labels, text).
import { expect, type Page } from "@playwright/test";
import { fillPaymentElement, type CardDetails } from "@tidewater/stripe-sandbox/testing";

export const CARDS = {
  visa: "4242 4242 4242 4242",
  declined: "4000 0000 0000 0002",
  insufficientFunds: "4000 0000 0000 9995",
  threeDSecure: "4000 0025 0000 3155",
} as const;

export function card(number: string): CardDetails {
  return { number, expiry: "12 / 34", cvc: "123", country: "US", postalCode: "94105" };
}

export async function addProduct(page: Page, slug: string): Promise<void> {
  await page.goto(`/products/${slug}`);
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(page.getByRole("status")).toContainText("Added to cart");
}

/**
 * Fills contact and shipping details on the checkout page. The default address is in Oregon, where the demo
 * configuration charges no sales tax, so a test's total is its goods plus shipping unless it is about taxes.
 */
export async function fillDetails(page: Page, address: { city: string; state: string; postalCode: string } = OREGON): Promise<void> {
  await page.goto("/checkout");
  await page.getByLabel("Email").fill("e2e-shopper@example.com");
  await page.getByLabel("Full name").fill("Grace Tester");
  await page.getByLabel("Address", { exact: true }).fill("500 Howard Street");
  await page.getByLabel("City").fill(address.city);
  await page.getByLabel("State", { exact: true }).selectOption(address.state);
  await page.getByLabel("Postal code").fill(address.postalCode);
}

export const OREGON = { city: "Portland", state: "OR", postalCode: "97204" };
export const CALIFORNIA = { city: "San Francisco", state: "CA", postalCode: "94105" };

/** Fills contact and shipping details and waits for the Payment Element. Returns the order number. */
export async function enterDetails(page: Page, address = OREGON): Promise<string> {
  await fillDetails(page, address);
  return continueToPayment(page);
}

/** Submits the details and waits for the Payment Element. Returns the order number. */
export async function continueToPayment(page: Page): Promise<string> {
  await page.getByRole("button", { name: "Continue to payment" }).click();
  await expect(page.locator('iframe[title="Secure payment input frame"]')).toBeVisible();
  const number = await page.getByText(/^Order SF-/).textContent();
  return number!.replace("Order ", "").trim();
}

export async function payWith(page: Page, cardNumber: string): Promise<void> {
  await fillPaymentElement(page, card(cardNumber));
  await page.getByRole("button", { name: /^Pay / }).click();
}
