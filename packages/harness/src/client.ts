// A Server Action client that talks to the shop as the browser's runtime does: POST to the page with
// `Next-Action: <id>` and the arguments as the JSON array React's encodeReply sends for plain values, cookies
// kept in a jar, and the action's return value decoded from the response.
import { ActionResponseError, actionResult } from "./flight";
import type { ActionManifest } from "./manifest";
import { sleep } from "./process";

export type HttpRequest = { url: string; method: "GET" | "POST"; headers: Record<string, string>; body?: string };
export type HttpResponse = { status: number; contentType: string; setCookies: string[]; body: string | Uint8Array };
/** Sends one request; the bench plugs in its own keep-alive client, e2e Playwright's APIRequestContext. */
export type Transport = (request: HttpRequest) => Promise<HttpResponse>;

const fetchTransport: Transport = async ({ url, method, headers, body }) => {
  const response = await fetch(url, { method, headers, body, redirect: "manual", signal: AbortSignal.timeout(30_000) });
  return {
    status: response.status,
    contentType: response.headers.get("content-type") ?? "",
    setCookies: response.headers.getSetCookie(),
    body: new Uint8Array(await response.arrayBuffer()),
  };
};

/**
 * Cookies by name, sent back by hand: the shop's production cookies are Secure, which a browser sends to
 * http://localhost but an HTTP client does not.
 */
export type CookieJar = Map<string, string>;

/** Applies Set-Cookie headers: an empty value, Max-Age ≤ 0 or a past Expires deletes the cookie. */
export function storeCookies(jar: CookieJar, setCookies: string[]): void {
  for (const header of setCookies) {
    const [pair = "", ...attributes] = header.split(";");
    const eq = pair.indexOf("=");
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const attribute = (key: string) =>
      attributes
        .map((a) => a.trim().split("="))
        .find(([k]) => k!.toLowerCase() === key)
        ?.slice(1)
        .join("=");
    const maxAge = attribute("max-age");
    const expires = attribute("expires");
    const expired =
      value === "" || (maxAge !== undefined && Number(maxAge) <= 0) || (expires !== undefined && Date.parse(expires) <= Date.now());
    if (expired) jar.delete(name);
    else jar.set(name, value);
  }
}

function cookieHeader(jar: CookieJar): string {
  return [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
}

/** Resend after a connection error or a 5xx, like a person pressing the button again: bounded in count and time. */
export type RetryPolicy = { attempts: number; deadlineMs: number };

export class RequestFailed extends Error {}

/** `result` is the action's return value when it answered 200, undefined otherwise (see `status`, `text`). */
export type ActionResponse<T> = { status: number; result: T | undefined; text: string };

export type ClientOptions = {
  /** The shop's origin, or a function called for each request (a load balancer over several instances). */
  origin: string | (() => string);
  actions: ActionManifest;
  jar?: CookieJar;
  /** Send the Origin header a browser sends with a POST (default true). */
  sendOrigin?: boolean;
  transport?: Transport;
  retry?: RetryPolicy;
};

const decoder = new TextDecoder();
const textOf = (body: string | Uint8Array) => (typeof body === "string" ? body : decoder.decode(body));

export class ActionClient {
  readonly jar: CookieJar;
  /** Requests sent again under the retry policy. */
  retries = 0;

  constructor(private readonly options: ClientOptions) {
    this.jar = options.jar ?? new Map();
  }

  /**
   * Calls the action exported as `name` from `page` (the page whose form or button uses it, as the browser
   * posts it). `args` is the argument list, or a raw body string to send as is.
   */
  async action<T = unknown>(page: string, name: string, args: unknown[] | string): Promise<ActionResponse<T>> {
    const headers = {
      "Next-Action": this.options.actions.id(name),
      "Content-Type": "text/plain;charset=UTF-8",
      Accept: "text/x-component",
    };
    const response = await this.send("POST", page, headers, typeof args === "string" ? args : JSON.stringify(args));
    const text = textOf(response.body);
    if (response.status !== 200) return { status: response.status, result: undefined, text };
    if (!response.contentType.includes("text/x-component")) {
      throw new ActionResponseError(
        `${name} on ${page}: answered 200 with ${response.contentType || "no content type"}, not an action result: ${text.slice(0, 300)}`,
      );
    }
    return { status: 200, result: actionResult(response.body) as T, text };
  }

  /** The action's return value; throws unless it answered 200 with one. */
  async result<T = unknown>(page: string, name: string, args: unknown[] | string): Promise<T> {
    const response = await this.action<T>(page, name, args);
    if (response.status !== 200) throw new RequestFailed(`${name} on ${page}: HTTP ${response.status}: ${response.text.slice(0, 300)}`);
    return response.result as T;
  }

  /** A page, with the jar's cookies (e.g. the return page Stripe redirects to). */
  async get(path: string): Promise<{ status: number; text: string }> {
    const response = await this.send("GET", path, { Accept: "text/html" });
    return { status: response.status, text: textOf(response.body) };
  }

  /** A route handler posted to with the jar's cookies, e.g. POST /api/cart, which a browser sends before its first add. */
  async post(path: string, body = ""): Promise<{ status: number; text: string }> {
    const response = await this.send("POST", path, { "Content-Type": "application/json" }, body);
    return { status: response.status, text: textOf(response.body) };
  }

  private async send(method: "GET" | "POST", path: string, headers: Record<string, string>, body?: string): Promise<HttpResponse> {
    const { retry, transport = fetchTransport, sendOrigin = true } = this.options;
    const started = Date.now();
    let problem = "";
    let attempt = 0;
    while (++attempt <= (retry?.attempts ?? 1)) {
      if (attempt > 1) {
        if (Date.now() - started > retry!.deadlineMs) break;
        this.retries += 1;
        await sleep(Math.min(500 * (attempt - 1), 3_000));
      }
      const origin = typeof this.options.origin === "string" ? this.options.origin : this.options.origin();
      const all = {
        ...headers,
        ...(method === "POST" && sendOrigin ? { Origin: origin } : {}),
        ...(this.jar.size ? { Cookie: cookieHeader(this.jar) } : {}),
      };
      try {
        const response = await transport({ url: origin + path, method, headers: all, body });
        storeCookies(this.jar, response.setCookies);
        if (!retry || response.status < 500) return response;
        problem = `HTTP ${response.status}`;
      } catch (error) {
        if (!retry) throw error;
        problem =
          error instanceof Error ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ""}` : String(error);
      }
    }
    throw new RequestFailed(`${method} ${path} failed ${attempt - 1} times: ${problem}`);
  }
}
