import { randomInt } from "node:crypto";
import { createServer } from "node:net";

// Ports handed out come from below the kernel's ephemeral range (32768+ on Linux), where port-0 listeners and
// outgoing connections take theirs: a port chosen now and bound seconds later (after a build) cannot be taken
// in between by a client socket. Each port is handed out once per process.
const handedOut = new Set<number>();

/** Whether `port` can be listened on now (on every address, as `next start` and PostgreSQL bind it). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

/** A port between 20000 and 32000 that nothing listens on and this process has not handed out before. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = 20_000 + randomInt(12_000);
    if (handedOut.has(port)) continue;
    if (await portIsFree(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error("No free port found between 20000 and 32000");
}
