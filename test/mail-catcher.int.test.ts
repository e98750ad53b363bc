// The local mail catcher (scripts/mail/catcher.ts) as the shop meets it: mail sent through nodemailer over
// real SMTP arrives parsed, its API and inbox show it, and an outage refuses mail (421) until it ends.
import nodemailer, { type SendMailOptions } from "nodemailer";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startMailCatcher, type MailCatcher } from "@/scripts/mail/catcher";
import { MailCatcherClient } from "@/scripts/mail/client";
import { linksIn, type CaughtMessage } from "@/scripts/mail/message";

let catcher: MailCatcher;
let client: MailCatcherClient;
const logged: string[] = [];

beforeAll(async () => {
  catcher = await startMailCatcher({ smtpPort: 0, httpPort: 0, log: (line) => logged.push(line) });
  client = new MailCatcherClient(catcher.webUrl);
});
afterAll(() => catcher?.stop());
beforeEach(async () => {
  await client.outage(0);
  await client.clear();
});

const FROM = "Tidewater Goods <orders@tidewater.example>";

/** A transport as the shop makes one from SMTP_URL; `pool` keeps its connection open between messages. */
function transport(pool = false) {
  return nodemailer.createTransport({ url: catcher.smtpUrl, pool, maxConnections: 1, connectionTimeout: 5_000, greetingTimeout: 5_000 });
}

function send(mailer: ReturnType<typeof transport>, subject: string, extra: Partial<SendMailOptions> = {}) {
  return mailer.sendMail({ from: FROM, to: "shopper@example.com", subject, text: `${subject} (text)`, ...extra });
}

async function api(path: string, init?: RequestInit): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${catcher.webUrl}${path}`, init);
  const text = await response.text();
  return { status: response.status, body: response.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text };
}

describe("mail catcher", () => {
  it("receives a message over SMTP and serves it parsed, with its Message-ID, newest first", async () => {
    const mailer = transport();
    await send(mailer, "First");
    const info = await send(mailer, "Order SF-7K3Q9D confirmed", {
      to: ["shopper@example.com", "Second Person <second@example.com>"],
      bcc: "staff@example.com",
      messageId: "<order_confirmed.abc123@tidewater.example>",
      html: `<p>Thanks!</p><a href="http://localhost:3000/orders/SF-7K3Q9D?token=a&amp;b=1">Your order</a> <a href='mailto:help@tidewater.example'>Help</a>`,
      headers: { "X-Tidewater-Kind": "order_confirmed" },
    });
    expect(info.accepted).toHaveLength(3);

    const messages = await client.all();
    expect(messages.map((m) => m.subject)).toEqual(["Order SF-7K3Q9D confirmed", "First"]);
    const message = messages[0]!;
    expect(message).toMatchObject({
      messageId: "<order_confirmed.abc123@tidewater.example>",
      // As mailparser writes an address: the display name quoted.
      from: '"Tidewater Goods" <orders@tidewater.example>',
      to: ["shopper@example.com", "second@example.com", "staff@example.com"],
      envelopeFrom: "orders@tidewater.example",
      text: "Order SF-7K3Q9D confirmed (text)",
    } satisfies Partial<CaughtMessage>);
    expect(message.html).toContain("<p>Thanks!</p>");
    expect(message.headers["x-tidewater-kind"]).toBe("order_confirmed");
    expect(message.headers["message-id"]).toBe("<order_confirmed.abc123@tidewater.example>");
    expect(Date.parse(message.date)).not.toBeNaN();
    expect(linksIn(message)).toEqual(["http://localhost:3000/orders/SF-7K3Q9D?token=a&b=1", "mailto:help@tidewater.example"]);

    expect(await api(`/api/messages/${message.id}`)).toEqual({ status: 200, body: message });
    expect((await api("/api/messages/nope")).status).toBe(404);
    await expect(client.waitFor({ to: "SECOND@example.com", subject: /confirmed/i, timeoutMs: 1_000 })).resolves.toMatchObject({
      id: message.id,
    });
    await expect(client.waitFor({ subject: "never sent", timeoutMs: 300 })).rejects.toThrow(/no mail with subject never sent.*"First"/);
    mailer.close();
  });

  it("shows the inbox and each message as HTML, the mail's HTML only inside a sandboxed frame", async () => {
    await send(transport(), "Script <inside>", { html: `<p onclick="x()">Hi</p><script>alert("mail")</script>` });
    const [message] = await client.all();

    const inbox = await fetch(`${catcher.webUrl}/`);
    expect(inbox.headers.get("content-security-policy")).toContain("default-src 'none'");
    const list = await inbox.text();
    expect(list).toContain("Script &lt;inside&gt;");
    expect(list).toContain(`href="/messages/${message!.id}"`);
    expect(list).toContain("shopper@example.com");

    const page = (await api(`/messages/${message!.id}`)).body as string;
    expect(page).toMatch(/<iframe title="HTML part of the message" sandbox="[^"]*" srcdoc="[^"]*&lt;script&gt;alert\(&quot;mail&quot;\)/);
    expect(page).not.toContain("allow-scripts");
    expect(page).not.toContain("allow-same-origin");
    expect(page).not.toContain("<script");
    expect(page).toContain("<pre>Script &lt;inside&gt; (text)</pre>");
    expect((await api("/messages/nope")).status).toBe(404);
  });

  it("clears on DELETE /api/messages and keeps only the newest messages", async () => {
    await send(transport(), "Soon gone");
    expect(await api("/api/messages", { method: "DELETE" })).toEqual({ status: 200, body: { cleared: true } });
    expect(await client.all()).toEqual([]);

    const small = await startMailCatcher({ smtpPort: 0, httpPort: 0, keep: 2 });
    try {
      const mailer = nodemailer.createTransport({ url: small.smtpUrl, pool: true, maxConnections: 1 });
      for (const n of [1, 2, 3]) await mailer.sendMail({ from: FROM, to: "a@example.com", subject: `n${n}`, text: "." });
      mailer.close();
      expect(small.messages().map((m) => m.subject)).toEqual(["n3", "n2"]);
    } finally {
      await small.stop();
    }
  });

  it("refuses every message during an outage (421), also on a connection opened before it, and accepts again after", async () => {
    const pooled = transport(true);
    await send(pooled, "Before the outage");

    expect(await client.outage(60_000)).toMatchObject({ on: true, refused: 0 });
    // The pooled connection is already open: refused at its next MAIL FROM.
    await expect(send(pooled, "On an open connection")).rejects.toMatchObject({ responseCode: 421 });
    // A new connection is refused at its greeting.
    await expect(send(transport(), "On a new connection")).rejects.toMatchObject({ responseCode: 421 });
    const during = await client.outageState();
    expect(during.on).toBe(true);
    expect(during.refused).toBeGreaterThanOrEqual(2);
    expect(logged.some((line) => line.includes("SMTP outage for 60000 ms"))).toBe(true);

    // DELETE ends it early; the pool reconnects by itself.
    expect(await api("/api/outage", { method: "DELETE" })).toMatchObject({ status: 200, body: { on: false, until: null } });
    await send(pooled, "After the outage");
    expect((await client.all()).map((m) => m.subject)).toEqual(["After the outage", "Before the outage"]);
    pooled.close();
  });

  it("ends an outage by itself after its time", async () => {
    await client.outage(400);
    await expect(send(transport(), "Too early")).rejects.toMatchObject({ responseCode: 421 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await client.outageState()).on).toBe(false);
    await send(transport(), "In time");
    expect((await client.all()).map((m) => m.subject)).toEqual(["In time"]);
  });

  it("takes outage requests only as JSON with a sane duration", async () => {
    const post = (body: string, contentType = "application/json") =>
      api("/api/outage", { method: "POST", headers: { "Content-Type": contentType }, body });
    // A web page's cross-site form or no-cors fetch can only send text/plain: refused.
    expect((await post(`{"ms": 10000}`, "text/plain")).status).toBe(415);
    expect((await post(`{"ms": -1}`)).status).toBe(400);
    expect((await post(`{"ms": "10000"}`)).status).toBe(400);
    expect((await post("not json")).status).toBe(400);
    expect((await post(`{"ms": 3600000}`)).status).toBe(400);
    expect((await client.outageState()).on).toBe(false);
  });

  it("names the variable to set when a port is taken", async () => {
    await expect(startMailCatcher({ smtpPort: catcher.smtpPort, httpPort: 0 })).rejects.toThrow(
      /port \d+ is in use: set MAIL_CATCHER_SMTP_PORT/,
    );
    await expect(startMailCatcher({ smtpPort: 0, httpPort: catcher.httpPort })).rejects.toThrow(/set MAIL_CATCHER_WEB_PORT/);
  });
});
