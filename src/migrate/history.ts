/** drizzle's own history table, `drizzle.__drizzle_migrations (id, hash, created_at)`. */
import { sql } from "drizzle-orm";
import { MIGRATIONS_SCHEMA, MIGRATIONS_TABLE } from "../config.js";
import { type DbOrTx, rows } from "../db.js";

export const historyTable = sql`${sql.identifier(MIGRATIONS_SCHEMA)}.${sql.identifier(MIGRATIONS_TABLE)}`;

export interface AppliedMigration {
  id: number;
  hash: string;
  /** The journal `when` drizzle stored (ms since epoch). */
  createdAt: number;
}

/**
 * Same DDL as drizzle-orm's migrator, so either tool can create it first. Both statements are sent
 * at once (pipelined, in order: one round trip); the first failure is thrown.
 */
export async function ensureHistoryTable(db: DbOrTx): Promise<void> {
  await Promise.all([
    db.execute(sql`CREATE SCHEMA IF NOT EXISTS ${sql.identifier(MIGRATIONS_SCHEMA)}`).then(() => {}),
    db
      .execute(
        sql`CREATE TABLE IF NOT EXISTS ${historyTable} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`,
      )
      .then(() => {}),
  ]);
}

// The history table's name as a literal (two constants of plain lower-case letters): a parameter
// would cost postgres.js a describe round trip on every run.
const historyName = sql.raw(`'${MIGRATIONS_SCHEMA}.${MIGRATIONS_TABLE}'`);

export async function historyExists(db: DbOrTx): Promise<boolean> {
  const [row] = await rows<{ exists: boolean }>(
    db,
    sql`SELECT to_regclass(${historyName}) IS NOT NULL AS exists`,
  );
  return row?.exists === true;
}

export async function readHistory(db: DbOrTx): Promise<AppliedMigration[]> {
  if (!(await historyExists(db))) return [];
  const found = await rows<{ id: number; hash: string; created_at: string | number | null }>(
    db,
    sql`SELECT id, hash, created_at FROM ${historyTable} ORDER BY id`,
  );
  return found.map((r) => ({ id: Number(r.id), hash: r.hash, createdAt: Number(r.created_at) }));
}

/**
 * The history row of a migration as one statement with its values written in: a sha256 in hex and
 * the journal's whole-number `when`, both checked, so the runner can send it in the same batch as
 * the migration's own statements (a parameter would need a describe round trip of its own).
 */
export function recordAppliedStatement(hash: string, when: number): string {
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`not a sha256 in hex: ${JSON.stringify(hash)}`);
  if (!Number.isSafeInteger(when)) throw new Error(`the journal's "when" is not a whole number: ${when}`);
  return `INSERT INTO "${MIGRATIONS_SCHEMA}"."${MIGRATIONS_TABLE}" ("hash", "created_at") VALUES ('${hash}', ${when})`;
}

export async function recordApplied(db: DbOrTx, hash: string, when: number): Promise<void> {
  await db.execute(sql.raw(recordAppliedStatement(hash, when)));
}

/** `--accept-modified`: the file was edited on purpose; record its new hash on the same row. */
export async function rerecordHash(db: DbOrTx, id: number, hash: string): Promise<void> {
  await db.execute(sql`UPDATE ${historyTable} SET "hash" = ${hash} WHERE "id" = ${id}`);
}
