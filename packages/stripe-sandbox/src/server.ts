// startSandbox(): the HTTP server (node:http) that ties the pieces together. See CONTRACT.md in this package.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { authenticate } from "./auth.js";
import { answerChallenge, BANK_REDIRECT, renderChallenge, THREE_D_SECURE, type ChallengeQuery } from "./challenge.js";
import type { Core, Ctx } from "./context.js";
import { StripeApiError, type StripeErrorBody } from "./errors.js";
import { EventBus } from "./events.js";
import { faultsSchema, noFaults, type Faults } from "./faults.js";
import { decodeForm } from "./form.js";
import { IdempotencyKeys } from "./idempotency.js";
import { newId, newWebhookSecret } from "./ids.js";
import { decideDispute } from "./resources/disputes.js";
import { settleAsyncPayment } from "./resources/payment-intents.js";
import { matchRoute } from "./routes.js";
import { ClientFiles } from "./static-client.js";
import { statusPage } from "./status-page.js";
import { Store } from "./store.js";
import { Timers } from "./timers.js";
import { DEFAULT_API_VERSION } from "./version.js";
import { WebhookDispatcher } from "./webhooks.js";

export interface SandboxOptions {
  /** Default 12111; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Every event is also POSTed here, signed with `webhookSecret`. */
  forwardTo?: string;
  /** whsec_… for --forward-to; generated when absent. */
  webhookSecret?: string;
  /** JSON data file; default .data/stripe-sandbox.json. */
  dataFile?: string;
  /** false keeps all state in memory (--no-persist). Default true. */
  persist?: boolean;
  /** Only this secret key is accepted (any sk_test_/rk_test_ when absent). */
  apiKey?: string;
  /** A webhook receiver slower than this fails the attempt. Default 10 000. */
  webhookTimeoutMs?: number;
  /** First retry delay, doubled each time. Default 5 000. */
  retryBaseMs?: number;
  /** Delivery attempts per event and endpoint. Default 8. */
  maxAttempts?: number;
  /** How long after test evidence is submitted the dispute is won or lost. Default 2 000. */
  disputeDelayMs?: number;
  /** How long a SEPA or US bank account debit stays `processing` before it succeeds or fails. Default 3 000. */
  asyncDelayMs?: number;
  /** Where the browser stand-in lives. Default: the package's client/ folder. */
  clientDir?: string;
  /** Log lines (start-up, given-up deliveries). Default silent. */
  log?: (line: string) => void;
}

export interface SandboxHandle {
  url: string;
  port: number;
  webhookSecret: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1 << 20;

const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers": "Request-Id, Stripe-Version, Idempotent-Replayed, Original-Request",
};

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new StripeApiError(413, { type: "invalid_request_error", message: "Request body too large." }));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, "Content-Length": Buffer.byteLength(body).toString() });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  send(res, status, JSON.stringify(value, null, 2), { "Content-Type": "application/json", ...headers });
}

function errorBody(e: StripeApiError, requestId: string): { error: StripeErrorBody } {
  return { error: { ...e.body, request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}` } };
}

export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const log = options.log ?? (() => undefined);
  const persist = options.persist ?? true;
  const store = new Store(persist ? path.resolve(options.dataFile ?? ".data/stripe-sandbox.json") : null);
  const webhookSecret = options.webhookSecret ?? newWebhookSecret();
  let faults: Faults = noFaults();
  const dispatcher = new WebhookDispatcher(store, {
    forwardTo: options.forwardTo,
    forwardSecret: webhookSecret,
    timeoutMs: options.webhookTimeoutMs ?? 10_000,
    retryBaseMs: options.retryBaseMs ?? 5_000,
    maxAttempts: options.maxAttempts ?? 8,
    faults: () => faults,
    log,
  });
  const events = new EventBus(store, dispatcher);
  // Later work is not caused by an API request: Stripe's event.request is null then.
  const backgroundCore = (): Core => ({
    store,
    apiVersion: DEFAULT_API_VERSION,
    origin: "http://127.0.0.1",
    emit: (type, object, previous) =>
      events.emit({ requestId: null, idempotencyKey: null, apiVersion: DEFAULT_API_VERSION }, type, object, previous),
    schedule: (kind, target) => timers.schedule(kind, target),
  });
  const timers = new Timers(store, backgroundCore, {
    dispute_decision: { delayMs: options.disputeDelayMs ?? 2_000, run: decideDispute },
    async_payment: { delayMs: options.asyncDelayMs ?? 3_000, run: settleAsyncPayment },
  });
  timers.resume();
  const idempotency = new IdempotencyKeys(store);
  const client = new ClientFiles(options.clientDir ?? path.resolve(import.meta.dirname, "../client"));

  async function api(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    requestId: string,
    headers: Record<string, string>,
  ): Promise<void> {
    const method = req.method ?? "GET";
    let idemKey: string | null = null;
    let fingerprint = "";
    let began = false;
    try {
      const body = await readBody(req);
      const params = { ...decodeForm(url.search.slice(1)), ...decodeForm(body) };
      const credential = authenticate(req.headers, params.key, options.apiKey);
      delete params.key;
      const apiVersion = (req.headers["stripe-version"] as string | undefined) ?? DEFAULT_API_VERSION;
      headers["Stripe-Version"] = apiVersion;
      const match = matchRoute(method, url.pathname);
      if (!match) {
        throw new StripeApiError(404, {
          type: "invalid_request_error",
          message: `Unrecognized request URL (${method}: ${url.pathname}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
        });
      }
      // Idempotency-Key counts on POST only; GET and DELETE are idempotent already.
      const headerKey = req.headers["idempotency-key"];
      if (method === "POST" && typeof headerKey === "string" && headerKey) {
        idemKey = headerKey;
        fingerprint = JSON.stringify([url.pathname, params]);
        const begin = idempotency.begin(idemKey, fingerprint);
        if (begin.kind === "replay") {
          const { record } = begin;
          sendJson(res, record.response.status, record.response.body, {
            ...headers,
            "Idempotent-Replayed": "true",
            "Original-Request": record.requestId,
          });
          return;
        }
        began = true;
      }
      if (faults.apiDelayMs > 0) await new Promise((r) => setTimeout(r, faults.apiDelayMs));
      const origin = { requestId, idempotencyKey: idemKey, apiVersion };
      const ctx: Ctx = {
        store,
        credential,
        params,
        path: match.path,
        requestId,
        idempotencyKey: idemKey,
        apiVersion,
        origin: `http://${req.headers.host ?? "127.0.0.1"}`,
        url: url.pathname,
        emit: (type, object, previous) => events.emit(origin, type, object, previous),
        schedule: (kind, target) => timers.schedule(kind, target),
      };
      const result = match.handler(ctx);
      const status = result.status ?? 200;
      if (began) idempotency.finish(idemKey!, fingerprint, requestId, { status, body: result.body });
      if (method !== "GET") store.markDirty();
      sendJson(res, status, result.body, headers);
    } catch (err) {
      const e =
        err instanceof StripeApiError
          ? err
          : new StripeApiError(
              500,
              { type: "api_error", message: `The Stripe sandbox hit an internal error: ${(err as Error).message}` },
              false,
            );
      if (!(err instanceof StripeApiError)) log(`internal error on ${method} ${url.pathname}: ${(err as Error).stack}`);
      const body = errorBody(e, requestId);
      if (began) {
        // Validation failures are not stored (the key may be reused); results of a request that ran are.
        if (e.beforeRun) idempotency.abandon(idemKey!);
        else idempotency.finish(idemKey!, fingerprint, requestId, { status: e.status, body });
      }
      if (method !== "GET" && !e.beforeRun) store.markDirty();
      sendJson(res, e.status, body, headers);
    }
  }

  function challengeCore(req: IncomingMessage): Core {
    return {
      store,
      apiVersion: DEFAULT_API_VERSION,
      origin: `http://${req.headers.host ?? "127.0.0.1"}`,
      // Not caused by an API request: Stripe's event.request is null then.
      emit: (type, object, previous) =>
        events.emit({ requestId: null, idempotencyKey: null, apiVersion: DEFAULT_API_VERSION }, type, object, previous),
      schedule: (kind, target) => timers.schedule(kind, target),
    };
  }

  async function control(req: IncomingMessage, res: ServerResponse, url: URL, headers: Record<string, string>): Promise<boolean> {
    const key = `${req.method} ${url.pathname}`;
    switch (key) {
      case "GET /_sandbox/health":
        sendJson(res, 200, { ok: true }, headers);
        return true;
      case "GET /_sandbox/status":
        send(res, 200, statusPage(store, dispatcher.attempts, faults, options.forwardTo), {
          ...headers,
          "Content-Type": "text/html; charset=utf-8",
        });
        return true;
      case "GET /_sandbox/deliveries":
        sendJson(res, 200, dispatcher.attempts, headers);
        return true;
      case "GET /_sandbox/faults":
        sendJson(res, 200, faults, headers);
        return true;
      case "POST /_sandbox/faults": {
        const text = await readBody(req);
        let input: unknown;
        try {
          input = text ? JSON.parse(text) : {};
        } catch {
          sendJson(res, 400, { error: "Body must be JSON" }, headers);
          return true;
        }
        const parsed = faultsSchema.partial().safeParse(input);
        if (!parsed.success) {
          sendJson(res, 400, { error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") }, headers);
          return true;
        }
        faults = { ...faults, ...Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) };
        sendJson(res, 200, faults, headers);
        return true;
      }
      case "DELETE /_sandbox/faults":
        faults = noFaults();
        sendJson(res, 200, faults, headers);
        return true;
      case "POST /_sandbox/reset":
        store.reset();
        timers.stop();
        dispatcher.reset();
        faults = noFaults();
        sendJson(res, 200, { ok: true }, headers);
        return true;
    }
    return false;
  }

  async function challenge(req: IncomingMessage, res: ServerResponse, url: URL, headers: Record<string, string>): Promise<boolean> {
    // The 3-D Secure page and a redirect method's bank page work alike (src/challenge.ts).
    const m = /^\/(3ds\/challenge|redirect\/authorize)\/([^/]+)(?:\/(complete|fail))?$/.exec(url.pathname);
    if (!m) return false;
    const [, base, id, outcome] = m as unknown as [string, string, string, "complete" | "fail" | undefined];
    const flavour = base === "redirect/authorize" ? BANK_REDIRECT : THREE_D_SECURE;
    const fields = outcome && req.method === "POST" ? new URLSearchParams(await readBody(req)) : url.searchParams;
    const q: ChallengeQuery = {
      client_secret: fields.get("client_secret") ?? "",
      return_url: fields.get("return_url") ?? "",
      mode: fields.get("mode") ?? "redirect",
    };
    const core = challengeCore(req);
    const page = outcome ? answerChallenge(core, id, outcome, q, flavour) : renderChallenge(core, id, q, flavour);
    send(res, page.status, page.body, { ...headers, ...page.headers });
    return true;
  }

  const server = createServer((req, res) => {
    const requestId = newId("req");
    const headers: Record<string, string> = { "Request-Id": requestId, ...CORS };
    const url = new URL(req.url ?? "/", "http://sandbox.invalid");
    void (async () => {
      try {
        if (req.method === "OPTIONS") {
          // CORS preflight for Stripe.js-style calls from the shop's pages.
          send(res, 204, "", {
            ...headers,
            "Access-Control-Allow-Methods": "GET, POST, DELETE, OPTIONS",
            "Access-Control-Allow-Headers": "Authorization, Content-Type, Stripe-Version, Idempotency-Key, Stripe-Account",
            "Access-Control-Max-Age": "600",
          });
          return;
        }
        if (url.pathname.startsWith("/v1/")) return await api(req, res, url, requestId, headers);
        if (client.handles(url.pathname)) {
          const file = await client.serve(url.pathname);
          return send(res, file.status, file.body, { ...headers, ...file.headers });
        }
        if ((url.pathname.startsWith("/3ds/") || url.pathname.startsWith("/redirect/")) && (await challenge(req, res, url, headers)))
          return;
        if (url.pathname.startsWith("/_sandbox/") && (await control(req, res, url, headers))) return;
        sendJson(
          res,
          404,
          { error: { type: "invalid_request_error", message: `Unrecognized request URL (${req.method}: ${url.pathname}).` } },
          headers,
        );
      } catch (err) {
        log(`error on ${req.method} ${url.pathname}: ${(err as Error).stack}`);
        if (!res.headersSent) sendJson(res, 500, { error: { type: "api_error", message: (err as Error).message } }, headers);
        else res.destroy();
      }
    })();
  });
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 12111, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host ?? "127.0.0.1"}:${port}`;
  log(`Stripe sandbox listening on ${url}`);

  return {
    url,
    port,
    webhookSecret,
    async close() {
      dispatcher.close();
      timers.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await store.flush();
    },
  };
}
