/**
 * Every PostgreSQL advisory lock key this package uses, and the one helper that takes them
 * transaction-scoped (`pg_advisory_xact_lock`: released at COMMIT or ROLLBACK, so a crashed process
 * never leaves one behind). The one session-level lock is the migration runner's, held on its
 * reserved connection across per-migration transactions (src/migrate/session.ts); baseline takes
 * the same key transaction-scoped. Keys live here so two features never pick the same number.
 */
import { sql } from "drizzle-orm";
import type { DbOrTx } from "./db.js";

export const LOCK_KEYS = {
  /** Every migration run (db:migrate, migrate(db), baseline): "netopsai" as a 64-bit number. */
  migration: 0x6e65746f70736169n,
  /** The reference-data loader (seed/load-reference.ts): concurrent seeders take turns. */
  seedReference: 4_815_162_342n,
  /** Writes to the location tree (create, move): paths of a subtree are rewritten in one UPDATE. */
  locationTree: 0x6c6f63747265656en, // "loctreen"
} as const;

/**
 * A lock on a (relationship type, from CI, to CI) triple: two concurrent relateCis of the same
 * triple take turns. A text key, hashed by PostgreSQL's `hashtextextended`.
 */
export const cmdbRelationshipLock = (relTypeId: string, fromCiId: string, toCiId: string) =>
  `cmdb_rel:${relTypeId}:${fromCiId}:${toCiId}`;

/** Take a transaction-scoped advisory lock: a bigint key as is, a text key through hashtextextended. */
export async function advisoryXactLock(tx: DbOrTx, key: bigint | string): Promise<void> {
  await tx.execute(
    typeof key === "bigint"
      ? sql`SELECT pg_advisory_xact_lock(${key.toString()}::bigint)`
      : sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`,
  );
}
