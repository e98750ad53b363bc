// The local mail catcher: a real SMTP server (no auth, no TLS, 127.0.0.1 only) that keeps every message it
// receives in memory, and a small HTTP server with a web inbox and a JSON API over them. `npm run dev` and the
// test stacks point the shop's SMTP_URL at it (scripts/stack.ts), so no email ever leaves the machine.
//
// It can also play a broken mail server: during an outage (POST /api/outage) new connections get "421" and
// close, and open ones get "421" at their next MAIL FROM or at the end of their DATA, so a message is either
// stored and acknowledged or refused, never half of each. The chaos run uses it to check that the shop retries
// and still delivers each email exactly once.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Server } from "node:net";
import { simpleParser, type AddressObject, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from "smtp-server";
import { inboxPage, messagePage, notFoundPage } from "./inbox-page";
import type { CaughtMessage, OutageState } from "./message";

export type MailCatcherOptions = {
  /** 0 picks a free port. */
  smtpPort: number;
  /** 0 picks a free port. */
  httpPort: number;
  log?: (line: string) => void;
  /** Log one line per received message (dev), not only outages and failures. */
  logMessages?: boolean;
  /** How many messages are kept; older ones are dropped first (default 1,000). */
  keep?: number;
};

export type MailCatcher = {
  /** smtp://127.0.0.1:<port>: what the shop's SMTP_URL is set to. */
  smtpUrl: string;
  /** http://127.0.0.1:<port>: the web inbox and, under /api, the JSON API (MAIL_CATCHER_URL). */
  webUrl: string;
  smtpPort: number;
  httpPort: number;
  /** Newest first. */
  messages: () => CaughtMessage[];
  clear: () => void;
  /** Refuses every message for `ms` (0 ends an outage early). */
  outage: (ms: number) => OutageState;
  stop: () => Promise<void>;
};

const HOST = "127.0.0.1";
/** Far above any shop email; a bigger message is refused by the SMTP server with 552 before it is parsed. */
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
/** POST /api/outage longer than this is a typo, not a test. */
const MAX_OUTAGE_MS = 10 * 60_000;

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });
const OUTAGE_REPLY = "Service not available (mail catcher outage), try again later";

export async function startMailCatcher({
  smtpPort,
  httpPort,
  log = () => undefined,
  logMessages = false,
  keep = 1_000,
}: MailCatcherOptions): Promise<MailCatcher> {
  let messages: CaughtMessage[] = [];
  let nextId = 1;
  let outageUntil = 0;
  let refused = 0;
  const outageOn = () => Date.now() < outageUntil;
  const outageState = (): OutageState => ({ on: outageOn(), until: outageOn() ? new Date(outageUntil).toISOString() : null, refused });
  const refuse = () => {
    refused += 1;
    return smtpError(421, OUTAGE_REPLY);
  };

  const store = async (stream: SMTPServerDataStream, session: SMTPServerSession): Promise<CaughtMessage> => {
    const parsed = await simpleParser(stream);
    // smtp-server stops buffering past `size` but still drains the stream; the message is then refused.
    if (stream.sizeExceeded) throw smtpError(552, `Message exceeds the fixed maximum message size of ${MAX_MESSAGE_BYTES} bytes`);
    // Refused rather than stored when the outage began while the message was on its way: the client must
    // not be told "failed" about a message that arrived (it would send it again: a duplicate we caused).
    if (outageOn()) throw refuse();
    const message = toMessage(String(nextId++), parsed, session);
    messages.unshift(message);
    if (messages.length > keep) messages = messages.slice(0, keep);
    if (logMessages) log(`[mail] "${message.subject}" to ${message.to.join(", ")}`);
    return message;
  };

  const smtp = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    disableReverseLookup: true,
    size: MAX_MESSAGE_BYTES,
    logger: false,
    // Open connections are dropped after this on stop(): a client's pooled connection must not hold it for 30 s.
    closeTimeout: 500,
    onConnect(_session, callback) {
      // 421 closes the connection: a mail server that is going down.
      callback(outageOn() ? refuse() : null);
    },
    onMailFrom(_address, _session, callback) {
      callback(outageOn() ? refuse() : null);
    },
    onData(stream, session, callback) {
      store(stream, session).then(
        (message) => callback(null, `OK: queued as ${message.id}`),
        (error: unknown) => {
          if (!(error instanceof Error && "responseCode" in error)) log(`[mail] could not read a message: ${String(error)}`);
          stream.resume();
          callback(error instanceof Error ? error : new Error(String(error)));
        },
      );
    },
  });
  // A client that hangs up mid-message is its own problem, not the catcher's.
  smtp.on("error", (error) => log(`[mail] SMTP connection error: ${error.message}`));

  const http = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log(`[mail] ${request.method} ${request.url} failed: ${String(error)}`);
      if (!response.headersSent) send(response, 500, "text/plain; charset=utf-8", "Internal error\n");
      else response.destroy();
    });
  });

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? "/", `http://${HOST}`);
    const method = request.method ?? "GET";
    const route = `${method} ${url.pathname.replace(/\/$/, "") || "/"}`;
    const byId = /^\/(?:api\/)?messages\/([^/]+)$/.exec(url.pathname);
    if (route === "GET /") return send(response, 200, HTML, inboxPage(messages, outageState()));
    if (byId && method === "GET") {
      const message = messages.find((m) => m.id === decodeURIComponent(byId[1]!));
      if (url.pathname.startsWith("/api/"))
        return message ? json(response, 200, message) : json(response, 404, { error: "no such message" });
      return message ? send(response, 200, HTML, messagePage(message)) : send(response, 404, HTML, notFoundPage());
    }
    if (route === "GET /api/messages") return json(response, 200, messages);
    if (route === "DELETE /api/messages") {
      messages = [];
      return json(response, 200, { cleared: true });
    }
    if (route === "GET /api/outage") return json(response, 200, outageState());
    if (route === "DELETE /api/outage") return json(response, 200, setOutage(0));
    if (route === "POST /api/outage") {
      // JSON only: a cross-site form or no-cors fetch from a web page cannot send application/json, so no
      // page in the developer's browser can switch the outage on.
      if (!(request.headers["content-type"] ?? "").startsWith("application/json"))
        return json(response, 415, { error: 'send Content-Type: application/json and a body such as {"ms": 10000}' });
      const body = (await readJson(request)) as { ms?: unknown } | undefined;
      const ms = body?.ms;
      if (typeof ms !== "number" || !Number.isInteger(ms) || ms <= 0 || ms > MAX_OUTAGE_MS)
        return json(response, 400, { error: `"ms" must be a whole number of milliseconds between 1 and ${MAX_OUTAGE_MS}` });
      return json(response, 200, setOutage(ms));
    }
    return url.pathname.startsWith("/api/")
      ? json(response, 404, { error: `no route ${route}` })
      : send(response, 404, HTML, notFoundPage());
  };

  const setOutage = (ms: number): OutageState => {
    const wasOn = outageOn();
    outageUntil = ms > 0 ? Date.now() + ms : 0;
    if (ms > 0) {
      refused = 0;
      log(`[mail] SMTP outage for ${ms} ms: every message is refused with 421`);
    } else if (wasOn) log(`[mail] SMTP outage ended early (${refused} refused)`);
    return outageState();
  };

  let stopSmtp: (() => Promise<void>) | undefined;
  let stopHttp: (() => Promise<void>) | undefined;
  const stop = async () => {
    await Promise.all([stopSmtp?.(), stopHttp?.()]);
  };
  try {
    const actualSmtpPort = await listen(smtp.server, smtpPort, "SMTP", "MAIL_CATCHER_SMTP_PORT");
    stopSmtp = () => new Promise<void>((resolve) => smtp.close(() => resolve()));
    const actualHttpPort = await listen(http, httpPort, "web inbox", "MAIL_CATCHER_WEB_PORT");
    stopHttp = () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      });
    return {
      smtpUrl: `smtp://${HOST}:${actualSmtpPort}`,
      webUrl: `http://${HOST}:${actualHttpPort}`,
      smtpPort: actualSmtpPort,
      httpPort: actualHttpPort,
      messages: () => [...messages],
      clear: () => void (messages = []),
      outage: setOutage,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

const HTML = "text/html; charset=utf-8";

/** Listens on 127.0.0.1; a taken port fails with what to set instead (another `npm run dev`, MailHog, …). */
function listen(server: Server, port: number, what: string, variable: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`the mail catcher's ${what} port ${port} is in use: set ${variable} to another port, or SMTP_URL to your own server`)
          : error,
      );
    server.once("error", onError);
    server.listen(port, HOST, () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, {
    "Content-Type": contentType,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    // The inbox runs no script of its own; the mail's HTML (in a sandboxed srcdoc frame, which inherits this
    // policy) may show inline styles and images but run nothing, and nothing may frame the inbox.
    "Content-Security-Policy":
      "default-src 'none'; style-src 'unsafe-inline'; img-src http: https: data:; frame-ancestors 'none'; form-action 'none'; base-uri 'none'",
    "Referrer-Policy": "no-referrer",
  });
  response.end(body);
}

function json(response: ServerResponse, status: number, value: unknown): void {
  send(response, status, "application/json; charset=utf-8", JSON.stringify(value));
}

/** A small JSON body; anything over 64 kB or not JSON reads as undefined (the route answers 400). */
async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 64 * 1024) return undefined;
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}

const addressText = (value: AddressObject | AddressObject[] | undefined) =>
  value === undefined
    ? ""
    : [value]
        .flat()
        .map((a) => a.text)
        .join(", ");

function toMessage(id: string, parsed: ParsedMail, session: SMTPServerSession): CaughtMessage {
  const headers: Record<string, string> = {};
  for (const { key, line } of parsed.headerLines) {
    // "Key: value" as sent, folded lines joined; a header sent twice (Received) keeps both, one per line.
    const value = line
      .slice(line.indexOf(":") + 1)
      .replace(/\r?\n[ \t]+/g, " ")
      .trim();
    headers[key] = key in headers ? `${headers[key]}\n${value}` : value;
  }
  const receivedAt = new Date();
  return {
    id,
    messageId: parsed.messageId ?? null,
    from: addressText(parsed.from),
    // The envelope's recipients: who the message was delivered to, Bcc included.
    to: session.envelope.rcptTo.map((r) => r.address),
    envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
    subject: parsed.subject ?? "",
    date: (parsed.date ?? receivedAt).toISOString(),
    receivedAt: receivedAt.toISOString(),
    text: parsed.text ?? null,
    html: parsed.html || null,
    headers,
    attachments: parsed.attachments.map((a) => ({ filename: a.filename ?? null, contentType: a.contentType, size: a.size })),
  };
}
