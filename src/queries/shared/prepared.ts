/**
 * Prepared statements per database handle. A drizzle prepared query is bound to the handle it was
 * built on (a pool, or the connection of a transaction), so each handle gets its own, built once.
 */
import { fillPlaceholders, is } from "drizzle-orm";
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

/** How one column of a row comes back: its key in the result object and its decoder (null: as sent). */
export type RowField = readonly [key: string, decode: ((value: never) => unknown) | null];

/**
 * A select run thousands of times a second (posting, issue 15), prepared once per handle like
 * {@link preparedPer}, and on a postgres.js handle (a database or a transaction of one) sent straight
 * to the driver: drizzle's query text and parameters, built once, and the rows fetched as arrays and
 * decoded by `fields`. What that skips of drizzle's execute(): per call, three tracing spans, the
 * cache check, the DrizzleQueryError wrapper (the driver's error is thrown as it is: callers unwrap
 * both with driverError) and its generic row mapper, which runs an `is()` class check per column of
 * every row; together they cost more client CPU than postgres.js itself on a one-row statement.
 * `fields` lists the select's keys in select order with the decoder drizzle would apply (a column's
 * mapFromDriverValue, mapWith's function); the rows equal drizzle's. Other drivers (PGlite) run
 * drizzle's prepared query.
 */
export function preparedRows<R>(
  name: string,
  fields: readonly RowField[],
  build: (db: DbOrTx, name: string) => PgPreparedQuery<PreparedQueryConfig & { execute: R[] }>,
): (db: DbOrTx, values: Record<string, unknown>) => Promise<R[]> {
  const statement = preparedPer(name, (db, statementName) => {
    const drizzlePrepared = build(db, statementName);
    const session = db._.session;
    if (!is(session, PostgresJsSession)) return { drizzlePrepared, direct: undefined };
    const { sql: text, params } = drizzlePrepared.getQuery();
    return { drizzlePrepared, direct: { client: session.client as Sql, text, params } };
  });
  const keys = fields.map(([key]) => key);
  const decoders = fields.map(([, decode]) => decode as ((value: unknown) => unknown) | null);
  const decode = (row: readonly unknown[]): R => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const value = row[i];
      const decoder = decoders[i];
      out[keys[i] as string] =
        value === null || value === undefined || !decoder ? (value ?? null) : decoder(value);
    }
    return out as R;
  };
  return async (db, values) => {
    const { drizzlePrepared, direct } = statement(db);
    if (!direct) return drizzlePrepared.execute(values);
    const rows = await direct.client
      .unsafe(direct.text, fillPlaceholders(direct.params, values) as never[], {
        prepare: true,
      })
      .values();
    const out: R[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = decode(rows[i] as unknown as unknown[]);
    return out;
  };
}
