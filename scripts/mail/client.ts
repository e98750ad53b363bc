// A client of the mail catcher's HTTP API (scripts/mail/catcher.ts) for the e2e helpers and the chaos run.
// Every call has a timeout, and a refusal names the route and the catcher's answer.
import type { CaughtMessage, OutageState } from "./message";

export type MailQuery = {
  /** A recipient the message was delivered to (case-insensitive). */
  to?: string;
  /** The subject contains this (case-sensitive) or matches this pattern. */
  subject: RegExp | string;
  /** Default 20 s. */
  timeoutMs?: number;
};

export class MailCatcherClient {
  constructor(readonly url: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`mail catcher ${method} ${path}: HTTP ${response.status} ${text.slice(0, 200)}`);
    return JSON.parse(text) as T;
  }

  /** Every message kept (the newest 1,000), newest first. */
  all(): Promise<CaughtMessage[]> {
    return this.call("GET", "/api/messages");
  }

  async clear(): Promise<void> {
    await this.call("DELETE", "/api/messages");
  }

  /** The newest message matching `query`, polled until it arrives; the error lists what did arrive. */
  async waitFor({ to, subject, timeoutMs = 20_000 }: MailQuery): Promise<CaughtMessage> {
    const matches = (m: CaughtMessage) =>
      (to === undefined || m.to.some((r) => r.toLowerCase() === to.toLowerCase())) &&
      (typeof subject === "string" ? m.subject.includes(subject) : subject.test(m.subject));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const messages = await this.all();
      const found = messages.find(matches);
      if (found) return found;
      if (Date.now() > deadline) {
        const seen = messages.slice(0, 10).map((m) => `"${m.subject}" to ${m.to.join(", ")}`);
        throw new Error(
          `no mail${to ? ` to ${to}` : ""} with subject ${String(subject)} within ${timeoutMs} ms; ${messages.length} caught${seen.length ? `, newest: ${seen.join("; ")}` : ""}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** The SMTP server refuses every message for `ms` (421); 0 ends an outage early. */
  outage(ms: number): Promise<OutageState> {
    return ms > 0 ? this.call("POST", "/api/outage", { ms }) : this.call("DELETE", "/api/outage");
  }

  outageState(): Promise<OutageState> {
    return this.call("GET", "/api/outage");
  }
}
