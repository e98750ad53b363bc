// @ts-check
// One PostgreSQL LISTEN connection, kept open for as long as its owner wants it: after any loss (the server
// going away, a terminated backend, a failed connect) it reconnects after `backoffMs(failures)`. Plain
// JavaScript so that both the shop's code and Next's cache handlers (cache/, loaded outside the bundle) can
// use it: the webhook inbox's drain and the cache-tag store each keep one.
import pg from "pg";

/**
 * @param {{
 *   connectionString: string,
 *   channel: string,
 *   applicationName?: string,
 *   onNotification: (payload: string) => void,
 *   onListening: (afterFailures: number) => void,
 *   onLost: (error: unknown, failures: number) => void,
 *   backoffMs: (failures: number) => number,
 *   wanted: () => boolean,
 *   onClient?: (client: pg.Client) => void,
 * }} options
 */
export async function keepListening(options) {
  const { connectionString, channel, applicationName } = options;
  let failures = 0;
  while (options.wanted()) {
    const client = new pg.Client({ connectionString, keepAlive: true, application_name: applicationName });
    options.onClient?.(client);
    // Listeners first: an 'error' without one would crash the process (e.g. the server terminating us).
    const lost = new Promise((resolve) => {
      client.on("error", resolve);
      client.on("end", () => resolve(new Error("the LISTEN connection was closed")));
    });
    client.on("notification", (message) => {
      if (message.channel === channel) options.onNotification(message.payload ?? "");
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
      options.onListening(failures);
      failures = 0;
      throw await lost;
    } catch (error) {
      if (!options.wanted()) return;
      failures += 1;
      options.onLost(error, failures);
    } finally {
      await client.end().catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, options.backoffMs(failures)).unref());
  }
}
