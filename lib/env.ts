import "server-only";
import { z } from "zod";

// The shop's configuration: each getter validates its group of variables once and names the one that is
// wrong. In app/, components/ and lib/ every variable is read through here except NODE_ENV in lib/db.ts (the
// dev-only client cache). next.config.mjs reads STRIPE_JS_URL, STRIPE_API_BASE and NODE_ENV at build time
// for the security headers, and cache/ reads DATABASE_URL; scripts (scripts/, bench/, chaos/) read their own.

const databaseSchema = z.object({
  DATABASE_URL: z
    .string({ error: "DATABASE_URL is not set: start the shop with `npm run dev` (embedded PostgreSQL) or set it to your server's URL" })
    .url("DATABASE_URL must be a postgres:// URL"),
});

const siteSchema = z.object({
  // Absolute origin for canonical URLs, the sitemap and absolute image URLs. (Stripe's return_url is built in
  // the browser from the page's own origin.)
  APP_URL: z.string().url("APP_URL must be an absolute URL such as https://shop.example.com").default("http://localhost:3000"),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  // How many proxies of ours stand in front of the shop, each appending to X-Forwarded-For (lib/request-ip.ts).
  // 0: the shop is reached directly and the socket's address is the client's.
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0, "TRUSTED_PROXY_HOPS must be 0 or more").max(10).default(0),
});

// .env files often carry `KEY=` for "unset"; treat an empty string as absent.
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === "" ? undefined : value), schema.optional());
const required = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === "" ? undefined : value), schema);

const stripeSchema = z.object({
  STRIPE_SECRET_KEY: required(
    z
      .string({ error: "STRIPE_SECRET_KEY is not set: run `npm run dev` to use the offline Stripe sandbox, or set your sk_test_ key" })
      .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/, "STRIPE_SECRET_KEY must be a Stripe secret key (sk_test_… or rk_test_…)"),
  ),
  STRIPE_PUBLISHABLE_KEY: required(
    z
      .string({ error: "STRIPE_PUBLISHABLE_KEY is not set (pk_test_…)" })
      .regex(/^pk_(test|live)_[A-Za-z0-9_]+$/, "STRIPE_PUBLISHABLE_KEY must be a publishable key (pk_test_…)"),
  ),
  // No fallback to unverified webhooks: without the secret the webhook route refuses to run.
  STRIPE_WEBHOOK_SECRET: required(
    z.string({ error: "STRIPE_WEBHOOK_SECRET is not set (whsec_…)" }).startsWith("whsec_", "STRIPE_WEBHOOK_SECRET must start with whsec_"),
  ),
  STRIPE_API_BASE: optional(z.string().url("STRIPE_API_BASE must be a URL such as http://127.0.0.1:12111")),
  STRIPE_JS_URL: optional(z.string().url("STRIPE_JS_URL must be the URL of a Stripe.js script")),
  // Minutes a checkout holds stock before the reservation can be released.
  CHECKOUT_RESERVATION_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
});

// The first owner, from the environment (optional): lib/auth/staff.ts makes sure this account exists as an owner
// with this password whenever the shop starts. Other staff are invited from /admin/staff.
const adminSchema = z
  .object({
    ADMIN_EMAIL: optional(z.string().email("ADMIN_EMAIL must be an email address")),
    // Preferred: an scrypt hash from `npm run admin:hash-password`. A plain ADMIN_PASSWORD is for local use only.
    ADMIN_PASSWORD_HASH: optional(z.string().regex(/^scrypt\$/, "ADMIN_PASSWORD_HASH must come from `npm run admin:hash-password`")),
    ADMIN_PASSWORD: optional(z.string().min(8, "ADMIN_PASSWORD must be at least 8 characters")),
    // Minutes a staff session may go unused before it is refused (lib/auth/sessions.ts). At least 5, since
    // lastSeenAt is kept to the minute; at most the session's own 8 hours.
    ADMIN_IDLE_MINUTES: z.preprocess(
      (value) => (value === "" ? undefined : value),
      z.coerce
        .number({ error: "ADMIN_IDLE_MINUTES must be a number of minutes" })
        .int("ADMIN_IDLE_MINUTES must be a whole number of minutes")
        .min(5, "ADMIN_IDLE_MINUTES must be at least 5")
        .max(8 * 60, "ADMIN_IDLE_MINUTES must be at most 480 (sessions end after 8 hours anyway)")
        .default(60),
    ),
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  })
  .refine((env) => !env.ADMIN_EMAIL || env.ADMIN_PASSWORD_HASH || env.ADMIN_PASSWORD, {
    message: "With ADMIN_EMAIL set ADMIN_PASSWORD_HASH (or ADMIN_PASSWORD outside production)",
    path: ["ADMIN_PASSWORD_HASH"],
  })
  .refine((env) => env.NODE_ENV !== "production" || !env.ADMIN_PASSWORD || env.ADMIN_PASSWORD_HASH, {
    message: "In production use ADMIN_PASSWORD_HASH, not a plain ADMIN_PASSWORD",
    path: ["ADMIN_PASSWORD"],
  });

// Email (lib/email): the SMTP server the job queue sends through, the sender, and where staff notifications go.
// SMTP_URL unset (a deployment without mail): messages wait in the outbox, each attempt failing with a clear
// error, and go out once it is set.
const mailSchema = z.object({
  SMTP_URL: optional(
    z.string().regex(/^smtps?:\/\//, "SMTP_URL must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.com:587"),
  ),
  MAIL_FROM: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.string().min(3).default("Tidewater Goods <orders@tidewater.example>"),
  ),
  // Staff notifications (new orders, disputes, low stock, failed deliveries); unset: ADMIN_EMAIL.
  STAFF_EMAIL: optional(z.string().email("STAFF_EMAIL must be an email address")),
  ADMIN_EMAIL: optional(z.string().email()),
});

function parseOnce<T extends z.ZodType>(schema: T): () => z.infer<T> {
  let cached: z.infer<T> | undefined;
  return () => {
    if (cached) return cached;
    const result = schema.safeParse(process.env);
    if (!result.success) {
      const problems = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`).join("\n");
      throw new Error(`Invalid environment:\n${problems}`);
    }
    cached = result.data;
    return cached;
  };
}

export const databaseEnv = parseOnce(databaseSchema);
export const siteEnv = parseOnce(siteSchema);
export const stripeEnv = parseOnce(stripeSchema);
export const adminEnv = parseOnce(adminSchema);
export const mailEnv = parseOnce(mailSchema);
