import { Server, type IncomingMessage } from "node:http";

// `next start` hides the TCP peer from Server Actions and route handlers (see lib/request-ip.ts), so each
// request is stamped with it before Next reads the request. The header is overwritten on every request,
// so a client cannot choose its value.
export const SOCKET_ADDRESS_HEADER = "x-tidewater-socket-address";

let installed = false;

/**
 * Stamps every request any http.Server in this process receives. Next creates its server before it runs
 * instrumentation, so the stamp goes on the shared prototype's `emit`, which that server already uses.
 */
export function stampSocketAddresses(): void {
  if (installed) return;
  installed = true;
  const emit = Server.prototype.emit;
  Server.prototype.emit = function stampedEmit(this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request") {
      const request = args[0] as IncomingMessage;
      request.headers[SOCKET_ADDRESS_HEADER] = request.socket?.remoteAddress ?? "";
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  };
}
