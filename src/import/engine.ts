/**
 * Bulk import of one table from CSV (headers = the table's column names), in one transaction:
 *
 * 1. stream: csv-parse -> each row checked by the table's own insert schema (src/validation: the
 *    same zod rules, one per column, as the single-row operations; nothing restated here) ->
 *    COPY FROM STDIN into a temporary staging table typed like the target, with each row's new id
 *    (postgres.js `.writable()`, with back-pressure: memory stays flat);
 * 2. set-wise, in SQL generated from the spec: duplicates of the natural key within the file,
 *    rows whose natural key is already in the table (skipped: a re-run adds nothing), references
 *    given by id (must exist) or by natural key (must name exactly one row);
 * 3. one INSERT ... SELECT of the good rows, with the ids drawn in step 1, then the spec's follow-up
 *    (the `created` events) from the same rows. Two plain statements: a data-modifying CTE with
 *    RETURNING (or ON CONFLICT) costs a quarter more here. A concurrent writer that inserts one
 *    of the natural keys after the check makes the INSERT fail on the unique key: nothing is
 *    written, and a re-run skips that row.
 * Rejected rows come back with their file line (header = 1), column and reason. `dryRun` and
 * `allOrNothing` (with any reject) roll the transaction back: nothing is written. A process killed
 * half-way never commits, so it leaves no partial rows.
 */
import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { getTableColumns, getTableName, is, SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type postgres from "postgres";
import type { z } from "zod";
import type { DbOrTx } from "../db.js";
import { ImportFormatError } from "../errors/operational.js";
import { toDbError } from "../errors/sqlstate.js";
import { csvRecords } from "./csv.js";

/** A reference column that may hold the referenced row's id or its natural key. */
export interface ReferenceSpec {
  table: string;
  /** Natural key column of the referenced table (`asset_models.model`, `locations.path`). */
  key: string;
  /** What the referenced row is called in messages ("asset model"). */
  label: string;
  /** The row must name one (a nullable column the single-row operation requires). */
  required?: boolean;
}

/** A SQL expression of a staged column's value, references resolved to the id (for spec hooks). */
export type ColumnSql = (column: string) => string;

/** One problem of a row found by a spec's `rowCheck`. */
export interface RowIssue {
  field: string;
  reason: string;
}

/**
 * A spec's own check of one row, after `schema`: its problems, or values for extra columns (the
 * normalised form of a file column, or a column derived from the row) to stage.
 */
export type RowCheck = (row: {
  /** The file's text by column name ("" when empty or not in the file). */
  text: (column: string) => string;
  /** The extra columns as parsed from the file (JSON parsed, numbers...). */
  extra: Record<string, unknown>;
}) => { issues: RowIssue[] } | { values: Record<string, unknown> };

export interface ImportSpec {
  table: PgTable;
  /** The single-row insert schema of the table (src/validation). */
  schema: z.ZodType;
  /** Natural key column (unique in the table): idempotency and duplicate detection. */
  naturalKey: string;
  /** Columns never taken from the file (generated ids, timestamps). */
  excluded: string[];
  references: Record<string, ReferenceSpec>;
  /** Primary key column (uuid), drawn before the insert (the follow-up needs it). */
  idColumn: string;
  /** SQL run after the insert; `inserted` is a FROM item of the rows inserted (all columns). */
  afterInsert?: (inserted: string) => string;
  // Optional, for imports beyond one plain table (CIs with attributes, relationships, stock):
  /**
   * File columns that are not columns of `table` (a table definition that is never created: only
   * names and types), staged like the others, handed to `rowCheck` instead of `schema`, never
   * inserted by the default INSERT. Those the file lacks are staged too (filled by `rowCheck`).
   */
  extraColumns?: PgTable;
  /**
   * Composite natural key: duplicates and rows already in the table are found on these columns
   * together, references compared by their resolved id. `naturalKey` then only names it.
   */
  naturalKeyColumns?: string[];
  /** Replaces the "already in the table" probe: a SQL condition (true = skip the row). */
  existing?: (col: ColumnSql) => string;
  /** Reason given for a skipped row (default "<naturalKey> already in <table>: skipped"). */
  skippedReason?: string;
  /** More set-wise checks after the references': [SQL condition, field, reason text]. */
  checks?: (col: ColumnSql) => [string, string, string][];
  /** Prepares the per-row check once, before the transaction (reads what it needs from `db`). */
  rowCheck?: (db: DbOrTx) => Promise<RowCheck>;
  /**
   * Replaces the default INSERT (its row count is `inserted`); `good` is a FROM item aliased
   * `inserted`, `columns` the table's columns it holds (the file's and defaulted ones, plus `idColumn`).
   */
  insert?: (good: string, columns: string[]) => string;
}

export interface ImportReject {
  /** File line the row starts on (1 = header). */
  line: number;
  /** Column name, or null when the line itself is malformed. */
  field: string | null;
  reason: string;
  /** True for a row skipped because its natural key is already in the table (not a failure). */
  skipped?: boolean;
}

export interface ImportOptions {
  /** Check everything, write nothing. */
  dryRun?: boolean;
  /** Write nothing when any row is rejected. */
  allOrNothing?: boolean;
  /** Each reject as it is found, and each row skipped as already present (for a report file). */
  onReject?: (reject: ImportReject) => void;
  /** Rows read so far, every `progressEvery` rows. */
  onProgress?: (rowsRead: number) => void;
  progressEvery?: number;
}

export interface ImportResult {
  table: string;
  /** Data rows in the file (malformed lines included). */
  read: number;
  inserted: number;
  /** Rows whose natural key was already in the table: skipped. */
  existing: number;
  /** Rows rejected (a row with several problems counts once). */
  rejected: number;
  /** The first 1,000 rejects (all of them go to `onReject`). */
  rejects: ImportReject[];
  /** False after a dry run or an all-or-nothing import with rejects: nothing was written. */
  committed: boolean;
}

export { ImportFormatError };

class ImportRollbackSignal extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INTEGER = /^[+-]?\d+$/;
const qi = (name: string) => `"${name.replace(/"/g, '""')}"`;
const ql = (text: string) => `'${text.replace(/'/g, "''")}'`;
const KEEP_REJECTS = 1000;

/** A value in COPY's text format. */
function copyValue(v: unknown): string {
  if (v === undefined || v === null) return "\\N";
  const s = v instanceof Date ? v.toISOString() : typeof v === "object" ? JSON.stringify(v) : String(v);
  return s.replace(/[\\\t\n\r]/g, (c) =>
    c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r",
  );
}

/** The file's text as the schema expects it: numbers for integer columns, parsed JSON, booleans. */
function fromText(column: PgColumn, text: string): unknown {
  switch (column.dataType) {
    case "number":
      return INTEGER.test(text.trim()) ? Number(text) : text;
    case "boolean":
      return /^(true|t|1)$/i.test(text) ? true : /^(false|f|0)$/i.test(text) ? false : text;
    case "json":
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    default:
      return text;
  }
}

function postgresClient(db: DbOrTx): postgres.Sql {
  const client = (db as unknown as { $client?: postgres.Sql }).$client;
  if (!client || typeof client.begin !== "function" || typeof client.unsafe !== "function") {
    throw new ImportFormatError(
      "import needs a PostgreSQL server (the postgres.js driver): the embedded PGlite database has no COPY FROM STDIN",
    );
  }
  return client;
}

interface Plan {
  /** Fields per line (the header's). */
  width: number;
  /**
   * The staged columns: the file's (`index` = its field), then importable columns the file lacks
   * that have a literal default (`index` null), so the follow-up SQL can read every such column.
   */
  columns: {
    name: string;
    key: string;
    column: PgColumn;
    index: number | null;
    ref?: ReferenceSpec;
    /** A column of `extraColumns`, not of the table. */
    extra?: boolean;
  }[];
  /** Literal defaults of importable columns the file leaves empty (drizzle column definitions). */
  defaults: { name: string; key: string; column: PgColumn; value: unknown }[];
}

function planFor(spec: ImportSpec, header: string[]): Plan {
  const table = getTableName(spec.table);
  const byName = new Map(
    Object.entries(getTableColumns(spec.table)).map(([key, column]) => [column.name, { key, column }]),
  );
  const extras = new Map(
    spec.extraColumns
      ? Object.entries(getTableColumns(spec.extraColumns)).map(([key, column]) => [
          column.name,
          { key, column },
        ])
      : [],
  );
  for (const [name, found] of extras) byName.set(name, found);
  const importable = [...byName.keys()].filter((n) => !spec.excluded.includes(n));
  const seen = new Set<string>();
  const literalDefault = (c: PgColumn) => c.hasDefault && c.default !== undefined && !is(c.default, SQL);
  const columns: Plan["columns"] = header.map((raw, index) => {
    const name = raw.trim();
    const found = byName.get(name);
    if (!found || spec.excluded.includes(name)) {
      throw new ImportFormatError(
        `unknown column "${name}" in the header of a ${table} file (columns: ${importable.join(", ")})`,
      );
    }
    if (seen.has(name)) throw new ImportFormatError(`column "${name}" appears twice in the header`);
    seen.add(name);
    const ref = spec.references[name];
    return { name, ...found, index, ...(ref ? { ref } : {}), ...(extras.has(name) ? { extra: true } : {}) };
  });
  const missing = importable.filter((n) => {
    const c = byName.get(n)?.column;
    return ((c?.notNull && !c.hasDefault) || spec.references[n]?.required) && !seen.has(n);
  });
  if (missing.length > 0)
    throw new ImportFormatError(`the header lacks required column(s) ${missing.join(", ")}`);
  for (const name of importable) {
    const found = byName.get(name);
    if (found && !seen.has(name) && (literalDefault(found.column) || extras.has(name)))
      columns.push({ name, ...found, index: null, ...(extras.has(name) ? { extra: true } : {}) });
  }
  const defaults = columns
    .filter((c) => literalDefault(c.column))
    .map((c) => ({ ...c, value: c.column.default }));
  return { width: header.length, columns, defaults };
}

/**
 * Staging columns: line, the new row's id, then each file column typed like the target, plus
 * `<ref>__key` text. The id is drawn by the client (randomUUID, as random as gen_random_uuid()):
 * gen_random_uuid() in the checks cost 90 ms of server CPU per 20,000 rows here, 40 % of them.
 */
function stagingColumns(plan: Plan): { name: string; type: string }[] {
  return [
    { name: "__line", type: "integer" },
    { name: "__id", type: "uuid" },
    ...plan.columns.flatMap((c) => [
      { name: c.name, type: c.column.getSQLType() },
      ...(c.ref ? [{ name: `${c.name}__key`, type: "text" }] : []),
    ]),
  ];
}

/** The set-wise checks, generated from the spec: [condition, field, reason] in order of precedence. */
function checkSql(spec: ImportSpec, plan: Plan): { create: string; insert: string[] } {
  const table = getTableName(spec.table);
  const refs = plan.columns.filter((c) => c.ref);
  const col: ColumnSql = (name) =>
    spec.references[name] && refs.some((c) => c.name === name)
      ? `coalesce(s.${qi(name)}, r_${name}.id)`
      : `s.${qi(name)}`;
  const keyColumns = spec.naturalKeyColumns ?? [spec.naturalKey];
  const composite = spec.naturalKeyColumns !== undefined;
  // A composite key partitions on the resolved values; a row with a part unresolved is alone.
  const partition = composite
    ? `${keyColumns.map(col).join(", ")}, CASE WHEN ${keyColumns.map((k) => `${col(k)} IS NULL`).join(" OR ")} THEN s.__line END`
    : `s.${qi(spec.naturalKey)}`;
  const keyJoins = refs
    .filter((c) => composite && keyColumns.includes(c.name))
    .map((c) => `LEFT JOIN r_${c.name} ON r_${c.name}.key = s.${qi(`${c.name}__key`)}`);
  const existing = spec.existing?.(col) ?? keyColumns.map((k) => `t.${qi(k)} = ${col(k)}`).join(" AND ");
  const probe = spec.existing
    ? `SELECT true AS found WHERE ${existing}`
    : `SELECT true AS found FROM ${qi(table)} t WHERE ${existing} LIMIT 1`;
  const ctes = refs.map(
    (c) => `r_${c.name} AS (
      SELECT t.${qi(c.ref!.key)} AS key, min(t.id::text)::uuid AS id, count(*) AS n FROM ${qi(c.ref!.table)} t
       WHERE t.${qi(c.ref!.key)} IN (SELECT ${qi(`${c.name}__key`)} FROM import_staging) GROUP BY 1)`,
  );
  // Ids given in the file that exist: only those are probed. A plain join of the referenced table
  // was hashed whole (280,000 CIs, twice, for 20,000 relationships naming none by id): the checks
  // cost 930-1,350 ms of server CPU that way, 650-690 ms so (factor-1 clone, measured here).
  ctes.push(
    ...refs.map(
      (c) => `i_${c.name} AS (
      SELECT t.id FROM ${qi(c.ref!.table)} t WHERE t.id IN (SELECT ${qi(c.name)} FROM import_staging))`,
    ),
  );
  const joins = refs.map(
    (c) => `LEFT JOIN r_${c.name} ON r_${c.name}.key = s.${qi(`${c.name}__key`)}
      LEFT JOIN i_${c.name} ON i_${c.name}.id = s.${qi(c.name)}`,
  );
  // [condition, field, reason] as SQL, first match wins. A row already in the table (by natural
  // key) is skipped whatever else it says: a re-run of a loaded file reports nothing but skips.
  const checks: [string, string, string][] = [
    [
      "s.__rank > 1",
      ql(spec.naturalKey),
      `'duplicate ${spec.naturalKey} in the file (first on line ' || s.__first || ')'`,
    ],
    ["e.found IS NOT NULL", "NULL", "NULL"],
    ...refs.flatMap((c): [string, string, string][] => [
      ...(c.ref!.required
        ? [
            [
              `s.${qi(c.name)} IS NULL AND s.${qi(`${c.name}__key`)} IS NULL`,
              ql(c.name),
              ql("is required"),
            ] as [string, string, string],
          ]
        : []),
      [
        `s.${qi(`${c.name}__key`)} IS NOT NULL AND r_${c.name}.n IS NULL`,
        ql(c.name),
        ql(`no ${c.ref!.label} has this ${c.ref!.key} (give its ${c.ref!.key} or id)`),
      ],
      [
        `r_${c.name}.n > 1`,
        ql(c.name),
        `'ambiguous: ' || r_${c.name}.n || ' ${c.ref!.label}s have this ${c.ref!.key}; give the id'`,
      ],
      [
        `s.${qi(c.name)} IS NOT NULL AND i_${c.name}.id IS NULL`,
        ql(c.name),
        ql(`no ${c.ref!.label} has this id`),
      ],
    ]),
    ...(spec.checks?.(col) ?? []).map(([cond, field, reason]): [string, string, string] => [
      cond,
      ql(field),
      ql(reason),
    ]),
  ];
  const caseOf = (i: 1 | 2) => `CASE ${checks.map((c) => `WHEN ${c[0]} THEN ${c[i]}`).join(" ")} END`;
  const resolved = plan.columns.map((c) =>
    c.ref ? `coalesce(s.${qi(c.name)}, r_${c.name}.id) AS ${qi(c.name)}` : `s.${qi(c.name)}`,
  );
  const create = `
    CREATE TEMP TABLE import_checked ON COMMIT DROP AS
    WITH ${ctes.map((c) => `${c},\n`).join("")}ranked AS (
      SELECT s.*, first_value(s.__line) OVER w AS __first, row_number() OVER w AS __rank
        FROM import_staging s ${keyJoins.join(" ")} WINDOW w AS (PARTITION BY ${partition} ORDER BY s.__line)
    )
    SELECT s.__line, s.__id AS ${qi(spec.idColumn)}, ${resolved.join(", ")},
           ${caseOf(1)} AS __field, ${caseOf(2)} AS __reason,
           s.__rank = 1 AND e.found IS NOT NULL AS __existing
      FROM ranked s
      ${joins.join("\n")}
      -- One probe of the unique index per row, so the cost follows the file, not the table: an
      -- EXISTS subplan or a plain join is hashed over the whole table (a 20,000-row file against
      -- 500,000 assets: 0.95 s by hash, 0.43 s by probes, measured here).
      LEFT JOIN LATERAL (${probe}) e ON true`;
  const tableColumns = plan.columns.filter((c) => !c.extra).map((c) => c.name);
  const cols = tableColumns.map(qi).join(", ");
  const good = "(SELECT * FROM import_checked WHERE __reason IS NULL AND NOT __existing)";
  const insert = [
    spec.insert?.(`${good} inserted`, [spec.idColumn, ...tableColumns]) ??
      `INSERT INTO ${qi(table)} (${qi(spec.idColumn)}, ${cols}) SELECT ${qi(spec.idColumn)}, ${cols} FROM ${good} inserted`,
    ...(spec.afterInsert ? [spec.afterInsert(`${good} inserted`)] : []),
  ];
  return { create, insert };
}

export async function runImport(
  db: DbOrTx,
  spec: ImportSpec,
  input: Readable,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const client = postgresClient(db);
  const table = getTableName(spec.table);
  const result: ImportResult = {
    table,
    read: 0,
    inserted: 0,
    existing: 0,
    rejected: 0,
    rejects: [],
    committed: false,
  };
  // Rejects of one row arrive together (one row's issues, then the next row's), so a new line
  // number is a new rejected row; the streaming and SQL phases never see the same row.
  let lastRejectedLine = 0;
  const reject = (r: ImportReject) => {
    if (result.rejects.length < KEEP_REJECTS) result.rejects.push(r);
    options.onReject?.(r);
    if (r.line !== lastRejectedLine) result.rejected++;
    lastRejectedLine = r.line;
  };
  const every = options.progressEvery ?? 10_000;
  const records = csvRecords(input, (line, reason) => {
    result.read++;
    reject({ line, field: null, reason });
  });
  let plan: Plan;
  let rowCheck: RowCheck | undefined;
  try {
    const first = await records.next();
    if (first.done) throw new ImportFormatError("the file is empty: expected a header line of column names");
    plan = planFor(spec, first.value.fields);
    rowCheck = await spec.rowCheck?.(db);
  } catch (error) {
    input.destroy();
    throw error;
  }
  const staging = stagingColumns(plan);

  const indexOf = new Map(plan.columns.map((c) => [c.name, c.index]));

  async function* copyLines(): AsyncGenerator<string> {
    let chunk = "";
    for await (const { line, fields } of records) {
      result.read++;
      if (result.read % every === 0) options.onProgress?.(result.read);
      if (fields.length !== plan.width) continue; // csv-parse reported it already
      const input: Record<string, unknown> = {};
      const extra: Record<string, unknown> = {};
      const keys: string[] = [];
      let bad = false;
      for (const c of plan.columns) {
        const text = c.index === null ? "" : (fields[c.index] as string);
        if (text.includes("\0")) {
          reject({ line, field: c.name, reason: "contains a NUL byte (PostgreSQL text cannot store it)" });
          bad = true;
          continue;
        }
        if (text === "") continue;
        if (c.ref && !UUID.test(text.trim())) keys.push(text.trim());
        else if (c.extra) extra[c.name] = fromText(c.column, text);
        else input[c.key] = fromText(c.column, text);
      }
      if (bad) continue;
      for (const d of plan.defaults) if (!(d.key in input)) input[d.key] = d.value;
      const parsed = spec.schema.safeParse(input);
      if (!parsed.success) {
        const nameOf = new Map(plan.columns.map((c) => [c.key, c.name]));
        for (const issue of parsed.error.issues) {
          const key = String(issue.path[0] ?? "");
          reject({ line, field: nameOf.get(key) ?? (key || null), reason: issue.message });
        }
        continue;
      }
      const data = parsed.data as Record<string, unknown>;
      if (rowCheck) {
        const checked = rowCheck({
          text: (name) => {
            const index = indexOf.get(name);
            return index === undefined || index === null ? "" : (fields[index] as string);
          },
          extra,
        });
        if ("issues" in checked) {
          for (const issue of checked.issues) reject({ line, ...issue });
          if (checked.issues.length > 0) continue;
        } else Object.assign(extra, checked.values);
      }
      const staged = (c: Plan["columns"][number]) => (c.extra ? extra[c.name] : data[c.key]);
      let k = 0;
      const values = [String(line), randomUUID()];
      for (const c of plan.columns) {
        const text = c.index === null ? "" : (fields[c.index] as string);
        if (c.ref) {
          const byKey = text !== "" && !UUID.test(text.trim());
          values.push(byKey ? "\\N" : copyValue(staged(c)), byKey ? copyValue(keys[k++]) : "\\N");
        } else values.push(copyValue(staged(c)));
      }
      chunk += `${values.join("\t")}\n`;
      if (chunk.length >= 65_536) {
        yield chunk;
        chunk = "";
      }
    }
    if (chunk) yield chunk;
  }

  try {
    await client.begin(async (tx) => {
      // No JIT: the checks run once per import, so compiling them (inlining, optimisation) is a
      // fixed cost of seconds that is never repaid (the checks of 100,000 rows against the
      // factor-1 table: 9.0-12.9 s with JIT, 4.7-5.4 s without, measured here). The ANALYZE of the
      // staging table below gives the planner row counts; this bounds what is left of the estimate.
      await tx.unsafe("SET LOCAL jit = off");
      await tx.unsafe(
        `CREATE TEMP TABLE import_staging (${staging.map((c) => `${qi(c.name)} ${c.type}`).join(", ")}) ON COMMIT DROP`,
      );
      const copy = await tx
        .unsafe(`COPY import_staging (${staging.map((c) => qi(c.name)).join(", ")}) FROM STDIN`)
        .writable();
      await pipeline(copyLines, copy);
      options.onProgress?.(result.read);
      // Row counts for the planner: unanalysed, the staging table is guessed at ~700,000 rows,
      // which puts the checks above jit_above_cost (13 s of JIT compilation for 2,000 relationships).
      await tx.unsafe("ANALYZE import_staging");
      const sql = checkSql(spec, plan);
      await tx.unsafe(sql.create);
      lastRejectedLine = 0;
      // Cursors: a file of a million rows that were all loaded before yields a million skips.
      for await (const batch of tx
        .unsafe<{ line: number; field: string; reason: string; existing: boolean }[]>(
          `SELECT __line AS line, coalesce(__field, ${ql(spec.naturalKey)}) AS field, __reason AS reason, __existing AS existing
             FROM import_checked WHERE __reason IS NOT NULL OR __existing ORDER BY __line`,
        )
        .cursor(5000)) {
        for (const r of batch) {
          if (r.reason !== null) reject({ line: r.line, field: r.field, reason: r.reason });
          else {
            result.existing++;
            options.onReject?.({
              line: r.line,
              field: r.field,
              reason: spec.skippedReason ?? `${spec.naturalKey} already in ${table}: skipped`,
              skipped: true,
            });
          }
        }
      }
      if (options.allOrNothing && result.rejected > 0) throw new ImportRollbackSignal();
      const [insert, ...followUp] = sql.insert as [string, ...string[]];
      result.inserted = (await tx.unsafe(insert)).count;
      for (const statement of followUp) await tx.unsafe(statement);
      if (options.dryRun) throw new ImportRollbackSignal();
    });
    result.committed = true;
  } catch (error) {
    if (error instanceof ImportRollbackSignal) return result;
    input.destroy();
    // Typed like every other database error (a concurrent insert of one of the file's natural
    // keys: UniqueViolationError); the transaction is rolled back, nothing was written.
    throw toDbError(error);
  }
  return result;
}
