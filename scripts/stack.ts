// Starts what the shop needs around it: PostgreSQL (embedded unless DATABASE_URL is set), Stripe (the offline
// sandbox unless STRIPE_SECRET_KEY is set) and an SMTP server (the local mail catcher unless SMTP_URL is set).
// Returns the environment the app runs with.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { freePort, onCleanup } from "@tidewater/harness";
import { startSandbox } from "@tidewater/stripe-sandbox";
import { hashPassword } from "../lib/auth/password";
import { startEmbeddedPostgres } from "./db/embedded";
import { prepareDatabase } from "./db/prepare";
import { startMailCatcher } from "./mail/catcher";

export const ROOT = path.resolve(import.meta.dirname, "..");
const DATA_DIR = path.join(ROOT, ".data");

export type StackMode = "dev" | "test";
/** `stop` stops what was started, newest first (it is also on the harness's clean-up list); calling it again waits for the same stop. */
export type Stack = { env: Record<string, string>; appPort: number; stop: () => Promise<void> };

type Options = { mode: StackMode; appPort?: number; log?: (line: string) => void };

export async function startStack({ mode, appPort: requestedPort, log = console.log }: Options): Promise<Stack> {
  const stops: Array<() => Promise<void>> = [];
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      for (const fn of stops.reverse()) await fn().catch((error: unknown) => log(`stop failed: ${String(error)}`));
    })());
  onCleanup("database, Stripe sandbox and mail catcher", stop);
  try {
    const appPort = requestedPort ?? (mode === "dev" ? Number(process.env.PORT ?? 3000) : await freePort());
    const appUrl = process.env.APP_URL ?? `http://localhost:${appPort}`;
    const env: Record<string, string> = { APP_URL: appUrl, NEXT_TELEMETRY_DISABLED: "1" };

    env.DATABASE_URL = await startDatabase(mode, log, stops);
    await prepareDatabase(env.DATABASE_URL, (line) => log(`[db] ${line}`));

    Object.assign(env, await startStripe(mode, `${appUrl}/api/webhooks/stripe`, log, stops));
    Object.assign(env, await adminCredentials(mode, log));
    Object.assign(env, await startMail(mode, log, stops));
    return { env, appPort, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function startDatabase(mode: StackMode, log: (line: string) => void, stops: Array<() => Promise<void>>) {
  if (process.env.DATABASE_URL) {
    log("[db] using DATABASE_URL");
    return process.env.DATABASE_URL;
  }
  const dev = mode === "dev";
  const started = Date.now();
  // Dev data lives in .data/ and survives restarts; each test run gets a throw-away cluster.
  const server = await startEmbeddedPostgres(
    dev
      ? { persistent: true, dataDir: path.join(DATA_DIR, "postgres"), port: Number(process.env.EMBEDDED_POSTGRES_PORT ?? 54329) }
      : { persistent: false },
  );
  stops.push(server.stop);
  const database = dev ? "shop" : "shop_test";
  await server.ensureDatabase(database);
  log(`[db] embedded PostgreSQL ready in ${Date.now() - started} ms: ${server.url(database)}`);
  return server.url(database);
}

async function startStripe(
  mode: StackMode,
  webhookUrl: string,
  log: (line: string) => void,
  stops: Array<() => Promise<void>>,
): Promise<Record<string, string>> {
  if (process.env.STRIPE_SECRET_KEY) {
    log("[stripe] using STRIPE_SECRET_KEY (real Stripe or your own sandbox)");
    return {};
  }
  const dev = mode === "dev";
  const sandbox = await startSandbox({
    port: dev ? Number(process.env.STRIPE_SANDBOX_PORT ?? 12111) : 0,
    forwardTo: webhookUrl,
    webhookSecret: dev ? await persistentWebhookSecret() : `whsec_${randomBytes(24).toString("hex")}`,
    dataFile: dev ? path.join(DATA_DIR, "stripe-sandbox.json") : undefined,
    persist: dev,
    // Tests want retries within seconds, not Stripe's hours.
    retryBaseMs: dev ? undefined : 500,
    log: (line: string) => log(`[stripe-sandbox] ${line}`),
  });
  stops.push(sandbox.close);
  log(`[stripe] offline Stripe sandbox at ${sandbox.url}, forwarding webhooks to ${webhookUrl}`);
  return {
    STRIPE_SECRET_KEY: "sk_test_sandbox",
    STRIPE_PUBLISHABLE_KEY: "pk_test_sandbox",
    STRIPE_WEBHOOK_SECRET: sandbox.webhookSecret,
    STRIPE_API_BASE: sandbox.url,
    STRIPE_JS_URL: `${sandbox.url}/v3/stripe.js`,
    STRIPE_SANDBOX_URL: sandbox.url,
  };
}

const DEFAULT_MAIL_FROM = "Tidewater Goods <orders@tidewater.example>";

/**
 * The shop's SMTP server: SMTP_URL as given, or the local mail catcher (scripts/mail/catcher.ts) whose web inbox
 * shows every email sent and whose API (MAIL_CATCHER_URL) the e2e tests and the chaos run read. Dev uses fixed
 * ports so the inbox stays at one address; a taken port fails start-up with the variable to set.
 */
async function startMail(mode: StackMode, log: (line: string) => void, stops: Array<() => Promise<void>>): Promise<Record<string, string>> {
  const env: Record<string, string> = {
    MAIL_FROM: process.env.MAIL_FROM || DEFAULT_MAIL_FROM,
    // Staff notifications go to the owner unless told otherwise.
    STAFF_EMAIL: process.env.STAFF_EMAIL || process.env.ADMIN_EMAIL || DEFAULT_ADMIN_EMAIL,
  };
  if (process.env.SMTP_URL) {
    log("[mail] using SMTP_URL (no local mail catcher)");
    return { ...env, SMTP_URL: process.env.SMTP_URL };
  }
  const dev = mode === "dev";
  const catcher = await startMailCatcher({
    smtpPort: dev ? Number(process.env.MAIL_CATCHER_SMTP_PORT || 1025) : await freePort(),
    httpPort: dev ? Number(process.env.MAIL_CATCHER_WEB_PORT || 1080) : await freePort(),
    log,
    logMessages: dev,
  });
  stops.push(catcher.stop);
  if (dev) log(`[mail] local inbox at http://localhost:${catcher.httpPort} (every email the shop sends lands here)`);
  else log(`[mail] mail catcher at ${catcher.smtpUrl}, inbox and API at ${catcher.webUrl}`);
  return { ...env, SMTP_URL: catcher.smtpUrl, MAIL_CATCHER_URL: catcher.webUrl };
}

/** Staff sign-in for a machine with none configured: printed in dev, fixed for the test suite. */
async function adminCredentials(mode: StackMode, log: (line: string) => void): Promise<Record<string, string>> {
  if (process.env.ADMIN_EMAIL) return {};
  const password = mode === "dev" ? await keptSecret("admin-password", () => randomBytes(12).toString("base64url")) : TEST_ADMIN_PASSWORD;
  // The shop makes this the owner account when it starts (lib/auth/staff.ts); owners invite everyone else.
  if (mode === "dev")
    log(
      `[admin] sign in at /admin as ${DEFAULT_ADMIN_EMAIL} (owner) with password ${password} (set ADMIN_EMAIL and ADMIN_PASSWORD_HASH to choose your own, or use npm run staff:create)`,
    );
  return { ADMIN_EMAIL: DEFAULT_ADMIN_EMAIL, ADMIN_PASSWORD_HASH: await hashPassword(password) };
}

export const DEFAULT_ADMIN_EMAIL = "admin@example.com";
export const TEST_ADMIN_PASSWORD = "correct horse battery staple";

async function keptSecret(name: string, make: () => string): Promise<string> {
  const file = path.join(DATA_DIR, name);
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  await mkdir(DATA_DIR, { recursive: true });
  const value = make();
  await writeFile(file, `${value}\n`, { mode: 0o600 });
  return value;
}

// The dev webhook secret is kept so a restarted shop and sandbox keep agreeing on it.
function persistentWebhookSecret(): Promise<string> {
  return keptSecret("stripe-webhook-secret", () => `whsec_${randomBytes(24).toString("hex")}`);
}
