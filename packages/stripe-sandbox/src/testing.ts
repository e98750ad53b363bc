// Card-entry helpers written against Stripe's real Payment Element, so they also drive the sandbox's stand-in.
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
