import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, checksumOf, MIGRATIONS_DIR, MigrationError, readMigrations } from "../scripts/db/migrate";
import { expectedSchema } from "./schema-dmmf";

const adminUrl = () => {
  const url = process.env.TEST_POSTGRES_ADMIN_URL;
  if (!url) throw new Error("TEST_POSTGRES_ADMIN_URL is set by test/global-setup.ts");
  return url;
};

async function scratchDatabase(): Promise<string> {
  const name = `scratch_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe("migrations applied from scratch", () => {
  let url: string;
  beforeAll(async () => {
    url = await scratchDatabase();
    await applyMigrations(url);
  });

  it("produce exactly the tables, columns, types, nullability and defaults that schema.prisma declares", async () => {
    const expected = expectedSchema();
    const tables = await query<{ table_name: string }>(
      url,
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    expect(tables.map((t) => t.table_name).sort()).toEqual(expected.tables);

    const columns = await query<{ table: string; column: string; type: string; nullable: boolean; default: string | null }>(
      url,
      `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
              NOT a.attnotnull AS nullable, pg_get_expr(d.adbin, d.adrelid) AS default
         FROM pg_attribute a
         JOIN pg_class c ON c.oid = a.attrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND c.relname <> '_prisma_migrations'`,
    );
    const byKey = (c: { table: string; column: string }) => `${c.table}.${c.column}`;
    const sortCols = <T extends { table: string; column: string }>(list: T[]) => [...list].sort((a, b) => byKey(a).localeCompare(byKey(b)));
    expect(sortCols(columns)).toEqual(sortCols(expected.columns));
  });

  it("create the enums with their values in order", async () => {
    const rows = await query<{ name: string; value: string }>(
      url,
      `SELECT t.typname AS name, e.enumlabel AS value FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
        WHERE t.typnamespace = 'public'::regnamespace ORDER BY t.typname, e.enumsortorder`,
    );
    const enums: Record<string, string[]> = {};
    for (const row of rows) (enums[row.name] ??= []).push(row.value);
    expect(enums).toEqual(expectedSchema().enums);
  });

  it("create every primary key, unique constraint, index and foreign key, and no others", async () => {
    const expected = expectedSchema();
    const indexes = await query<{ table: string; columns: string[]; unique: boolean; primary: boolean }>(
      url,
      `SELECT t.relname AS table, i.indisunique AS unique, i.indisprimary AS primary,
              array(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns
         FROM pg_index i
         JOIN pg_class t ON t.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
        WHERE t.relname <> '_prisma_migrations'`,
    );
    const keyed = (list: Array<{ table: string; columns: string[] }>) => list.map((x) => `${x.table}(${x.columns.join(",")})`).sort();
    expect(Object.fromEntries(indexes.filter((i) => i.primary).map((i) => [i.table, i.columns]))).toEqual(expected.primaryKeys);
    expect(keyed(indexes.filter((i) => i.unique && !i.primary))).toEqual(keyed(expected.uniques));
    expect(keyed(indexes.filter((i) => !i.unique))).toEqual(keyed(expected.indexes));

    const foreignKeys = await query<{
      table: string;
      columns: string[];
      references: string;
      referencedColumns: string[];
      onDelete: string;
    }>(
      url,
      `SELECT c.conrelid::regclass::text AS table, c.confrelid::regclass::text AS references,
              array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS columns,
              array(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS "referencedColumns",
              CASE c.confdeltype WHEN 'a' THEN 'NOACTION' WHEN 'r' THEN 'RESTRICT' WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SETNULL' WHEN 'd' THEN 'SETDEFAULT' END AS "onDelete"
         FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`,
    );
    const unquote = (s: string) => s.replaceAll('"', "");
    const normalized = foreignKeys.map((fk) => ({ ...fk, table: unquote(fk.table), references: unquote(fk.references) }));
    const sortFk = <T extends { table: string; columns: string[] }>(list: T[]) =>
      [...list].sort((a, b) => `${a.table}${a.columns}`.localeCompare(`${b.table}${b.columns}`));
    expect(sortFk(normalized)).toEqual(sortFk(expected.foreignKeys));
  });

  it("record each migration as Prisma does, with the sha256 checksum of its migration.sql", async () => {
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      url,
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    const files = await readMigrations();
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    for (const [i, file] of files.entries()) {
      const sql = await readFile(path.join(MIGRATIONS_DIR, file.name, "migration.sql"), "utf8");
      expect(rows[i]?.checksum).toBe(checksumOf(sql));
      expect(rows[i]?.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[i]?.finished_at).toBeInstanceOf(Date);
      expect(rows[i]?.applied_steps_count).toBe(1);
    }
  });

  it("apply nothing the second time", async () => {
    const report = await applyMigrations(url);
    expect(report.applied).toEqual([]);
    expect(report.alreadyApplied).toHaveLength((await readMigrations()).length);
  });
});

describe("a failing migration", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "shop-migrations-"));
    const write = async (name: string, sql: string) => {
      await mkdir(path.join(dir, name));
      await writeFile(path.join(dir, name, "migration.sql"), sql);
    };
    await write("001_ok", `CREATE TABLE "Good" ("id" TEXT PRIMARY KEY);`);
    await write("002_broken", `CREATE TABLE "HalfDone" ("id" TEXT PRIMARY KEY);\nINSERT INTO "Missing" VALUES (1);`);
    await write("003_later", `CREATE TABLE "Later" ("id" TEXT PRIMARY KEY);`);
  });

  it("is rolled back whole, is not recorded, stops the ones after it and names itself", async () => {
    const url = await scratchDatabase();
    const failure = await applyMigrations(url, dir).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as MigrationError).message).toMatch(/Migration 002_broken failed and was rolled back: .*"Missing"/);

    const tables = await query<{ table_name: string }>(
      url,
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    expect(tables.map((t) => t.table_name).sort()).toEqual(["Good", "_prisma_migrations"]);
    const recorded = await query<{ migration_name: string }>(url, `SELECT migration_name FROM "_prisma_migrations"`);
    expect(recorded.map((r) => r.migration_name)).toEqual(["001_ok"]);
  });

  it("blocks start-up when Prisma recorded a migration as started but unfinished", async () => {
    const url = await scratchDatabase();
    await applyMigrations(url, MIGRATIONS_DIR);
    await query(url, `UPDATE "_prisma_migrations" SET finished_at = NULL`);
    await expect(applyMigrations(url)).rejects.toThrow(/recorded as started but never finished/);
  });
});
