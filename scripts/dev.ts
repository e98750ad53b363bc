// `npm run dev`: the whole shop on one machine with no configuration. Ctrl-C, SIGTERM, or `npm run` going
// away stops Next.js (its whole process group), the Stripe sandbox, the mail catcher and PostgreSQL.
import { cleanupAll, spawnBin, stopOnSignals } from "@tidewater/harness";
import { ROOT, startStack } from "./stack";

stopOnSignals("dev");
const started = Date.now();
const stack = await startStack({ mode: "dev" });
console.log(`[dev] database, Stripe and mail ready in ${Date.now() - started} ms; starting Next.js on ${stack.env.APP_URL}`);
const next = spawnBin(ROOT, "next", ["dev", "--port", String(stack.appPort)], { name: "next dev", env: { ...process.env, ...stack.env } });
const { code } = await next.exited;
await cleanupAll();
process.exit(code ?? 1);
