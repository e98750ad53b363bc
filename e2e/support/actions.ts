// Calls the shop's Server Actions over HTTP exactly as the browser's runtime does, so tests can send what a
// tampering client would: the harness's client, sending through Playwright's request context.
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";
import { ActionClient, ActionManifest, type CookieJar, type Transport } from "@tidewater/harness";

export type { CookieJar };

let manifest: Promise<ActionManifest> | undefined;

function through(request: APIRequestContext): Transport {
  return async ({ url, method, headers, body }) => {
    const response = await request.fetch(url, { method, headers, data: body, maxRedirects: 0 });
    return {
      status: response.status(),
      contentType: response.headers()["content-type"] ?? "",
      setCookies: response
        .headersArray()
        .filter((h) => h.name.toLowerCase() === "set-cookie")
        .map((h) => h.value),
      body: await response.body(),
    };
  };
}

/**
 * Calls the action exported as `name`, posted to `page`; `args` is the argument list or a raw body. `result`
 * is its return value, undefined when the shop refused the request (see `status`).
 */
export async function callAction(
  request: APIRequestContext,
  name: string,
  args: unknown[] | string,
  page = "/",
  jar: CookieJar = new Map(),
): Promise<{ status: number; result: unknown }> {
  manifest ??= ActionManifest.read(path.resolve(process.env.NEXT_DIST_DIR ?? ".next"));
  const client = new ActionClient({
    // Paths only: Playwright's request context resolves them against the config's baseURL.
    origin: "",
    actions: await manifest,
    jar,
    sendOrigin: false,
    transport: through(request),
  });
  const { status, result } = await client.action(page, name, args);
  return { status, result };
}
