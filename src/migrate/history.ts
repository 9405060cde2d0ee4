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

/** Same DDL as drizzle-orm's migrator, so either tool can create it first. */
export async function ensureHistoryTable(db: DbOrTx): Promise<void> {
  await db.execute(sql`CREATE SCHEMA IF NOT EXISTS ${sql.identifier(MIGRATIONS_SCHEMA)}`);
  await db.execute(
    sql`CREATE TABLE IF NOT EXISTS ${historyTable} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`,
  );
}

export async function historyExists(db: DbOrTx): Promise<boolean> {
  const [row] = await rows<{ exists: boolean }>(
    db,
    sql`SELECT to_regclass(${`${MIGRATIONS_SCHEMA}.${MIGRATIONS_TABLE}`}) IS NOT NULL AS exists`,
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

export async function recordApplied(db: DbOrTx, hash: string, when: number): Promise<void> {
  await db.execute(sql`INSERT INTO ${historyTable} ("hash", "created_at") VALUES (${hash}, ${when})`);
}

/** `--accept-modified`: the file was edited on purpose; record its new hash on the same row. */
export async function rerecordHash(db: DbOrTx, id: number, hash: string): Promise<void> {
  await db.execute(sql`UPDATE ${historyTable} SET "hash" = ${hash} WHERE "id" = ${id}`);
}
