/**
 * `seedScale(handle, { factor })`: the production-shaped data set (plan.ts) loaded with COPY.
 *
 * Order: refuse a non-local host (unless `force`) and a database that already holds assets or CIs;
 * load the reference data (seedReference, its own transaction); then every table of the plan in ONE
 * transaction on one connection, parents first, and the stock ledger checked with
 * checkLedgerInvariant before COMMIT, so a failure anywhere leaves the database as it was.
 * Afterwards VACUUM (ANALYZE) the loaded tables so the planner sees production-like statistics.
 */

import type { PGlite, Transaction as PgliteTransaction } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import type postgres from "postgres";
import { type Database, type DbHandle, rows } from "../../src/db.js";
import { loadConstraintCatalogue, toDbError } from "../../src/errors/index.js";
import { ScaleLoadError, ScaleRefusedError } from "../../src/errors/operational.js";
import { isLocalUrl } from "../../src/migrate/server.js";
import { checkLedgerInvariant } from "../../src/queries/index.js";
import * as schema from "../../src/schema/index.js";
import { seedReference } from "../load-reference.js";
import { MAX_FACTOR, scalePasswordHash } from "./context.js";
import { type CopyValue, copyIntoPglite, copyIntoServer } from "./copy.js";
import { scalePlan } from "./plan.js";
import { type ProgressSink, silentProgress } from "./progress.js";
import { readReferenceIds } from "./reference-ids.js";

/** The default seed: `--scale 1` always builds the same data set. */
export const SCALE_SEED = 15;

/** PGlite reads COPY from an in-memory blob per table: keep it to small data sets. */
export const PGLITE_MAX_FACTOR = 0.01;

export interface ScaleOptions {
  /** 1 = 1,000,000 assets, 200,000 CIs, 640,000 relationships. */
  factor: number;
  seed?: number;
  /** Allow a non-local database host. */
  force?: boolean;
  /** The connection URL, to judge locality (default DATABASE_URL; PGlite is always local). */
  url?: string | undefined;
  progress?: ProgressSink;
}

export interface ScaleReport {
  factor: number;
  seed: number;
  tables: { table: string; rows: number; seconds: number }[];
  seconds: number;
}

export function assertFactor(factor: number): void {
  if (!Number.isFinite(factor) || factor <= 0 || factor > MAX_FACTOR) {
    throw new ScaleRefusedError(`the scale factor must be > 0 and <= ${MAX_FACTOR}`);
  }
}

async function assertLoadable(handle: DbHandle, options: ScaleOptions): Promise<void> {
  assertFactor(options.factor);
  if (handle.driver === "pglite" && options.factor > PGLITE_MAX_FACTOR) {
    throw new ScaleRefusedError(
      `the embedded PGlite database has no COPY FROM STDIN (the statement never completes there); the loader falls back to COPY FROM '/dev/blob', which holds a table in memory, so --scale is limited to ${PGLITE_MAX_FACTOR} on PGlite: set DATABASE_URL to a PostgreSQL server for larger factors`,
    );
  }
  const url = options.url ?? process.env.DATABASE_URL;
  if (!options.force && handle.driver === "postgres") {
    // Without a URL, the server's own view of its address (NULL over a Unix socket), as seedDemo does.
    const server = url
      ? null
      : (await rows<{ addr: string | null }>(handle.db, sql`SELECT host(inet_server_addr()) AS addr`))[0];
    const local = url ? isLocalUrl(url) : [null, "127.0.0.1", "::1"].includes(server?.addr ?? null);
    if (!local) {
      throw new ScaleRefusedError(
        "refusing to load the scale data set into a database on a non-local host; pass --force to override",
      );
    }
  }
  const [present] = await rows<{ present: boolean }>(
    handle.db,
    sql`SELECT EXISTS (SELECT 1 FROM assets) OR EXISTS (SELECT 1 FROM cmdb_cis) OR EXISTS (SELECT 1 FROM spare_parts) AS present`,
  );
  if (present?.present) {
    throw new ScaleRefusedError(
      "the database already holds assets, CIs or spare parts; load the scale data set into an empty database (npm run db:reset -- --no-seed)",
    );
  }
}

type Copy = (
  table: string,
  columns: readonly string[],
  data: Iterable<readonly CopyValue[]>,
  onRows: (n: number) => void,
) => Promise<void>;

/** Run `body` in one transaction of the handle's own client, with a drizzle view of that transaction. */
async function inTransaction(
  handle: DbHandle,
  body: (copy: Copy, txDb: Database) => Promise<void>,
): Promise<void> {
  if (handle.driver === "postgres") {
    const client = (handle.db as unknown as { $client: postgres.Sql }).$client;
    await client.begin(async (tx) => {
      // A bulk load runs single statements for minutes: lift createDb's application timeouts.
      await tx`SET LOCAL statement_timeout = 0`;
      await tx`SET LOCAL idle_in_transaction_session_timeout = 0`;
      // drizzle reads the client's options (type parsers); a transaction handle has none of its own.
      const view = new Proxy(tx, {
        get: (target, key) => (key === "options" ? client.options : Reflect.get(target, key)),
      });
      const txDb = drizzlePostgres(view as unknown as postgres.Sql, { schema }) as unknown as Database;
      await body((table, columns, data, onRows) => copyIntoServer(tx, table, columns, data, onRows), txDb);
    });
    return;
  }
  const client = (handle.db as unknown as { $client: PGlite }).$client;
  await client.transaction(async (tx: PgliteTransaction) => {
    const txDb = drizzlePglite(tx as unknown as PGlite, { schema }) as unknown as Database;
    await body((table, columns, data, onRows) => copyIntoPglite(tx, table, columns, data, onRows), txDb);
  });
}

/**
 * Drop the secondary indexes, unique constraints and foreign keys of the tables about to be
 * loaded, and return the statements that recreate them exactly as they were (pg_get_indexdef /
 * pg_get_constraintdef): what pg_restore does, since building an index once after the load is far
 * cheaper than maintaining it row by row, and a foreign key added to a full table is checked in one
 * join instead of one look-up per row. Everything runs in the load's transaction: a failure rolls
 * the drops back too. Primary keys and CHECK constraints stay (every row is still checked).
 */
async function deferIndexes(tx: Database, tables: string[]): Promise<string[]> {
  const names = sql.join(
    [...new Set(tables)].map((t) => sql`${t}`),
    sql`, `,
  );
  const constraints = await rows<{ table_name: string; name: string; def: string; contype: string }>(
    tx,
    sql`SELECT c.conrelid::regclass::text AS table_name, c.conname AS name, pg_get_constraintdef(c.oid) AS def, c.contype
          FROM pg_constraint c
         WHERE c.conrelid IN (SELECT oid FROM pg_class WHERE relname IN (${names}) AND relnamespace = 'public'::regnamespace)
           AND (c.contype = 'f' OR (c.contype = 'u' AND NOT EXISTS (SELECT 1 FROM pg_constraint r WHERE r.contype = 'f' AND r.conindid = c.conindid)))
         ORDER BY c.contype, c.conname`,
  );
  const indexes = await rows<{ name: string; def: string }>(
    tx,
    sql`SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
          FROM pg_index i
         WHERE i.indrelid IN (SELECT oid FROM pg_class WHERE relname IN (${names}) AND relnamespace = 'public'::regnamespace)
           AND NOT i.indisprimary
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
         ORDER BY 1`,
  );
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  // Foreign keys first (they may depend on nothing we drop), then unique constraints, then plain indexes.
  for (const c of [...constraints].sort((a, b) =>
    a.contype === b.contype ? 0 : a.contype === "f" ? -1 : 1,
  )) {
    await tx.execute(sql.raw(`ALTER TABLE ${c.table_name} DROP CONSTRAINT ${quote(c.name)}`));
  }
  for (const i of indexes) await tx.execute(sql.raw(`DROP INDEX ${i.name}`));
  return [
    ...indexes.map((i) => i.def),
    ...constraints
      .filter((c) => c.contype === "u")
      .map((c) => `ALTER TABLE ${c.table_name} ADD CONSTRAINT ${quote(c.name)} ${c.def}`),
    ...constraints
      .filter((c) => c.contype === "f")
      .map((c) => `ALTER TABLE ${c.table_name} ADD CONSTRAINT ${quote(c.name)} ${c.def}`),
  ];
}

export async function seedScale(handle: DbHandle, options: ScaleOptions): Promise<ScaleReport> {
  await assertLoadable(handle, options);
  const seed = options.seed ?? SCALE_SEED;
  const progress = options.progress ?? silentProgress;
  const started = performance.now();
  await seedReference(handle.db);
  const plan = scalePlan(
    options.factor,
    seed,
    await readReferenceIds(handle.db),
    await scalePasswordHash(seed),
  );
  const tables: ScaleReport["tables"] = [];
  await inTransaction(handle, async (copy, txDb) => {
    const restore = await deferIndexes(
      txDb,
      plan.tables.map((t) => t.table),
    );
    for (const t of plan.tables) {
      progress.start(t.table, t.expected);
      const t0 = performance.now();
      let count = 0;
      try {
        await copy(t.table, t.columns, t.rows(), (n) => {
          count += n;
          progress.rows(n);
        });
      } catch (error) {
        await loadConstraintCatalogue();
        const safe = toDbError(error);
        throw new ScaleLoadError(
          `loading ${t.table} failed (nothing was kept): ${safe instanceof Error ? safe.message : String(safe)}`,
        );
      }
      const seconds = (performance.now() - t0) / 1000;
      progress.done(t.table, count, seconds);
      tables.push({ table: t.table, rows: count, seconds });
    }
    progress.start("indexes and keys", restore.length);
    const t0 = performance.now();
    for (const statement of restore) {
      try {
        await txDb.execute(sql.raw(statement));
      } catch (error) {
        await loadConstraintCatalogue();
        const safe = toDbError(error);
        throw new ScaleLoadError(
          `rebuilding an index or key failed (nothing was kept): ${safe instanceof Error ? safe.message : String(safe)}`,
        );
      }
      progress.rows(1);
    }
    const seconds = (performance.now() - t0) / 1000;
    progress.done("indexes and keys", restore.length, seconds);
    tables.push({ table: "(indexes and keys)", rows: restore.length, seconds });
    const violations = await checkLedgerInvariant(txDb);
    if (violations.length > 0) {
      throw new ScaleLoadError(
        `the generated stock disagrees with its ledger for ${violations.length} (warehouse, part) pairs (nothing was kept)`,
      );
    }
  });
  const loaded = [...new Set(plan.tables.map((t) => t.table))];
  for (const table of loaded) await handle.db.execute(sql.raw(`VACUUM (ANALYZE) "${table}"`));
  return { factor: options.factor, seed, tables, seconds: (performance.now() - started) / 1000 };
}
