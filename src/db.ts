/**
 * createDb(): the typed drizzle database over postgres.js when a URL is given (or DATABASE_URL is
 * set), over the embedded PGlite database in .data/pglite otherwise. drizzle.config.ts chooses the
 * same way, so drizzle-kit and the app always talk to the same database.
 */

import { mkdirSync } from "node:fs";
import type { PGlite } from "@electric-sql/pglite";
import { type ExtractTablesWithRelations, type SQL, sql } from "drizzle-orm";
import {
  type PgDatabase,
  type PgQueryResultHKT,
  type PgTransaction,
  withReplicas,
} from "drizzle-orm/pg-core";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { EMBEDDED_DATA_DIR, envDatabaseUrl } from "./config.js";
import { DatabaseConnectionError } from "./errors/operational.js";
import { driverError } from "./errors/sqlstate.js";
import type * as schema from "./schema/index.js";

/** The driver's own error under drizzle's wrapper (src/errors/sqlstate.ts). */
export { driverError };

export type Schema = typeof schema;
type Relations = ExtractTablesWithRelations<Schema>;
/** The typed database, whichever driver is underneath. */
export type Database = PgDatabase<PgQueryResultHKT, Schema, Relations>;
/** A transaction handle; query functions accept `Database | Transaction` so they compose. */
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, Relations>;
export type DbOrTx = Database | Transaction;

export type Driver = "postgres" | "pglite";

export interface DbHandle {
  db: Database;
  driver: Driver;
  /** Where it points, with any password removed (safe to print). */
  target: string;
  close(): Promise<void>;
}

export interface CreateDbOptions {
  /** Connection URL; defaults to DATABASE_URL, and to the embedded PGlite when neither is set. */
  url?: string | undefined;
  /** PGlite data directory; giving one selects the embedded database even when DATABASE_URL is set. "memory://" = throwaway in-memory. */
  dataDir?: string;
  /** postgres.js pool size (default 10). */
  max?: number;
  /** Skip the connectivity probe (default: probe, so a bad URL fails here with one clear line). */
  probe?: boolean;
  /**
   * "transaction": `url` is a transaction-mode pooler (PgBouncer `pool_mode = transaction`). Each
   * transaction may run on another server connection, so postgres.js must not keep named prepared
   * statements (postgres.js README: "prepare: false" for transaction pooling; PgBouncer < 1.21
   * cannot track them). The domain operations keep no other state across transactions (advisory
   * locks and settings are transaction-scoped); migrations need a direct URL. See README "Deployment".
   */
  pooler?: "transaction" | undefined;
  /**
   * Read replicas (postgres URLs, server only). Selects and relational queries outside a transaction
   * go to a replica (drizzle's withReplicas, random pick); writes, `execute` and every transaction go
   * to the primary. A replica lags its primary: read your own writes inside a transaction.
   */
  replicas?: string[] | undefined;
  /**
   * false: no relational query API (`db.query.*` is absent), so the 45 tables' schema modules are
   * never loaded; for code that only sends SQL, such as the migration commands (start-up time of
   * `db:migrate`, issue 15). Default true.
   */
  relational?: boolean;
  /**
   * Longest a single statement may run, in ms (PostgreSQL `statement_timeout`; 0 = no limit).
   * Default {@link DEFAULT_TIMEOUTS}.statementTimeout.
   */
  statementTimeout?: number;
  /** Longest a statement waits for a row or table lock, in ms (`lock_timeout`; 0 = no limit). */
  lockTimeout?: number;
  /**
   * A session idle inside an open transaction longer than this (ms) is ended by the server, so a
   * forgotten transaction cannot hold its locks for ever (`idle_in_transaction_session_timeout`).
   */
  idleInTransactionTimeout?: number;
}

/**
 * Timeouts for application use: an operation waiting on a locked row gives up after 5 s with a
 * typed error instead of waiting as long as the lock is held; a runaway statement stops after 30 s;
 * a transaction left open and idle for a minute is ended. Operator commands (migrate, seed --scale)
 * run with {@link NO_TIMEOUTS}: a migration or a bulk load legitimately runs for minutes.
 */
export const DEFAULT_TIMEOUTS = {
  statementTimeout: 30_000,
  lockTimeout: 5_000,
  idleInTransactionTimeout: 60_000,
} as const satisfies Required<
  Pick<CreateDbOptions, "statementTimeout" | "lockTimeout" | "idleInTransactionTimeout">
>;

/**
 * Seconds before a pooled connection reconnects, given postgres.js's retry count. postgres.js's own
 * default grows 3^n/100 s up to 20 s, and its count is shared by the whole pool, goes up at every
 * connection lost with a socket error (ECONNRESET: a backend terminated while a query was being
 * sent) and goes back to 0 only once a connection completes its start-up. When every backend is
 * terminated a few times in a row (a failover, `pg_terminate_backend`, a restarted pooler), each
 * connection then waited 10-20 s before reconnecting, and every query queued on it with it, against a
 * healthy server (issue 10, "no hang"). Same shape, capped at 2 s: still spaced out (with jitter)
 * while the server is down, at most a 2 s wait once it is back.
 */
export function reconnectBackoff(retries: number): number {
  return (0.5 + Math.random() / 2) * Math.min(3 ** retries / 100, MAX_RECONNECT_DELAY_S);
}
/** The longest {@link reconnectBackoff} delay, in seconds. */
export const MAX_RECONNECT_DELAY_S = 2;

/** PostgreSQL's own defaults (no limit), for long operator commands. */
export const NO_TIMEOUTS = { statementTimeout: 0, lockTimeout: 0, idleInTransactionTimeout: 0 } as const;

function timeoutMs(value: number | undefined, fallback: number, option: string): number {
  const ms = value ?? fallback;
  if (!Number.isInteger(ms) || ms < 0 || ms > 2_147_483_647) {
    throw new RangeError(`createDb: ${option} must be an integer number of milliseconds >= 0`);
  }
  return ms;
}

/** Query parameters that carry a secret (`?password=` is read by postgres.js like the URL's password). */
const SECRET_PARAM = /pass|secret|token|key/i;

/** The URL with its password replaced (in the authority and in the query string), for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    for (const name of [...u.searchParams.keys()]) {
      if (SECRET_PARAM.test(name)) u.searchParams.set(name, "***");
    }
    return u.toString().replaceAll("%2A%2A%2A", "***");
  } catch {
    return "<unparseable URL>";
  }
}

function parsePostgresUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseConnectionError(
      "DATABASE_URL is not a valid URL; expected postgres://user:password@host:5432/database",
    );
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new DatabaseConnectionError(
      `DATABASE_URL must start with postgres:// or postgresql:// (got ${parsed.protocol}//)`,
    );
  }
  return parsed;
}

/** Turn a driver error from the first query into one readable line. */
export function describeConnectionError(error: unknown, target: string): DatabaseConnectionError {
  const e = driverError(error) as { code?: string; message?: string };
  const reason =
    e.code === "ECONNREFUSED"
      ? "connection refused (is the server running?)"
      : e.code === "ENOTFOUND" || e.code === "EAI_AGAIN"
        ? "host not found"
        : e.code === "CONNECT_TIMEOUT" || e.code === "ETIMEDOUT"
          ? "timed out"
          : e.code === "3D000"
            ? "database does not exist"
            : e.code === "28P01" || e.code === "28000"
              ? "authentication failed"
              : (e.message ?? String(error)).split("\n")[0];
  return new DatabaseConnectionError(`Cannot connect to PostgreSQL at ${target}: ${reason}`);
}

/**
 * json (114) and jsonb (3802) reach drizzle as text. Both drivers parse JSON themselves and drizzle's
 * jsonb column parses again whatever is still a string, so a stored JSON string such as "12" would be
 * read back as the number 12. Left as text, drizzle parses exactly once. Raw `rows()` results therefore
 * carry JSON columns as text: select them through drizzle columns, or JSON.parse.
 */
const JSON_TYPE_OIDS = [114, 3802];
const asText = (value: string) => value;

export async function createDb(options: CreateDbOptions = {}): Promise<DbHandle> {
  const url = options.dataDir ? undefined : (options.url ?? envDatabaseUrl());
  const probe = options.probe ?? true;
  if (!url && (options.replicas?.length || options.pooler)) {
    throw new DatabaseConnectionError("replicas and pooler need a server URL (not the embedded database)");
  }
  let handle: DbHandle;
  // Loaded on demand: the schema only for the relational API, PGlite only for the embedded database.
  const config = options.relational === false ? {} : { schema: await import("./schema/index.js") };
  if (url) {
    parsePostgresUrl(url);
    const target = redactUrl(url);
    const connect = (at: string) => {
      const client = postgres(at, {
        max: options.max ?? 10,
        onnotice: () => {},
        connect_timeout: 10,
        backoff: reconnectBackoff,
        // Behind PgBouncer also send no start-up parameter it does not track (only application_name,
        // client_encoding, DateStyle, TimeZone, standard_conforming_strings): it refuses the
        // connection ("unsupported startup parameter: statement_timeout", PgBouncer 1.18), so
        // timeouts behind a pooler are set on the role (README "Deployment").
        ...(options.pooler === "transaction"
          ? { prepare: false }
          : {
              // createDb's timeouts as start-up parameters, so every connection of the pool
              // (re)opens with them and a statement's own SET LOCAL can still override them.
              connection: {
                statement_timeout: timeoutMs(
                  options.statementTimeout,
                  DEFAULT_TIMEOUTS.statementTimeout,
                  "statementTimeout",
                ),
                lock_timeout: timeoutMs(options.lockTimeout, DEFAULT_TIMEOUTS.lockTimeout, "lockTimeout"),
                idle_in_transaction_session_timeout: timeoutMs(
                  options.idleInTransactionTimeout,
                  DEFAULT_TIMEOUTS.idleInTransactionTimeout,
                  "idleInTransactionTimeout",
                ),
              },
            }),
      });
      for (const oid of JSON_TYPE_OIDS) client.options.parsers[oid] = asText;
      return client;
    };
    const client = connect(url);
    const primary = drizzlePostgres(client, config) as unknown as Database;
    const replicaUrls = options.replicas ?? [];
    for (const r of replicaUrls) parsePostgresUrl(r);
    const replicaClients = replicaUrls.map(connect);
    const replicaDbs = replicaClients.map((c) => drizzlePostgres(c, config) as unknown as Database);
    handle = {
      db:
        replicaDbs.length > 0
          ? (withReplicas(primary, replicaDbs as [Database, ...Database[]]) as Database)
          : primary,
      driver: "postgres",
      target: replicaUrls.length > 0 ? `${target} (+${replicaUrls.length} replica(s))` : target,
      close: async () => {
        await Promise.all([client, ...replicaClients].map((c) => c.end({ timeout: 5 })));
      },
    };
    if (probe) {
      for (const [i, replica] of replicaDbs.entries()) {
        try {
          await rows(replica, sqlSelectOne);
        } catch (error) {
          await handle.close().catch(() => {});
          throw describeConnectionError(error, redactUrl(replicaUrls[i] as string));
        }
      }
    }
  } else {
    const dataDir = options.dataDir ?? EMBEDDED_DATA_DIR;
    if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
    const [{ PGlite }, { drizzle: drizzlePglite }] = await Promise.all([
      import("@electric-sql/pglite"),
      import("drizzle-orm/pglite"),
    ]);
    const client: PGlite = new PGlite(dataDir, {
      parsers: Object.fromEntries(JSON_TYPE_OIDS.map((oid) => [oid, asText])),
    });
    handle = {
      db: drizzlePglite(client, config) as unknown as Database,
      driver: "pglite",
      target: `pglite:${dataDir}`,
      close: () => client.close(),
    };
  }
  if (probe) {
    try {
      await rows(handle.db, sqlSelectOne);
    } catch (error) {
      await handle.close().catch(() => {});
      throw describeConnectionError(error, handle.target);
    }
  }
  return handle;
}

const sqlSelectOne = sql`select 1`;

/** Rows of a raw query, whichever driver runs it (postgres.js returns an array, PGlite `{ rows }`). */
export async function rows<T = Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}
