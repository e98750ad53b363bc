// `npm run dev`: the whole shop on one machine with no configuration.
import { spawn } from "node:child_process";
import { ROOT, startStack } from "./stack";

const started = Date.now();
const stack = await startStack({ mode: "dev" });
const next = spawn("npx", ["--no-install", "next", "dev", "--port", String(stack.appPort)], {
  cwd: ROOT,
  stdio: "inherit",
  env: { ...process.env, ...stack.env },
});
console.log(`[dev] database and Stripe ready in ${Date.now() - started} ms; starting Next.js on ${stack.env.APP_URL}`);

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  next.kill("SIGTERM");
  await stack.stop();
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
next.on("exit", (code) => void shutdown(code ?? 1));
