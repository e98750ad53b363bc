// One `next start` of the chaos build (or of a copy of it), restartable on the same port. kill() is a crash:
// SIGKILL to the whole process group at once, in-flight requests and open transactions die with it.
import { sleep, startShop, type RunningShop } from "@tidewater/harness";
import { ROOT } from "../scripts/stack";
import type { Log } from "./util";

export type AppOptions = { name: string; port: number; env: Record<string, string>; distDir: string; logFile: string; log: Log };

export class AppProcess {
  private shop: RunningShop | null = null;
  kills = 0;

  constructor(private readonly options: AppOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  get logFile(): string {
    return this.options.logFile;
  }

  get name(): string {
    return this.options.name;
  }

  async start(): Promise<void> {
    if (this.shop) throw new Error(`${this.options.name} is already running`);
    const { port, env, distDir, logFile, name } = this.options;
    const shop = await startShop({ root: ROOT, distDir, port, env, hostname: "127.0.0.1", output: { file: logFile }, name: `app ${name}` });
    this.shop = shop;
    void shop.process.exited.then(() => {
      if (this.shop === shop) this.shop = null;
    });
  }

  async kill(): Promise<void> {
    if (!this.shop) return;
    this.kills += 1;
    this.options.log(`SIGKILL ${this.options.name} (pid ${this.shop.process.pid})`);
    await this.shop.kill();
  }

  /** Down for `downMs`, then up on the same port: after a SIGKILL (a crash, the default) or a SIGTERM (a shutdown). */
  async restart(downMs: number, signal: "SIGKILL" | "SIGTERM" = "SIGKILL"): Promise<void> {
    if (signal === "SIGKILL") await this.kill();
    else {
      const stopping = Date.now();
      this.options.log(`SIGTERM ${this.options.name} (pid ${this.shop?.process.pid})`);
      await this.stop();
      this.options.log(`${this.options.name} gone ${Date.now() - stopping} ms after SIGTERM (SIGKILL after 5 s)`);
    }
    await sleep(downMs);
    const started = Date.now();
    await this.start();
    this.options.log(`${this.options.name} back up after ${downMs} ms down + ${Date.now() - started} ms start`);
  }

  /** SIGTERM, then SIGKILL after 5 s. */
  async stop(): Promise<void> {
    await this.shop?.stop();
  }
}
