/**
 * What a down migration would destroy, read from PostgreSQL's own parse tree (libpg-query, the
 * parser the migration guard uses) and counted on the live database before anything runs:
 *   DROP TABLE / TRUNCATE          every row of the table;
 *   DROP SCHEMA                    every table in it;
 *   ALTER TABLE ... DROP COLUMN    every non-null value of the column;
 *   ALTER COLUMN ... TYPE          every non-null value is cast (a narrowing cast truncates or fails);
 *   DELETE / UPDATE                rows of the table (counted whole: an upper bound).
 * A table or column that does not exist when the count runs (a newer down in the same rollback
 * creates it, empty) counts 0. Counted tables are locked IN SHARE MODE first, inside rollback's
 * transaction and until its end, so no row can arrive between the count and the drop.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Node, RangeVar } from "libpg-query";
import { type DbOrTx, rows } from "../db.js";
import { as, sval } from "./guard-rules.js";

export type LossKind = "table" | "schema" | "column" | "type" | "rows";

export interface DataLoss {
  /** The migration whose down loses it. */
  tag: string;
  /** 1-based statement number within the down file. */
  statement: number;
  kind: LossKind;
  schema: string | null;
  table: string;
  column?: string;
  /** e.g. `DROP COLUMN assets.rack_unit`. */
  what: string;
  /** Rows (values) that would be lost; null when not counted (a schema). */
  rows: number | null;
}

type Found = Omit<DataLoss, "rows" | "tag" | "statement">;

const rel = (r: RangeVar | undefined) => ({ schema: r?.schemaname ?? null, table: r?.relname ?? "?" });
const shown = (schema: string | null, table: string) => (schema ? `${schema}.${table}` : table);

/** The data-losing operations of one parsed statement (pure). */
export function lossesOf(node: Node): Found[] {
  const out: Found[] = [];
  const drop = as(node, "DropStmt");
  if (drop?.removeType === "OBJECT_TABLE") {
    for (const object of drop.objects ?? []) {
      const names = (as(object, "List")?.items ?? []).map((n) => sval(n) ?? "?");
      const table = names.at(-1) ?? "?";
      const schema = names.length > 1 ? names.at(-2)! : null;
      out.push({ kind: "table", schema, table, what: `DROP TABLE ${shown(schema, table)}` });
    }
  } else if (drop?.removeType === "OBJECT_SCHEMA") {
    for (const object of drop.objects ?? []) {
      const name = sval(object) ?? "?";
      out.push({ kind: "schema", schema: name, table: "*", what: `DROP SCHEMA ${name} (every table in it)` });
    }
  }
  for (const r of as(node, "TruncateStmt")?.relations ?? []) {
    const { schema, table } = rel(as(r, "RangeVar"));
    out.push({ kind: "table", schema, table, what: `TRUNCATE ${shown(schema, table)}` });
  }
  const alter = as(node, "AlterTableStmt");
  if (alter?.objtype === "OBJECT_TABLE") {
    const { schema, table } = rel(alter.relation);
    for (const c of alter.cmds ?? []) {
      const cmd = as(c, "AlterTableCmd");
      const column = cmd?.name ?? "?";
      if (cmd?.subtype === "AT_DropColumn")
        out.push({
          kind: "column",
          schema,
          table,
          column,
          what: `DROP COLUMN ${shown(schema, table)}.${column}`,
        });
      else if (cmd?.subtype === "AT_AlterColumnType")
        out.push({
          kind: "type",
          schema,
          table,
          column,
          what: `ALTER COLUMN ${shown(schema, table)}.${column} TYPE (values are cast; a narrower type truncates or fails)`,
        });
    }
  }
  const del = as(node, "DeleteStmt");
  if (del) {
    const { schema, table } = rel(del.relation);
    out.push({
      kind: "rows",
      schema,
      table,
      what: `DELETE FROM ${shown(schema, table)} (rows counted: the whole table)`,
    });
  }
  const update = as(node, "UpdateStmt");
  if (update) {
    const { schema, table } = rel(update.relation);
    const columns = (update.targetList ?? []).map((t) => as(t, "ResTarget")?.name ?? "?").join(", ");
    out.push({
      kind: "rows",
      schema,
      table,
      what: `UPDATE ${shown(schema, table)} SET ${columns} (overwritten values; rows counted: the whole table)`,
    });
  }
  return out;
}

const qualified = (schema: string | null, table: string): SQL =>
  schema ? sql`${sql.identifier(schema)}.${sql.identifier(table)}` : sql`${sql.identifier(table)}`;

/**
 * Count what `loss` would destroy now, after locking its table IN SHARE MODE (see the module
 * comment). `lock` runs the LOCK statement (rollback passes its session's execute, so a lock wait is
 * bounded by lock_timeout and reported with its blocker).
 */
export async function countLoss(
  tx: DbOrTx,
  loss: Found,
  lock: (statement: string) => Promise<unknown> = (statement) => tx.execute(sql.raw(statement)),
): Promise<number | null> {
  if (loss.kind === "schema") return null;
  const [found] = await rows<{ oid: string | null }>(
    tx,
    sql`SELECT to_regclass(${quoteName(loss.schema, loss.table)})::oid AS oid`,
  );
  if (!found?.oid) return 0; // created (empty) by a newer down in this rollback
  if (loss.column !== undefined) {
    const [column] = await rows<{ n: number }>(
      tx,
      sql`SELECT count(*)::int AS n FROM pg_attribute WHERE attrelid = ${found.oid}::oid AND attname = ${loss.column} AND NOT attisdropped`,
    );
    if (!column?.n) return 0;
  }
  await lock(`LOCK TABLE ${quoteName(loss.schema, loss.table)} IN SHARE MODE`);
  const where = loss.column !== undefined ? sql` WHERE ${sql.identifier(loss.column)} IS NOT NULL` : sql``;
  const [counted] = await rows<{ n: string | number }>(
    tx,
    sql`SELECT count(*) AS n FROM ${qualified(loss.schema, loss.table)}${where}`,
  );
  return Number(counted?.n ?? 0);
}

/** `"schema"."table"` for to_regclass (names as the parser gave them: already case-folded). */
function quoteName(schema: string | null, table: string): string {
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return schema ? `${q(schema)}.${q(table)}` : q(table);
}

/** Statement the loss came from, its table, column and count, on one line. */
export function formatLoss(loss: DataLoss): string {
  const count =
    loss.rows === null
      ? "rows not counted"
      : loss.kind === "column" || loss.kind === "type"
        ? `${loss.rows} non-null value(s)`
        : `${loss.rows} row(s)`;
  return `${loss.tag}.down.sql statement ${loss.statement}: ${loss.what}: ${count}`;
}
