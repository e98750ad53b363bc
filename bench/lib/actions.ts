// Calling Server Actions over HTTP as the browser does: POST to the page with `Next-Action: <id>` and the
// arguments as a JSON array, then read the action's return value out of the RSC (flight) response.
import { readFile } from "node:fs/promises";
import path from "node:path";
import type http from "node:http";
import { ROOT } from "../../scripts/stack";
import { request } from "./load";

type ManifestEntry = { filename?: string; exportedName?: string; workers: Record<string, unknown> };

/** The action id of `exportedName` from `filename`, read from the build's server reference manifest. */
export async function actionId(distDir: string, filename: string, exportedName: string): Promise<string> {
  const file = path.join(ROOT, distDir, "server", "server-reference-manifest.json");
  const manifest = JSON.parse(await readFile(file, "utf8")) as { node: Record<string, ManifestEntry> };
  const ids = Object.entries(manifest.node).filter(([, e]) => e.filename === filename && e.exportedName === exportedName);
  if (ids.length !== 1) throw new Error(`${file}: expected one action ${exportedName} in ${filename}, found ${ids.length}`);
  return ids[0]![0];
}

/** A browser's cookie jar, reduced to the one cookie the shop sets. */
export class Shopper {
  cartId: string | undefined;

  newCart(): void {
    this.cartId = undefined;
  }

  async call<T>(origin: string, pagePath: string, id: string, args: unknown[], agent: http.Agent): Promise<T> {
    const response = await request(origin + pagePath, {
      method: "POST",
      agent,
      headers: {
        "Next-Action": id,
        "Content-Type": "text/plain;charset=UTF-8",
        Accept: "text/x-component",
        Origin: origin,
        ...(this.cartId ? { Cookie: `cart_id=${this.cartId}` } : {}),
      },
      body: JSON.stringify(args),
    });
    if (response.status !== 200) throw new Error(`action ${id} on ${pagePath}: HTTP ${response.status}: ${response.body.slice(0, 300)}`);
    for (const cookie of [response.headers["set-cookie"] ?? []].flat()) {
      const match = /^cart_id=([^;]*)/.exec(cookie);
      if (match) this.cartId = match[1] || undefined;
    }
    return actionResult<T>(response.body, `${pagePath} (${id})`);
  }
}

/**
 * The action's return value from a flight response: row 0 is `{"a":"$@<row>",…}` and that row holds the
 * value as JSON. Rows are `<hex id>:<payload>` lines; other rows (a refreshed page) are skipped.
 */
export function actionResult<T>(body: string, label: string): T {
  const rows = new Map<string, string>();
  for (const line of body.split("\n")) {
    const match = /^([0-9a-f]+):(.*)$/.exec(line);
    if (match) rows.set(match[1]!, match[2]!);
  }
  const head = rows.get("0");
  let ref: unknown;
  try {
    ref = head ? (JSON.parse(head) as { a?: unknown }).a : undefined;
  } catch {
    ref = undefined;
  }
  if (typeof ref !== "string" || !ref.startsWith("$@")) throw new Error(`${label}: no action result in the response: ${body.slice(0, 300)}`);
  const row = rows.get(ref.slice(2));
  if (row === undefined) throw new Error(`${label}: the response has no row ${ref.slice(2)}: ${body.slice(0, 300)}`);
  return JSON.parse(row) as T;
}
