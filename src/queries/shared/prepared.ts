/**
 * Prepared statements per database handle. A drizzle prepared query is bound to the handle it was
 * built on (a pool, or the connection of a transaction), so each handle gets its own, built once.
 */
import { Column, is, Param, Placeholder, SQL, sql } from "drizzle-orm";
import type { PgPreparedQuery, PreparedQueryConfig } from "drizzle-orm/pg-core";
import { PostgresJsSession } from "drizzle-orm/postgres-js";
import type { Sql } from "postgres";
import type { DbOrTx } from "../../db.js";

/**
 * A prepared statement per handle, built once on first use. `route` says, where it is defined,
 * whether the statement only reads: on a handle with replicas it is built on, and run by, the
 * handle {@link routed} picks (a replica per call for a read, the primary for a write), so no
 * statement is pinned to the replica drizzle happened to pick when it was built.
 */
export function preparedPer<P>(
  name: string,
  build: (db: DbOrTx, name: string) => P,
  route: RowsRoute,
): (db: DbOrTx) => P {
  const cache = new WeakMap<DbOrTx, P>();
  return (handle) => {
    const db = routed(handle, route);
    let prepared = cache.get(db);
    if (!prepared) {
      prepared = build(db, name);
      cache.set(db, prepared);
    }
    return prepared;
  };
}

/**
 * Where a statement runs, said where it is defined: `read: true` for a read (it may be answered by
 * a replica), `read: false` for a statement that writes, even one sent as a SELECT (posting's
 * function call), which must run on the primary.
 */
export interface RowsRoute {
  read: boolean;
}

/** A `createDb({ replicas })` handle: drizzle's withReplicas object (pg-core/db.js). */
interface ReplicasHandle {
  $primary: DbOrTx;
  $replicas: DbOrTx[];
}

const isReplicasHandle = (db: DbOrTx): db is DbOrTx & ReplicasHandle =>
  (db as Partial<ReplicasHandle>).$replicas !== undefined;

/**
 * The handle a statement runs on. On a withReplicas handle its own session is the primary's (the
 * object spreads the primary), so a statement built on it would run there whatever it does: a
 * read goes to a replica picked as drizzle's withReplicas picks by default (a uniform random one
 * per call; createDb passes no getReplica of its own), a write to `$primary`. A transaction handle,
 * and a handle without replicas, is used as it is: inside a transaction every statement runs on the
 * transaction's connection, so it sees the transaction's own writes.
 */
function routed(db: DbOrTx, route: RowsRoute): DbOrTx {
  if (!isReplicasHandle(db)) return db;
  if (!route.read) return db.$primary;
  const replicas = db.$replicas;
  return replicas[Math.floor(Math.random() * replicas.length)] as DbOrTx;
}

/**
 * A select run thousands of times a second (asset look-ups and searches, posting: issue 15),
 * prepared once per handle like {@link preparedPer}, and on a postgres.js handle (a database or a
 * transaction of one) sent straight to the driver: drizzle's query text and parameters, built once,
 * the rows fetched as arrays and decoded by the same compiled mapping as {@link flatRows}. What that
 * skips of drizzle's execute(): per call, three tracing spans, the cache check, the
 * DrizzleQueryError wrapper (the driver's error is thrown as it is: callers unwrap both with
 * driverError, as withDbErrors does), `is()` checks per parameter and its generic row mapper;
 * together they cost more client CPU than postgres.js itself on a one-row statement. The client's
 * own `prepare` option still wins (postgres.js: `options.prepare && query.prepare`), so `pooler:
 * "transaction"` sends no named statement. Other drivers (PGlite), and a selection that is not
 * flat, run drizzle's prepared query. `route` says whether the statement only reads: see
 * {@link routed} for where each kind runs on a handle with replicas.
 */
export function preparedRows<R>(
  name: string,
  build: (db: DbOrTx, name: string) => PgPreparedQuery<PreparedQueryConfig & { execute: R[] }>,
  route: RowsRoute,
): (db: DbOrTx, values: Record<string, unknown>) => Promise<R[]> {
  const statement = preparedPer(
    name,
    (db, statementName) => {
      // Elsewhere (PGlite) drizzle runs it, with the same compiled mapping.
      const drizzlePrepared = flatRows(build(db, statementName));
      const session = db._.session;
      const mapRow = flatRowMapper((drizzlePrepared as { fields?: SelectedField[] }).fields);
      if (!is(session, PostgresJsSession) || !mapRow) return { drizzlePrepared, direct: undefined };
      const { sql: text, params } = drizzlePrepared.getQuery();
      return {
        drizzlePrepared,
        direct: { client: session.client as Sql, text, fill: placeholderFiller(params), mapRow },
      };
    },
    route,
  );
  return async (db, values) => {
    const { drizzlePrepared, direct } = statement(db);
    if (!direct) return drizzlePrepared.execute(values);
    const rows = await direct.client.unsafe(direct.text, direct.fill(values), { prepare: true }).values();
    const out: R[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = direct.mapRow(rows[i] as unknown as unknown[]) as R;
    return out;
  };
}

/**
 * drizzle's fillPlaceholders compiled once per statement: which parameter is a placeholder (and
 * through which column encoder it goes) is decided here, not with `is()` checks on every call.
 * Same values, same error for a missing one.
 */
function placeholderFiller(params: unknown[]): (values: Record<string, unknown>) => never[] {
  const slots = params.map((p): ((values: Record<string, unknown>) => unknown) => {
    const placeholder = is(p, Placeholder)
      ? p
      : is(p, Param) && is(p.value, Placeholder)
        ? p.value
        : undefined;
    if (!placeholder) return () => p;
    const key = placeholder.name;
    const encoder = is(p, Param) ? p.encoder : undefined;
    return (values) => {
      if (!(key in values)) throw new Error(`No value for placeholder "${key}" was provided`);
      return encoder ? encoder.mapToDriverValue(values[key]) : values[key];
    };
  });
  return (values) => {
    const out = new Array(slots.length);
    for (let i = 0; i < slots.length; i++)
      out[i] = (slots[i] as (v: Record<string, unknown>) => unknown)(values);
    return out as never[];
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
  // One object literal per selection, compiled once: V8 builds it with the row's final shape at
  // once, where keyed stores one by one cost ~7,500 instructions per row (callgrind; the 17,000
  // rows of an impact walk from a hub: client CPU 1.37x bare postgres.js with the loop, 1.05x
  // with the literal). The keys are the selection's own (schema field names), quoted by
  // JSON.stringify; nothing of a row's values reaches the source.
  const entries = keys.map((key, i) => {
    const value = decoders[i] ? `r[${i}] === null ? null : d[${i}].mapFromDriverValue(r[${i}])` : `r[${i}]`;
    return `${JSON.stringify(key)}: ${value}`;
  });
  return new Function("d", `return (r) => ({ ${entries.join(", ")} });`)(decoders) as (
    row: unknown[],
  ) => Record<string, unknown>;
}
