/**
 * A generic row factory driven by the drizzle table objects: `makeRow(db, table)` inserts a valid
 * row, filling every NOT NULL column without a default with a unique, type-correct value and
 * creating the parent rows its foreign keys need. Lets the constraint tests walk every table.
 */
import { randomUUID } from "node:crypto";
import { getTableColumns, is } from "drizzle-orm";
import { getTableConfig, type PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { DbOrTx } from "../../src/db.js";
import * as schema from "../../src/schema/index.js";

export type Row = Record<string, unknown>;

export const allTables: PgTable[] = (Object.values(schema) as unknown[]).filter((v): v is PgTable =>
  is(v, PgTable),
);

export const tableByName = new Map(allTables.map((t) => [getTableConfig(t).name, t]));

let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}-${randomUUID().slice(0, 8)}`;

/** Property key (camelCase) of a column in its table object. */
export function keyOf(table: PgTable, column: PgColumn): string {
  const found = Object.entries(getTableColumns(table)).find(([, c]) => c.name === column.name);
  if (!found) throw new Error(`column ${column.name} not in table`);
  return found[0];
}

export function columnByName(table: PgTable, name: string): PgColumn {
  const column = getTableConfig(table).columns.find((c) => c.name === name);
  if (!column) throw new Error(`no column ${name} in ${getTableConfig(table).name}`);
  return column;
}

/** A value that fits the column's SQL type (and its enum list, if any). */
export function sampleValue(column: PgColumn): unknown {
  const enumValues = (column as { enumValues?: string[] }).enumValues;
  if (enumValues && enumValues.length > 0) return enumValues[0];
  const type = column.getSQLType();
  if (type === "uuid") return randomUUID();
  if (type.startsWith("varchar")) {
    const length = Number(/\((\d+)\)/.exec(type)?.[1] ?? 255);
    return unique(column.name).slice(-Math.min(length, 60));
  }
  if (type === "text") return unique(column.name);
  if (type === "integer" || type === "bigint") return 1;
  if (type.startsWith("numeric")) return "1";
  if (type === "boolean") return true;
  if (type === "date") return "2025-01-15";
  if (type.startsWith("timestamp")) return new Date();
  if (type === "inet") return "10.0.0.1";
  if (type === "jsonb") return {};
  throw new Error(`no sample value for type ${type}`);
}

/** Insert a valid row of `table` (parents created as needed) and return it. */
export async function makeRow(db: DbOrTx, table: PgTable, overrides: Row = {}): Promise<Row> {
  const config = getTableConfig(table);
  const values: Row = { ...overrides };
  const fkByColumn = new Map(
    config.foreignKeys.map((fk) => {
      const ref = fk.reference();
      return [ref.columns[0]?.name, ref] as const;
    }),
  );
  for (const column of config.columns) {
    const key = keyOf(table, column);
    if (key in values) continue;
    const ref = fkByColumn.get(column.name);
    // NOT NULL foreign keys need a real parent; nullable ones stay null unless a test sets them.
    if (ref && column.notNull && ref.foreignTable !== table) {
      const parent = await makeRow(db, ref.foreignTable);
      values[key] = parent[keyOf(ref.foreignTable, ref.foreignColumns[0] as PgColumn)];
      continue;
    }
    if (column.notNull && !column.hasDefault) values[key] = sampleValue(column);
  }
  const [row] = (await db
    .insert(table)
    .values(values as never)
    .returning()) as Row[];
  if (!row) throw new Error(`insert into ${config.name} returned nothing`);
  return row;
}

/** PostgreSQL's error (code, constraint) under drizzle's wrapper, or undefined when none thrown. */
export async function pgErrorOf(
  promise: Promise<unknown>,
): Promise<{ code: string; constraint_name?: string; constraint?: string; message: string } | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause ?? error;
    return cause as { code: string; constraint_name?: string; constraint?: string; message: string };
  }
}

/** The constraint name of a PostgreSQL error, whichever driver raised it. */
export const constraintOf = (e: { constraint_name?: string; constraint?: string } | undefined) =>
  e?.constraint_name ?? e?.constraint;
