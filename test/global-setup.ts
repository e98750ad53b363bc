// Vitest global setup: a throw-away embedded PostgreSQL, migrated and seeded, the Stripe sandbox and the mail
// catcher (a real SMTP server), for integration tests. Tests read DATABASE_URL and STRIPE_* like the app does; workers inherit them because
// they start after this runs.
import { startSandbox } from "@tidewater/stripe-sandbox";
import { startEmbeddedPostgres } from "../scripts/db/embedded";
import { prepareDatabase } from "../scripts/db/prepare";
import { startMailCatcher } from "../scripts/mail/catcher";

export default async function setup(): Promise<() => Promise<void>> {
  const server = await startEmbeddedPostgres({ persistent: false });
  await server.ensureDatabase("shop_test");
  const url = server.url("shop_test");
  await prepareDatabase(url, () => undefined);
  process.env.DATABASE_URL = url;
  // Lets tests create extra scratch databases on the same server (e.g. to run migrations from scratch).
  process.env.TEST_POSTGRES_ADMIN_URL = server.url("postgres");
  const sandbox = await startSandbox({ port: 0, persist: false, webhookSecret: "whsec_vitest_integration_secret" });
  const mail = await startMailCatcher({ smtpPort: 0, httpPort: 0 });
  Object.assign(process.env, {
    STRIPE_SECRET_KEY: "sk_test_vitest",
    STRIPE_PUBLISHABLE_KEY: "pk_test_vitest",
    STRIPE_WEBHOOK_SECRET: sandbox.webhookSecret,
    STRIPE_API_BASE: sandbox.url,
    STRIPE_SANDBOX_URL: sandbox.url,
    ADMIN_EMAIL: "admin@example.com",
    ADMIN_PASSWORD: "vitest-admin-password",
    SMTP_URL: mail.smtpUrl,
    MAIL_CATCHER_URL: mail.webUrl,
    MAIL_FROM: "Tidewater Goods <orders@tidewater.example>",
    STAFF_EMAIL: "staff@example.com",
  });
  return async () => {
    await mail.stop();
    await sandbox.close();
    await server.stop();
  };
}
