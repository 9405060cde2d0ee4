/**
 * The two idempotent write paths of the seed loaders, both counting what they did:
 *
 * - `upsertOnConflict`: natural key with a unique constraint -> one
 *   `INSERT ... ON CONFLICT (key) DO UPDATE SET ... WHERE (cols) IS DISTINCT FROM (excluded cols)`.
 *   An unchanged row matches the conflict but fails the WHERE, so PostgreSQL writes nothing (no new
 *   tuple version, no updated_at bump). `RETURNING (xmax = 0)` tells inserted rows from updated
 *   ones; rows not returned were unchanged.
 * - `upsertByLookup`: natural key without a unique constraint (asset_categories.name,
 *   orchestration_rules.name, vendors.name): ON CONFLICT cannot be used, so select by key, then
 *   insert, or `UPDATE ... WHERE id = ? AND (col IS DISTINCT FROM value OR ...)`. Callers hold the
 *   seed's transaction-scoped advisory lock, so two seed runs cannot both insert the same key.
 *
 * Only the columns a seed row provides are written; others (api keys, usage counters, anything an
 * operator set) are never touched. Seeds never delete.
 */
import { and, asc, type Column, eq, getTableColumns, getTableName, or, type SQL, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { DbOrTx } from "../src/db.js";

export interface TableCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface SeedReport {
  /** Per table, in load order. */
  tables: Record<string, TableCounts>;
  totals: TableCounts;
}

export function emptyReport(): SeedReport {
  return { tables: {}, totals: { inserted: 0, updated: 0, unchanged: 0 } };
}

export function count(report: SeedReport, table: PgTable, delta: Partial<TableCounts>): void {
  const name = getTableName(table);
  report.tables[name] ??= { inserted: 0, updated: 0, unchanged: 0 };
  const entry = report.tables[name];
  for (const k of ["inserted", "updated", "unchanged"] as const) {
    entry[k] += delta[k] ?? 0;
    report.totals[k] += delta[k] ?? 0;
  }
}

/** Property keys of the columns the rows provide, minus the key columns and the id. */
function providedKeys<T extends PgTable>(
  table: T,
  rows: readonly Record<string, unknown>[],
  keyCols: string[],
) {
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const keys = new Set<string>();
  for (const row of rows) for (const k of Object.keys(row)) if (k in columns) keys.add(k);
  return [...keys]
    .filter((k) => !keyCols.includes(k) && k !== "id")
    .map((k) => [k, columns[k] as PgColumn] as const);
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Insert-or-update `rows` keyed by `target` (the columns of a unique constraint); counts into
 * `report`. Returns nothing: look rows up by key afterwards (unchanged rows are not returned).
 */
export async function upsertOnConflict<T extends PgTable>(
  db: DbOrTx,
  table: T,
  rows: T["$inferInsert"][],
  target: PgColumn[],
  report: SeedReport,
): Promise<void> {
  if (rows.length === 0) return;
  const tableName = getTableName(table);
  const targetKeys = Object.entries(getTableColumns(table))
    .filter(([, c]) => target.includes(c as PgColumn))
    .map(([k]) => k);
  const update = providedKeys(table, rows as Record<string, unknown>[], targetKeys);
  let written: { inserted: boolean }[];
  if (update.length === 0) {
    // Key-only rows: nothing to update, so existing ones are simply left alone.
    written = (await db
      .insert(table)
      .values(rows)
      .onConflictDoNothing({ target })
      .returning({ inserted: sql<boolean>`true` })) as { inserted: boolean }[];
  } else {
    const set: Record<string, SQL> = {};
    for (const [key, column] of update) set[key] = sql.raw(`excluded.${quote(column.name)}`);
    const current = update.map(([, c]) => `${quote(tableName)}.${quote(c.name)}`).join(", ");
    const incoming = update.map(([, c]) => `excluded.${quote(c.name)}`).join(", ");
    written = (await db
      .insert(table)
      .values(rows)
      .onConflictDoUpdate({
        target,
        set: set as never,
        setWhere: sql.raw(`(${current}) IS DISTINCT FROM (${incoming})`),
      })
      // xmax is 0 on a freshly inserted tuple, the updating transaction's id on an updated one.
      .returning({ inserted: sql<boolean>`(xmax = 0)` })) as { inserted: boolean }[];
  }
  const inserted = written.filter((w) => w.inserted === true).length;
  const updated = written.length - inserted;
  count(report, table, { inserted, updated, unchanged: rows.length - written.length });
}

/**
 * Insert-or-update one row keyed by `keyColumn` when no unique constraint covers it (see the module
 * comment; the caller holds the advisory lock). Returns the row's id.
 */
export async function upsertByLookup<T extends PgTable & { id: Column }>(
  db: DbOrTx,
  table: T,
  keyColumn: PgColumn,
  row: T["$inferInsert"],
  report: SeedReport,
): Promise<string> {
  const keyProp = Object.entries(getTableColumns(table)).find(([, c]) => c === keyColumn)?.[0];
  if (!keyProp) throw new Error(`key column ${keyColumn.name} is not a column of ${getTableName(table)}`);
  const keyValue = (row as Record<string, unknown>)[keyProp];
  const idColumn = table.id as PgColumn;
  // The oldest row with that key when several exist (rows the seed does not own stay untouched).
  const createdAt = (getTableColumns(table) as Record<string, PgColumn>).createdAt;
  const [existing] = (await db
    .select({ id: idColumn })
    .from(table as PgTable)
    .where(eq(keyColumn, keyValue))
    .orderBy(...(createdAt ? [asc(createdAt)] : []), asc(idColumn))
    .limit(1)) as { id: string }[];
  if (!existing) {
    const [created] = (await db.insert(table).values(row).returning({ id: idColumn })) as { id: string }[];
    count(report, table, { inserted: 1 });
    return (created as { id: string }).id;
  }
  const update = providedKeys(table, [row as Record<string, unknown>], [keyProp]);
  if (update.length > 0) {
    const values = row as Record<string, unknown>;
    const differs = or(
      ...update.map(([k, c]) => sql`${c} IS DISTINCT FROM ${sql.param(values[k] ?? null, c)}`),
    ) as SQL;
    const changed = await db
      .update(table)
      .set(Object.fromEntries(update.map(([k]) => [k, values[k] ?? null])) as never)
      .where(and(eq(idColumn, existing.id), differs))
      .returning({ id: idColumn });
    if (changed.length > 0) {
      count(report, table, { updated: 1 });
      return existing.id;
    }
  }
  count(report, table, { unchanged: 1 });
  return existing.id;
}

/** One line per table: `model_configs  +8 ~0 =0`. */
export function formatReport(report: SeedReport): string[] {
  const width = Math.max(10, ...Object.keys(report.tables).map((t) => t.length));
  const line = (name: string, c: TableCounts) =>
    `${name.padEnd(width)}  inserted ${String(c.inserted).padStart(4)}  updated ${String(c.updated).padStart(4)}  unchanged ${String(c.unchanged).padStart(4)}`;
  return [...Object.entries(report.tables).map(([t, c]) => line(t, c)), line("total", report.totals)];
}
