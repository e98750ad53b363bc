// Payment Element helpers written against Stripe's real Payment Element, so they also drive the sandbox's stand-in:
// card entry, choosing a payment method tab, SEPA Direct Debit and bank-account details, and answering the test
// pages Stripe shows for 3-D Secure and for redirect methods such as iDEAL.
import { expect, type FrameLocator, type Locator, type Page } from "@playwright/test";

export interface CardDetails {
  number: string;
  expiry: string; // "MM / YY" or "MMYY"
  cvc: string;
  country?: string; // ISO code, e.g. "US"
  postalCode?: string;
}

/** The Payment Element's card iframe (Stripe titles it "Secure payment input frame"). */
export function paymentFrame(page: Page): FrameLocator {
  return page.locator('iframe[title="Secure payment input frame"]').first().contentFrame();
}

export async function fillPaymentElement(page: Page, card: CardDetails): Promise<void> {
  const frame = paymentFrame(page);
  const number = frame.locator('input[name="number"]');
  // With several methods offered, card fields appear only after the "Card" tab (or accordion item) is chosen.
  const cardTab = frame
    .getByRole("tab", { name: /^card$/i })
    .or(frame.getByRole("button", { name: /^card$/i }))
    .first();
  await expect(number.or(cardTab).first()).toBeVisible();
  // isVisible() does not wait, so a card-only element (no tab at all) costs nothing here; re-clicking a selected tab is harmless.
  if ((await cardTab.isVisible()) && (await cardTab.getAttribute("aria-selected")) !== "true") await cardTab.click();
  await expect(number).toBeVisible();

  await number.fill(card.number);
  await frame.locator('input[name="expiry"]').fill(card.expiry);
  await frame.locator('input[name="cvc"]').fill(card.cvc);
  const country = frame.locator('select[name="country"]');
  if (card.country && (await country.count()) > 0) await country.selectOption(card.country);
  const postalCode = frame.locator('input[name="postalCode"]');
  if (card.postalCode !== undefined && (await postalCode.isVisible())) await postalCode.fill(card.postalCode);
}

/** The tab labels of the payment methods the helpers know (the real element's labels and the stand-in's). */
export type PaymentMethodLabel = "Card" | "SEPA Debit" | "US bank account" | "iDEAL";

/** Selects a payment method's tab (or accordion item), e.g. "SEPA Debit"; a tab that is already selected stays so. */
export async function choosePaymentMethod(page: Page, label: PaymentMethodLabel | (string & {})): Promise<void> {
  const frame = paymentFrame(page);
  const tab = frame
    .getByRole("tab", { name: label, exact: true })
    .or(frame.getByRole("button", { name: label, exact: true }))
    .first();
  if ((await tab.getAttribute("aria-selected")) !== "true") await tab.click();
}

export interface SepaDebitDetails {
  name: string;
  email: string;
  iban: string; // e.g. Stripe's test IBAN "DE89370400440532013000"; spaces allowed
}

/**
 * Chooses "SEPA Debit" and fills its name, email and IBAN. Several tabs may have a name or email field, so only the
 * visible ones (the selected tab's) are filled.
 */
export async function fillSepaDebit(page: Page, details: SepaDebitDetails): Promise<void> {
  await choosePaymentMethod(page, "SEPA Debit");
  const frame = paymentFrame(page);
  await frame.locator('input[name="name"]:visible').fill(details.name);
  await frame.locator('input[name="email"]:visible').fill(details.email);
  await frame.locator('input[name="iban"]:visible').fill(details.iban);
}

export interface UsBankAccountDetails {
  name: string;
  email: string;
  routingNumber: string; // Stripe's test routing number is 110000000
  accountNumber: string; // e.g. 000123456789 (succeeds), 000222222227 (insufficient funds)
  accountType?: "checking" | "savings";
}

/**
 * Chooses "US bank account" and types the account details. Stripe's real element collects them through Financial
 * Connections (a bank-login modal) unless manual entry is chosen there, so this helper is for the sandbox's stand-in,
 * whose tab has the manual-entry fields directly.
 */
export async function fillUsBankAccount(page: Page, details: UsBankAccountDetails): Promise<void> {
  await choosePaymentMethod(page, "US bank account");
  const frame = paymentFrame(page);
  await frame.locator('input[name="name"]:visible').fill(details.name);
  await frame.locator('input[name="email"]:visible').fill(details.email);
  await frame.locator('input[name="routingNumber"]:visible').fill(details.routingNumber);
  await frame.locator('input[name="accountNumber"]:visible').fill(details.accountNumber);
  if (details.accountType) await frame.getByLabel("Account type").selectOption(details.accountType);
}

/** Chooses "iDEAL" and, when given, a bank (its value, e.g. "ing", or its name, e.g. "ING"); the bank is optional. */
export async function chooseIdeal(page: Page, bank?: string): Promise<void> {
  await choosePaymentMethod(page, "iDEAL");
  if (bank) await paymentFrame(page).getByLabel("iDEAL Bank").selectOption(bank);
}

/** Finds a button by name in any frame of the page, however deeply nested (Stripe nests the 3DS page two frames down). */
async function findButtonInFrames(page: Page, name: RegExp, timeoutMs: number): Promise<Locator> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      const button = frame.getByRole("button", { name });
      if (
        (await button.count().catch(() => 0)) > 0 &&
        (await button
          .first()
          .isVisible()
          .catch(() => false))
      ) {
        return button.first();
      }
    }
    if (Date.now() > deadline) throw new Error(`No button matching ${name} appeared in any frame within ${timeoutMs} ms`);
    await page.waitForTimeout(250);
  }
}

/** Answers Stripe's test 3-D Secure challenge with its "Complete" or "Fail" button. */
export async function answerThreeDSecure(page: Page, answer: "Complete" | "Fail", timeoutMs = 20_000): Promise<void> {
  const button = await findButtonInFrames(page, new RegExp(`^${answer}( authentication)?$`, "i"), timeoutMs);
  await button.click();
}

/**
 * Answers the test page a redirect payment method (iDEAL…) leads to, in Stripe's test mode and in the sandbox alike:
 * "Authorize Test Payment" or "Fail Test Payment". Either one sends the browser back to the return_url.
 */
export async function answerRedirect(
  page: Page,
  answer: "Authorize Test Payment" | "Fail Test Payment",
  timeoutMs = 20_000,
): Promise<void> {
  const button = await findButtonInFrames(page, new RegExp(`^${answer}$`, "i"), timeoutMs);
  await button.click();
}
