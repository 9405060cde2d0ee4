/**
 * Prepared statements per database handle. A drizzle prepared query is bound to the handle it was
 * built on (a pool, or the connection of a transaction), so each handle gets its own, built once.
 */
import { Column, fillPlaceholders, is, SQL, sql } from "drizzle-orm";
import type { PgPreparedQuery, PreparedQueryConfig } from "drizzle-orm/pg-core";
import { PostgresJsSession } from "drizzle-orm/postgres-js";
import type { Sql } from "postgres";
import type { DbOrTx } from "../../db.js";

export function preparedPer<P>(name: string, build: (db: DbOrTx, name: string) => P): (db: DbOrTx) => P {
  const cache = new WeakMap<DbOrTx, P>();
  return (db) => {
    let prepared = cache.get(db);
    if (!prepared) {
      prepared = build(db, name);
      cache.set(db, prepared);
    }
    return prepared;
  };
}

/**
 * A select run thousands of times a second (posting, issue 15), prepared once per handle like
 * {@link preparedPer}, and on a postgres.js handle (a database or a transaction of one) sent straight
 * to the driver: drizzle's query text and parameters, built once, the rows fetched as arrays and
 * decoded by the same compiled mapping as {@link flatRows}. What that skips of drizzle's execute():
 * per call, three tracing spans, the cache check, the DrizzleQueryError wrapper (the driver's error is
 * thrown as it is: callers unwrap both with driverError) and its generic row mapper; together they
 * cost more client CPU than postgres.js itself on a one-row statement. The client's own `prepare`
 * option still wins (postgres.js: `options.prepare && query.prepare`), so `pooler: "transaction"`
 * sends no named statement. Other drivers (PGlite), and a selection that is not flat, run drizzle's
 * prepared query.
 */
export function preparedRows<R>(
  name: string,
  build: (db: DbOrTx, name: string) => PgPreparedQuery<PreparedQueryConfig & { execute: R[] }>,
): (db: DbOrTx, values: Record<string, unknown>) => Promise<R[]> {
  const statement = preparedPer(name, (db, statementName) => {
    // Elsewhere (PGlite) drizzle runs it, with the same compiled mapping.
    const drizzlePrepared = flatRows(build(db, statementName));
    const session = db._.session;
    const mapRow = flatRowMapper((drizzlePrepared as { fields?: SelectedField[] }).fields);
    if (!is(session, PostgresJsSession) || !mapRow) return { drizzlePrepared, direct: undefined };
    const { sql: text, params } = drizzlePrepared.getQuery();
    return { drizzlePrepared, direct: { client: session.client as Sql, text, params, mapRow } };
  });
  return async (db, values) => {
    const { drizzlePrepared, direct } = statement(db);
    if (!direct) return drizzlePrepared.execute(values);
    const rows = await direct.client
      .unsafe(direct.text, fillPlaceholders(direct.params, values) as never[], { prepare: true })
      .values();
    const out: R[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = direct.mapRow(rows[i] as unknown as unknown[]) as R;
    return out;
  };
}

/** A value decoder as drizzle keeps it on a column or an `sql` field. */
interface Decoder {
  mapFromDriverValue(value: unknown): unknown;
}

/** The ordered selection drizzle keeps on a prepared select (`fields`), one entry per column. */
interface SelectedField {
  path: string[];
  field: unknown;
}

/** An `sql` field's decoder (its `.mapWith()`; drizzle marks the property internal). */
const decoderOfSql = (expression: SQL): Decoder => (expression as unknown as { decoder: Decoder }).decoder;

/** Columns and `sql` fields that return the driver's value unchanged need no call per value. */
const IDENTITY_DECODERS = new Set<unknown>([
  Column.prototype.mapFromDriverValue,
  decoderOfSql(sql``).mapFromDriverValue,
]);

/** The field's decoder, null when it is the identity, undefined for a field that is not flat. */
function decoderOf(field: unknown): Decoder | null | undefined {
  const decoder: Decoder | undefined = is(field, Column)
    ? field
    : is(field, SQL)
      ? decoderOfSql(field)
      : is(field, SQL.Aliased)
        ? decoderOfSql(field.sql)
        : undefined;
  if (!decoder) return undefined;
  return IDENTITY_DECODERS.has(decoder.mapFromDriverValue) ? null : decoder;
}

/**
 * Row mapping compiled once per prepared select, for flat selections (one key per column: a whole
 * table or a `{ key: column | sql }` object, no joins' nested objects). drizzle's own mapping
 * (`mapResultRow`) re-derives each field's decoder with `is()` checks for every value of every
 * row: a page of 51 assets cost ~2x the mapping below, and a 17,000-CI impact result far more
 * (issue 15). The result is the same object drizzle builds: the same keys in the same order, null
 * kept as null, every other value through the field's own `mapFromDriverValue`.
 *
 * drizzle's prepared queries (postgres.js and PGlite sessions) take a `customResultMapper` for the
 * array rows they fetch; a select's `.prepare()` passes none, so it is set on the prepared query
 * here. Were a drizzle upgrade to drop that field, `execute()` would map with `mapResultRow` again:
 * the same rows, only slower (test/queries/shared/prepared.test.ts checks the mapper is used).
 */
export function flatRows<P extends object>(prepared: P): P {
  const mapRow = flatRowMapper((prepared as { fields?: SelectedField[] }).fields);
  if (!mapRow) return prepared;
  Object.assign(prepared, { customResultMapper: (rows: unknown[][]) => rows.map(mapRow) });
  return prepared;
}

/** The compiled row mapping of a flat selection (see flatRows); undefined when it is not flat. */
function flatRowMapper(
  fields: SelectedField[] | undefined,
): ((row: unknown[]) => Record<string, unknown>) | undefined {
  if (!fields || fields.some((f) => f.path.length !== 1)) return undefined;
  const keys = fields.map((f) => f.path[0] as string);
  const decoders = fields.map((f) => decoderOf(f.field));
  if (decoders.includes(undefined)) return undefined;
  const n = keys.length;
  return (row) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const raw = row[i];
      const decoder = decoders[i];
      out[keys[i] as string] = raw === null || !decoder ? raw : decoder.mapFromDriverValue(raw);
    }
    return out;
  };
}
