// Types of ./pg-listen.mjs for the TypeScript code that imports it.
import type pg from "pg";

export function keepListening(options: {
  connectionString: string;
  channel: string;
  applicationName?: string;
  onNotification: (payload: string) => void;
  onListening: (afterFailures: number) => void;
  onLost: (error: unknown, failures: number) => void;
  backoffMs: (failures: number) => number;
  wanted: () => boolean;
  onClient?: (client: pg.Client) => void;
}): Promise<void>;
