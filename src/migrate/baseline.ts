/**
 * Baseline (Flyway `baseline`, Alembic `stamp`): adopt a database that was built outside the
 * migrations (the legacy pg_dump of seed 000's process). The live schema is compared with the schema
 * the migrations up to `to` (default: the first, 0000) produce, by the drift check; only an exact
 * match (modulo the drift check's equivalences) records those migrations as applied, without
 * running them. Any difference is reported and nothing is written, not even the history table.
 */
import { sql } from "drizzle-orm";
import { MIGRATIONS_FOLDER, MIGRATIONS_SCHEMA } from "../config.js";
import { type Database, type DbOrTx, rows } from "../db.js";
import { advisoryXactLock, LOCK_KEYS } from "../locks.js";
import {
  compareSchemas,
  type DriftItem,
  type ReferenceTarget,
  readSchema,
  referenceSchema,
} from "./drift.js";
import { ensureHistoryTable, historyExists, readHistory, recordApplied } from "./history.js";
import { readJournal } from "./journal.js";
import { filesUpTo } from "./runner.js";

export interface BaselineOptions {
  migrationsFolder?: string;
  /** Record every migration up to and including this tag (default: the first in the journal). */
  to?: string;
  /** Scratch database name for the drift check's reference (server only). */
  scratchName?: string;
  log?: (line: string) => void;
}

export type BaselineResult =
  | { status: "baselined"; recorded: string[] }
  | { status: "drift"; drift: DriftItem[]; notes: string[] }
  | { status: "refused"; reason: string };

export async function baseline(
  live: Database,
  target: ReferenceTarget,
  options: BaselineOptions = {},
): Promise<BaselineResult> {
  const folder = options.migrationsFolder ?? MIGRATIONS_FOLDER;
  const all = readJournal(folder);
  const to = options.to ?? all[0]?.tag;
  if (!to) return { status: "refused", reason: "the journal lists no migrations" };
  const files = filesUpTo(all, to);
  const log = options.log ?? (() => {});

  const history = await readHistory(live);
  if (history.length > 0) {
    return {
      status: "refused",
      reason: `the database already records ${history.length} migration(s); it is under migration control (see db:status)`,
    };
  }
  const actual = await readSchema(live);
  if (!actual.objects.some((o) => o.kind === "table")) {
    return {
      status: "refused",
      reason: "the database has no tables: run db:migrate instead of baselining it",
    };
  }
  log(`comparing the live schema with the schema of migrations up to ${to}`);
  const expected = await referenceSchema(target, {
    migrationsFolder: folder,
    to,
    log,
    ...(options.scratchName ? { scratchName: options.scratchName } : {}),
  });
  const { items: drift, notes } = compareSchemas(expected, actual);
  if (drift.length > 0) return { status: "drift", drift, notes };
  for (const note of notes) log(`note: ${note}`);

  return live.transaction(async (tx) => {
    await advisoryXactLock(tx, LOCK_KEYS.migration);
    // Re-check under the lock: a migrate may have started meanwhile.
    if ((await readHistory(tx)).length > 0) {
      return {
        status: "refused",
        reason: "another run recorded migrations while baseline was checking",
      } as const;
    }
    await ensureHistoryTable(tx);
    for (const file of files) {
      await recordApplied(tx, file.hash, file.when);
      log(`recorded ${file.tag} as applied (not run)`);
    }
    await recordBaselineMark(tx, files.at(-1)!.hash);
    return { status: "baselined", recorded: files.map((f) => f.tag) } as const;
  });
}

/**
 * Where an adopted database's history starts: db:rollback never goes below it (the database never
 * had the schema before it). A table of its own beside drizzle's, so drizzle.__drizzle_migrations
 * keeps exactly drizzle's format; a database baselined before this mark existed has none, and then
 * only 0000 (never rolled back) is the floor.
 */
const BASELINE_MARK = sql`${sql.identifier(MIGRATIONS_SCHEMA)}.${sql.identifier("__netops_baseline")}`;

async function recordBaselineMark(tx: DbOrTx, hash: string): Promise<void> {
  await tx.execute(
    sql`CREATE TABLE IF NOT EXISTS ${BASELINE_MARK} (hash text NOT NULL, baselined_at timestamptz NOT NULL DEFAULT now())`,
  );
  await tx.execute(sql`INSERT INTO ${BASELINE_MARK} (hash) VALUES (${hash})`);
}

/** The hash of the last migration baseline recorded, or null (not adopted, or adopted before the mark). */
export async function readBaselineMark(db: DbOrTx): Promise<string | null> {
  if (!(await historyExists(db))) return null;
  const [exists] = await rows<{ ok: boolean }>(
    db,
    sql`SELECT to_regclass(${`${MIGRATIONS_SCHEMA}.__netops_baseline`}) IS NOT NULL AS ok`,
  );
  if (!exists?.ok) return null;
  const [mark] = await rows<{ hash: string }>(
    db,
    sql`SELECT hash FROM ${BASELINE_MARK} ORDER BY baselined_at DESC LIMIT 1`,
  );
  return mark?.hash ?? null;
}
