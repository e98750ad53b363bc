import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ActionClient, RequestFailed, storeCookies } from "../src/client";
import { ActionManifest } from "../src/manifest";
import { freePort } from "../src/ports";

const actions = new ActionManifest({ node: { "40aa": { exportedName: "addToCart" }, "40bb": { exportedName: "broken" } } }, "test");

type Seen = { method: string; url: string; headers: IncomingMessage["headers"]; body: string };
const seen: Seen[] = [];
let failuresLeft = 0;
let origin = "";

function flight(value: unknown): string {
  return `0:{"a":"$@1","f":"","b":"build"}\n1:${JSON.stringify(value)}\n`;
}

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  let body = "";
  req.on("data", (chunk: Buffer) => (body += chunk.toString()));
  req.on("end", () => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
    if (failuresLeft > 0) {
      failuresLeft -= 1;
      res.writeHead(503).end("busy");
    } else if (req.method === "GET") {
      res.writeHead(200, { "Content-Type": "text/html" }).end(`<p>cookie: ${req.headers.cookie ?? ""}</p>`);
    } else if (body.length > 1000) {
      res.writeHead(413, { "Content-Type": "text/plain" }).end("Body exceeded 1 MB limit");
    } else if (req.headers["next-action"] === "40bb") {
      res.writeHead(200, { "Content-Type": "text/html" }).end("<html>a page</html>");
    } else {
      const cart = req.headers.cookie?.match(/cart_id=([^;]+)/)?.[1];
      res.writeHead(200, {
        "Content-Type": "text/x-component",
        // Production cookies are Secure: a plain HTTP client would not send them back on its own.
        ...(cart
          ? {}
          : { "Set-Cookie": ["cart_id=c1; Path=/; HttpOnly; Secure; SameSite=lax; Max-Age=2592000", "flash=x; Path=/; Secure"] }),
      });
      res.end(flight({ ok: true, cart: cart ?? "new" }));
    }
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("ActionClient", () => {
  it("posts as the browser does and keeps Secure cookies in its jar", async () => {
    const client = new ActionClient({ origin, actions });
    const first = await client.action("/products/mug", "addToCart", [{ productId: "p1", quantity: 1 }]);
    expect(first).toMatchObject({ status: 200, result: { ok: true, cart: "new" } });
    const request = seen.at(-1)!;
    expect(request).toMatchObject({ method: "POST", url: "/products/mug", body: '[{"productId":"p1","quantity":1}]' });
    expect(request.headers).toMatchObject({
      "next-action": "40aa",
      "content-type": "text/plain;charset=UTF-8",
      accept: "text/x-component",
      origin,
    });
    expect(request.headers.cookie).toBeUndefined();
    expect(client.jar).toEqual(
      new Map([
        ["cart_id", "c1"],
        ["flash", "x"],
      ]),
    );

    expect(await client.result("/products/mug", "addToCart", [{}])).toEqual({ ok: true, cart: "c1" });
    expect(seen.at(-1)!.headers.cookie).toBe("cart_id=c1; flash=x");
    expect((await client.get("/cart")).text).toBe("<p>cookie: cart_id=c1; flash=x</p>");
  });

  it("sends a raw body as is, without Origin when asked, and reports a refusal by its status", async () => {
    const jar = new Map([["cart_id", "mine"]]);
    const client = new ActionClient({ origin, actions, jar, sendOrigin: false });
    const huge = await client.action("/products/mug", "addToCart", JSON.stringify([{ pad: "x".repeat(2000) }]));
    expect(huge).toEqual({ status: 413, result: undefined, text: "Body exceeded 1 MB limit" });
    expect(seen.at(-1)!.headers.origin).toBeUndefined();
    expect(seen.at(-1)!.headers.cookie).toBe("cart_id=mine");
    await expect(client.result("/", "addToCart", "x".repeat(2000))).rejects.toThrow("addToCart on /: HTTP 413: Body exceeded 1 MB limit");
  });

  it("fails clearly on a 200 that is not an action's answer, and on an unknown action", async () => {
    const client = new ActionClient({ origin, actions });
    await expect(client.action("/", "broken", [])).rejects.toThrow(/broken on \/: answered 200 with text\/html, not an action result/);
    await expect(client.action("/", "removeFromCart", [])).rejects.toThrow(/no server action is exported as removeFromCart/);
  });

  it("retries 5xx and connection errors under a retry policy, against the next origin each time", async () => {
    failuresLeft = 1;
    const down = `http://127.0.0.1:${await freePort()}`;
    const origins = [down, origin, origin];
    let turn = 0;
    const client = new ActionClient({
      origin: () => origins[turn++ % origins.length]!,
      actions,
      retry: { attempts: 5, deadlineMs: 30_000 },
    });
    expect(await client.result("/", "addToCart", [])).toMatchObject({ ok: true });
    // down (connection refused), then 503, then the answer.
    expect(client.retries).toBe(2);
    expect(turn).toBe(3);
  });

  it("gives up after the policy's attempts", async () => {
    const client = new ActionClient({
      origin: `http://127.0.0.1:${await freePort()}`,
      actions,
      retry: { attempts: 2, deadlineMs: 30_000 },
    });
    await expect(client.get("/")).rejects.toThrow(RequestFailed);
    expect(client.retries).toBe(1);
  });

  it("without a retry policy, answers 5xx as they come", async () => {
    failuresLeft = 1;
    const client = new ActionClient({ origin, actions });
    expect(await client.action("/", "addToCart", [])).toMatchObject({ status: 503, result: undefined });
  });
});

describe("storeCookies", () => {
  it("deletes cookies the server expires", () => {
    const jar = new Map([
      ["a", "1"],
      ["b", "2"],
      ["c", "3"],
      ["d", "4"],
    ]);
    storeCookies(jar, [
      "a=; Path=/",
      "b=2; Max-Age=0",
      "c=3; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
      "d=5; Path=/; Secure; HttpOnly",
      "e=x=y; Path=/",
    ]);
    expect(jar).toEqual(
      new Map([
        ["d", "5"],
        ["e", "x=y"],
      ]),
    );
  });
});
