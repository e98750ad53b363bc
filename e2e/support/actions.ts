// Calls the shop's Server Actions over HTTP exactly as the browser's runtime does, so tests can send
// what a tampering client would. Action ids come from the production build's server reference manifest.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";

type Manifest = { node: Record<string, { filename: string; exportedName: string }> };

let ids: Map<string, string> | undefined;
function actionId(name: string): string {
  if (!ids) {
    const dist = process.env.NEXT_DIST_DIR ?? ".next";
    const manifest = JSON.parse(readFileSync(path.join(dist, "server", "server-reference-manifest.json"), "utf8")) as Manifest;
    ids = new Map(Object.entries(manifest.node).map(([id, entry]) => [entry.exportedName, id]));
  }
  const id = ids.get(name);
  if (!id) throw new Error(`No server action named ${name} in the build`);
  return id;
}

/**
 * Cookies the shop set, sent back by hand: the production cookies are Secure, which a browser sends to
 * http://localhost but Playwright's API client does not.
 */
export type CookieJar = Map<string, string>;

/** The action's return value, decoded from the RSC response (or the HTTP status when it was refused). */
export async function callAction(
  request: APIRequestContext,
  name: string,
  args: unknown[] | string,
  page = "/",
  jar: CookieJar = new Map(),
): Promise<{ status: number; result: unknown }> {
  const response = await request.post(page, {
    headers: {
      "Next-Action": actionId(name),
      "Content-Type": "text/plain;charset=UTF-8",
      Accept: "text/x-component",
      Cookie: [...jar].map(([key, value]) => `${key}=${value}`).join("; "),
    },
    data: typeof args === "string" ? args : JSON.stringify(args),
  });
  for (const header of response.headersArray().filter((h) => h.name.toLowerCase() === "set-cookie")) {
    const [pair] = header.value.split(";");
    const [key, ...value] = (pair ?? "").split("=");
    if (key) jar.set(key.trim(), value.join("="));
  }
  const body = await response.text();
  let result: unknown;
  for (const line of body.split("\n")) {
    const match = /^[0-9a-f]+:(.*)$/.exec(line);
    if (!match?.[1]) continue;
    try {
      const value = JSON.parse(match[1]) as unknown;
      if (value && typeof value === "object" && "ok" in value) result = value;
    } catch {
      // not a JSON row
    }
  }
  return { status: response.status(), result };
}
