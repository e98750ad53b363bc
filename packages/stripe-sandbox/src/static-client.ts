// Serves the browser stand-in written in the package's client/ folder (CONTRACT.md: "Browser side"): .ts entries
// bundled once per process with esbuild, .html/.css as they are. Missing files answer 404 with a clear message.
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { build } from "esbuild";

export interface StaticResult {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Public path → file in the client folder. */
const FILES: Record<string, string> = {
  "/v3/stripe.js": "stripe-js.ts",
  "/v3": "stripe-js.ts",
  "/elements/payment-frame.html": "payment-frame.html",
  "/elements/payment-frame.js": "payment-frame.ts",
};
const CSS = /^\/elements\/([a-z0-9-]+)\.css$/;

const TYPES: Record<string, string> = {
  ".ts": "application/javascript; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

export class ClientFiles {
  /** Bundles are built once per process; a failed or missing build is not cached, so it is retried. */
  private readonly bundles = new Map<string, Promise<string>>();

  constructor(private readonly dir: string) {}

  handles(pathname: string): boolean {
    return pathname in FILES || CSS.test(pathname);
  }

  async serve(pathname: string): Promise<StaticResult> {
    const name = FILES[pathname] ?? `${CSS.exec(pathname)![1]}.css`;
    const file = path.join(this.dir, name);
    // Framed by the shop and loaded cross-origin: open CORS, no X-Frame-Options.
    const headers = { "Content-Type": TYPES[path.extname(name)]!, "Access-Control-Allow-Origin": "*", "Cache-Control": "no-cache" };
    const exists = await stat(file).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!exists) {
      return {
        status: 404,
        headers: { "Content-Type": "text/plain; charset=utf-8", "Access-Control-Allow-Origin": "*" },
        body: `The Stripe sandbox has no ${path.relative(process.cwd(), file)} yet: the browser stand-in (the package's client/ folder, or the clientDir option) has not been written or is missing this file.\n`,
      };
    }
    if (!name.endsWith(".ts")) return { status: 200, headers, body: await readFile(file, "utf8") };
    let bundle = this.bundles.get(file);
    if (!bundle) {
      bundle = build({ entryPoints: [file], bundle: true, format: "iife", write: false, target: "es2020", logLevel: "silent" }).then(
        (r) => r.outputFiles[0]!.text,
      );
      this.bundles.set(file, bundle);
      bundle.catch(() => this.bundles.delete(file));
    }
    try {
      return { status: 200, headers, body: await bundle };
    } catch (err) {
      return {
        status: 500,
        headers: { "Content-Type": "text/plain; charset=utf-8", "Access-Control-Allow-Origin": "*" },
        body: `Bundling ${name} failed: ${(err as Error).message}\n`,
      };
    }
  }
}
