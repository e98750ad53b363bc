// The public origin in front of the app instances: a tiny reverse proxy that sends each request to the next
// instance in turn (round-robin) and, in mirror mode, sends a share of webhook deliveries to every instance at
// once, so one Stripe event is applied concurrently by two processes. An instance that is down answers 502,
// which Stripe (the sandbox) treats as a failed delivery and retries.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { onCleanup } from "@tidewater/harness";

export type ProxyStats = { requests: number; mirrored: number; upstreamErrors: number; byTarget: Record<string, number> };
type Upstream = { status: number; headers: IncomingMessage["headers"]; body: Buffer };

export class RoundRobinProxy {
  private targets: string[] = [];
  private next = 0;
  /** Share (0..1) of webhook POSTs sent to every target at once. */
  mirrorShare = 0;
  random: () => number = Math.random;
  stats: ProxyStats = { requests: 0, mirrored: 0, upstreamErrors: 0, byTarget: {} };
  private readonly server = createServer((req, res) => void this.handle(req, res));
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(0, "127.0.0.1", () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    onCleanup("proxy", () => this.close());
  }

  setTargets(targets: string[]): void {
    this.targets = targets;
    this.next = 0;
  }

  resetStats(): void {
    this.stats = { requests: 0, mirrored: 0, upstreamErrors: 0, byTarget: {} };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    this.stats.requests += 1;
    if (this.targets.length === 0) return this.reply(res, { status: 503, headers: {}, body: Buffer.from("no upstream") });
    const mirror =
      this.targets.length > 1 && req.method === "POST" && req.url?.startsWith("/api/webhooks/") && this.random() < this.mirrorShare;
    if (mirror) {
      this.stats.mirrored += 1;
      const answers = await Promise.all(this.targets.map((target) => this.forward(target, req, body)));
      // Stripe sees success if any instance applied the event; the event id makes the others no-ops.
      return this.reply(res, answers.find((a) => a.status >= 200 && a.status < 300) ?? answers[0]!);
    }
    const target = this.targets[this.next++ % this.targets.length]!;
    return this.reply(res, await this.forward(target, req, body));
  }

  private forward(target: string, req: IncomingMessage, body: Buffer): Promise<Upstream> {
    this.stats.byTarget[target] = (this.stats.byTarget[target] ?? 0) + 1;
    const url = new URL(req.url ?? "/", target);
    return new Promise((resolve) => {
      const upstream = httpRequest(
        url,
        { method: req.method, headers: { ...req.headers, host: url.host, "content-length": String(body.length) }, timeout: 30_000 },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (c: Buffer) => chunks.push(c));
          response.on("end", () => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: Buffer.concat(chunks) }));
          response.on("error", () => resolve(this.failed("upstream response aborted")));
        },
      );
      upstream.on("timeout", () => upstream.destroy(new Error("upstream timeout")));
      upstream.on("error", (error) => resolve(this.failed(error.message)));
      upstream.end(body);
    });
  }

  private failed(message: string): Upstream {
    this.stats.upstreamErrors += 1;
    return { status: 502, headers: { "content-type": "text/plain" }, body: Buffer.from(`bad gateway: ${message}`) };
  }

  private reply(res: ServerResponse, answer: Upstream): void {
    const headers = { ...answer.headers };
    delete headers["transfer-encoding"];
    delete headers.connection;
    headers["content-length"] = String(answer.body.length);
    res.writeHead(answer.status, headers);
    res.end(answer.body);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
