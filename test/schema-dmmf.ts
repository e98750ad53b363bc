// Reads prisma/schema.prisma through Prisma's own schema parser (the prisma-schema WebAssembly module)
// and describes the PostgreSQL objects it declares, so tests can compare them with a migrated database.
import { readFileSync } from "node:fs";
import path from "node:path";
import { get_dmmf } from "@prisma/prisma-schema-wasm";

type DmmfField = {
  name: string;
  kind: "scalar" | "object" | "enum" | "unsupported";
  type: string;
  dbName?: string | null;
  isRequired: boolean;
  isList: boolean;
  isUpdatedAt: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
};
type DmmfModel = { name: string; dbName: string | null; fields: DmmfField[] };
type DmmfIndex = { model: string; type: "id" | "unique" | "normal" | "fulltext"; fields: Array<{ name: string }> };
type Dmmf = {
  datamodel: { models: DmmfModel[]; enums: Array<{ name: string; values: Array<{ name: string }> }>; indexes: DmmfIndex[] };
};

export type ExpectedColumn = { table: string; column: string; type: string; nullable: boolean; default: string | null };
export type ExpectedSchema = {
  tables: string[];
  columns: ExpectedColumn[];
  enums: Record<string, string[]>;
  primaryKeys: Record<string, string[]>;
  uniques: Array<{ table: string; columns: string[] }>;
  indexes: Array<{ table: string; columns: string[] }>;
  foreignKeys: Array<{ table: string; columns: string[]; references: string; referencedColumns: string[]; onDelete: string }>;
};

const SCHEMA_PATH = path.resolve(import.meta.dirname, "../prisma/schema.prisma");

export function loadDmmf(schemaPath = SCHEMA_PATH): Dmmf {
  const prismaSchema = readFileSync(schemaPath, "utf8");
  return JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: [["schema.prisma", prismaSchema]] }))) as Dmmf;
}

// Prisma's PostgreSQL type for each scalar, as `format_type()` prints it.
function columnType(field: DmmfField): string {
  if (field.kind === "enum") return `"${field.type}"`;
  if (field.nativeType) {
    const [name, args] = field.nativeType;
    // format_type() puts a timestamp's precision before "with time zone": timestamp(3) with time zone.
    if (name === "Timestamptz") return `timestamp${args.length ? `(${args.join(",")})` : ""} with time zone`;
    const native: Record<string, string> = { VarChar: "character varying", Char: "character" };
    const base = native[name] ?? name.toLowerCase();
    return args.length ? `${base}(${args.join(",")})` : base;
  }
  const scalar: Record<string, string> = {
    String: "text",
    Int: "integer",
    BigInt: "bigint",
    Boolean: "boolean",
    DateTime: "timestamp(3) without time zone",
    Float: "double precision",
    Decimal: "numeric(65,30)",
    Json: "jsonb",
    Bytes: "bytea",
  };
  const type = scalar[field.type];
  if (!type) throw new Error(`schema-dmmf: no PostgreSQL mapping for ${field.type}`);
  return field.isList ? `${type}[]` : type;
}

// The database-level default Prisma's migrations create; cuid()/uuid() and @updatedAt are filled in by the client.
function columnDefault(field: DmmfField): string | null {
  if (!field.hasDefaultValue) return null;
  const value = field.default;
  if (value && typeof value === "object" && "name" in value) {
    const fn = (value as { name: string }).name;
    if (fn === "now") return "CURRENT_TIMESTAMP";
    if (fn === "autoincrement") return "nextval";
    return null;
  }
  // An empty list default (`@default([])` on a scalar list) is PostgreSQL's empty array of the column's type.
  if (Array.isArray(value) && value.length === 0) return `ARRAY[]::${columnType(field).replace(/\(.*\)/, "")}`;
  if (typeof value === "string")
    return field.kind === "enum" ? `'${value}'::"${field.type}"` : `'${value}'::${columnType(field).replace(/\(.*\)/, "")}`;
  return String(value);
}

export function expectedSchema(dmmf: Dmmf = loadDmmf()): ExpectedSchema {
  const tableOf = new Map(dmmf.datamodel.models.map((m) => [m.name, m.dbName ?? m.name]));
  const columnOf = (model: string, field: string) => {
    const f = dmmf.datamodel.models.find((m) => m.name === model)?.fields.find((x) => x.name === field);
    return f?.dbName ?? field;
  };
  const result: ExpectedSchema = {
    tables: [...tableOf.values()].sort(),
    columns: [],
    enums: Object.fromEntries(dmmf.datamodel.enums.map((e) => [e.name, e.values.map((v) => v.name)])),
    primaryKeys: {},
    uniques: [],
    indexes: [],
    foreignKeys: [],
  };
  for (const model of dmmf.datamodel.models) {
    const table = tableOf.get(model.name)!;
    for (const field of model.fields) {
      if (field.kind === "object") {
        if (field.relationFromFields?.length) {
          result.foreignKeys.push({
            table,
            columns: field.relationFromFields.map((f) => columnOf(model.name, f)),
            references: tableOf.get(field.type)!,
            referencedColumns: (field.relationToFields ?? []).map((f) => columnOf(field.type, f)),
            // Prisma's default for a required relation is Restrict.
            onDelete: (field.relationOnDelete ?? "Restrict").toUpperCase(),
          });
        }
        continue;
      }
      result.columns.push({
        table,
        column: field.dbName ?? field.name,
        type: columnType(field),
        nullable: !field.isRequired,
        default: columnDefault(field),
      });
    }
  }
  for (const index of dmmf.datamodel.indexes) {
    const table = tableOf.get(index.model)!;
    const columns = index.fields.map((f) => columnOf(index.model, f.name));
    if (index.type === "id") result.primaryKeys[table] = columns;
    else if (index.type === "unique") result.uniques.push({ table, columns });
    else result.indexes.push({ table, columns });
  }
  return result;
}
