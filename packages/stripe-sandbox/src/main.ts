// CLI: `npm run sandbox -- [--port N] [--forward-to URL] [--webhook-secret whsec_…] [--data-file PATH | --no-persist] [--api-key sk_test_…]`
// Every option has an environment equivalent (STRIPE_SANDBOX_*); flags win over the environment.
import { parseArgs } from "node:util";
import { z } from "zod";
import { startSandbox } from "./server.js";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    host: { type: "string" },
    "forward-to": { type: "string" },
    "webhook-secret": { type: "string" },
    "data-file": { type: "string" },
    "no-persist": { type: "boolean" },
    "api-key": { type: "string" },
    "webhook-timeout-ms": { type: "string" },
    "retry-base-ms": { type: "string" },
    "max-attempts": { type: "string" },
    "dispute-delay-ms": { type: "string" },
    "async-delay-ms": { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});

if (values.help) {
  console.log(`Stripe sandbox: an offline Stripe API emulator.
  --port N                 STRIPE_SANDBOX_PORT            (default 12111)
  --host H                 STRIPE_SANDBOX_HOST            (default 127.0.0.1)
  --forward-to URL         STRIPE_SANDBOX_FORWARD_TO      send every event to this webhook URL
  --webhook-secret whsec_  STRIPE_SANDBOX_WEBHOOK_SECRET  signing secret for --forward-to (generated if absent)
  --data-file PATH         STRIPE_SANDBOX_DATA_FILE       (default .data/stripe-sandbox.json)
  --no-persist             STRIPE_SANDBOX_NO_PERSIST=1    keep state in memory only
  --api-key sk_test_…      STRIPE_SANDBOX_API_KEY         accept only this secret key
  --webhook-timeout-ms N   STRIPE_SANDBOX_WEBHOOK_TIMEOUT_MS (default 10000)
  --retry-base-ms N        STRIPE_SANDBOX_RETRY_BASE_MS   first retry delay, doubling (default 5000)
  --max-attempts N         STRIPE_SANDBOX_MAX_ATTEMPTS    attempts per delivery (default 8)
  --dispute-delay-ms N     STRIPE_SANDBOX_DISPUTE_DELAY_MS submitted test evidence decides a dispute after this (default 2000)
  --async-delay-ms N       STRIPE_SANDBOX_ASYNC_DELAY_MS  a bank debit (SEPA, US bank account) settles after this (default 3000)`);
  process.exit(0);
}

const env = process.env;
const int = z.coerce.number().int().min(0);
const config = z
  .object({
    port: int.max(65535).default(12111),
    host: z.string().default("127.0.0.1"),
    forwardTo: z.url().optional(),
    webhookSecret: z.string().startsWith("whsec_", "must start with whsec_").optional(),
    dataFile: z.string().default(".data/stripe-sandbox.json"),
    persist: z.boolean(),
    apiKey: z
      .string()
      .regex(/^(sk|rk)_test_/, "must be a test secret key (sk_test_… or rk_test_…)")
      .optional(),
    webhookTimeoutMs: int.min(1).default(10_000),
    retryBaseMs: int.default(5_000),
    maxAttempts: int.min(1).default(8),
    disputeDelayMs: int.default(2_000),
    asyncDelayMs: int.default(3_000),
  })
  .safeParse({
    port: values.port ?? env.STRIPE_SANDBOX_PORT,
    host: values.host ?? env.STRIPE_SANDBOX_HOST,
    forwardTo: values["forward-to"] ?? env.STRIPE_SANDBOX_FORWARD_TO,
    webhookSecret: values["webhook-secret"] ?? env.STRIPE_SANDBOX_WEBHOOK_SECRET,
    dataFile: values["data-file"] ?? env.STRIPE_SANDBOX_DATA_FILE,
    persist: !(values["no-persist"] ?? ["1", "true"].includes(env.STRIPE_SANDBOX_NO_PERSIST ?? "")),
    apiKey: values["api-key"] ?? env.STRIPE_SANDBOX_API_KEY,
    webhookTimeoutMs: values["webhook-timeout-ms"] ?? env.STRIPE_SANDBOX_WEBHOOK_TIMEOUT_MS,
    retryBaseMs: values["retry-base-ms"] ?? env.STRIPE_SANDBOX_RETRY_BASE_MS,
    maxAttempts: values["max-attempts"] ?? env.STRIPE_SANDBOX_MAX_ATTEMPTS,
    disputeDelayMs: values["dispute-delay-ms"] ?? env.STRIPE_SANDBOX_DISPUTE_DELAY_MS,
    asyncDelayMs: values["async-delay-ms"] ?? env.STRIPE_SANDBOX_ASYNC_DELAY_MS,
  });

if (!config.success) {
  for (const issue of config.error.issues) console.error(`stripe-sandbox: invalid ${issue.path.join(".")}: ${issue.message}`);
  process.exit(2);
}

const sandbox = await startSandbox({ ...config.data, log: (line) => console.log(line) });
console.log(`  API base:       ${sandbox.url}  (stripe-node: host 127.0.0.1, port ${sandbox.port}, protocol http)`);
console.log(`  Status page:    ${sandbox.url}/_sandbox/status`);
console.log(`  Data:           ${config.data.persist ? config.data.dataFile : "memory only (--no-persist)"}`);
if (config.data.forwardTo) console.log(`  Forwarding to:  ${config.data.forwardTo}`);
console.log(`  Webhook secret: ${sandbox.webhookSecret}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
}
