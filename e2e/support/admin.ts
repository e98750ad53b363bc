import { expect, type Page } from "@playwright/test";

export const ADMIN_EMAIL = process.env.ADMIN_EMAIL ?? "admin@example.com";

export function adminPassword(): string {
  const password = process.env.E2E_ADMIN_PASSWORD;
  if (!password) throw new Error("E2E_ADMIN_PASSWORD must be set (npm test sets it)");
  return password;
}

export async function signInAsAdmin(page: Page, next = "/admin"): Promise<void> {
  await page.goto(`/admin/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel("Email").fill(ADMIN_EMAIL);
  await page.getByLabel("Password").fill(adminPassword());
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("navigation", { name: "Admin" })).toBeVisible();
}

/** The Stripe sandbox's control API (fault switches); only when the suite runs against the sandbox. */
export async function sandboxFaults(faults: Record<string, unknown> | null): Promise<void> {
  const base = process.env.STRIPE_SANDBOX_URL;
  if (!base) throw new Error("STRIPE_SANDBOX_URL is not set: this test needs the offline sandbox");
  const response = await fetch(`${base}/_sandbox/faults`, {
    method: faults ? "POST" : "DELETE",
    headers: { "Content-Type": "application/json" },
    body: faults ? JSON.stringify(faults) : undefined,
  });
  if (!response.ok) throw new Error(`sandbox faults: ${response.status} ${await response.text()}`);
}

/** Confirms an intent server-side with a test card, as if the shopper paid but never came back. */
export async function payIntentDirectly(paymentIntentId: string): Promise<void> {
  const base = process.env.STRIPE_API_BASE ?? "https://api.stripe.com";
  const response = await fetch(`${base}/v1/payment_intents/${paymentIntentId}/confirm`, {
    method: "POST",
    headers: { Authorization: `Bearer ${process.env.STRIPE_SECRET_KEY}`, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ payment_method: "pm_card_visa", return_url: "http://localhost/unused" }),
  });
  const intent = (await response.json()) as { status?: string };
  if (intent.status !== "succeeded") throw new Error(`expected the intent to succeed, got ${JSON.stringify(intent)}`);
}
