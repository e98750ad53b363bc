// Test helpers: an in-process sandbox on port 0 with a temp data file, the real stripe SDK, raw HTTP, a webhook receiver.
import { mkdtempSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import Stripe from "stripe";
import { startSandbox, type SandboxHandle, type SandboxOptions } from "../src/server.js";

export const SECRET_KEY = "sk_test_sandboxtests1234";
export const PUBLISHABLE_KEY = "pk_test_sandboxtests5678";

export function tempDataFile(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), "stripe-sandbox-")), "data.json");
}

export async function start(options: SandboxOptions = {}): Promise<SandboxHandle> {
  return startSandbox({ port: 0, dataFile: tempDataFile(), retryBaseMs: 50, ...options });
}

export function sdk(sandbox: SandboxHandle, key = SECRET_KEY): Stripe {
  return new Stripe(key, { host: "127.0.0.1", port: sandbox.port, protocol: "http", maxNetworkRetries: 0 });
}

/** Stripe's error object as it travels over HTTP, inside `{"error": …}`. */
export interface WireError {
  type: "invalid_request_error" | "card_error" | "idempotency_error" | "api_error";
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
  payment_intent?: Stripe.PaymentIntent;
  payment_method?: Stripe.PaymentMethod;
}

/**
 * A decoded API answer: the object's fields on success, `error` on failure. Every field is optional because a
 * publishable key sees only the client view, and a failed request has nothing but `error`.
 */
export type WireBody<T> = Partial<T> & { error?: WireError };

export interface RawResponse<T> {
  status: number;
  headers: Headers;
  json: WireBody<T>;
}

/** Raw HTTP with a form body, for what the SDK would not send. `T` is the object a successful answer holds. */
export async function raw<T extends object = Stripe.PaymentIntent>(
  sandbox: SandboxHandle,
  method: string,
  pathAndQuery: string,
  opts: { body?: string; key?: string | null; headers?: Record<string, string> } = {},
): Promise<RawResponse<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key !== null) headers.Authorization = `Bearer ${opts.key ?? SECRET_KEY}`;
  if (opts.body !== undefined) headers["Content-Type"] = "application/x-www-form-urlencoded";
  const res = await fetch(`${sandbox.url}${pathAndQuery}`, { method, body: opts.body, headers, redirect: "manual" });
  const text = await res.text();
  let json: WireBody<T>;
  try {
    json = JSON.parse(text) as WireBody<T>;
  } catch {
    // Every /v1 answer is JSON, Stripe's errors included; anything else is a sandbox bug worth a clear failure.
    throw new Error(`${method} ${pathAndQuery} answered ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  return { status: res.status, headers: res.headers, json };
}

export interface Received {
  body: string;
  headers: IncomingMessage["headers"];
}

/** A local webhook receiver; `answer` picks the status for each request (by arrival index). */
export async function receiver(answer: (index: number) => number = () => 200) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const index = received.length;
      received.push({ body: Buffer.concat(chunks).toString("utf8"), headers: req.headers });
      res.writeHead(answer(index)).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  return {
    url,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error("waitFor timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The SDK error a request rejects with; a resolution (or any other error) fails the test. */
export async function thrown(p: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Stripe.errors.StripeError) return e;
    throw e;
  }
  throw new Error("expected a rejection");
}

/** The invalid-request error the SDK rejects with; anything else fails the test. */
export async function invalid(p: Promise<unknown>): Promise<Stripe.errors.StripeInvalidRequestError> {
  const e = await thrown(p);
  if (e instanceof Stripe.errors.StripeInvalidRequestError) return e;
  throw e;
}
