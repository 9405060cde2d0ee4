/**
 * Retention of history tables: the owner deletes rows older than an age and the deletion is itself
 * recorded (an audit_logs row `retention.delete` with the table, cutoff and count), in one transaction.
 * Only the owner can: the append-only triggers refuse every other login.
 */
import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "../db.js";
import { RetentionError } from "../errors/security.js";
import { auditLogs } from "../schema/index.js";
import { APPEND_ONLY_TABLES, type AppendOnlyTable } from "./append-only.js";
import { OWNER_ROLE } from "./roles.js";

const UNIT_DAYS: Record<string, number> = { d: 1, w: 7, y: 365 };

/** `365d`, `52w`, `2y` -> whole days. */
export function parseAge(value: string): number {
  const m = /^(\d{1,5})([dwy])$/.exec(value.trim());
  if (!m) throw new RetentionError(`age ${JSON.stringify(value)}: expected <n>d, <n>w or <n>y (e.g. 365d)`);
  const days = Number(m[1]) * (UNIT_DAYS[m[2] ?? "d"] ?? 1);
  if (days < 1) throw new RetentionError("age must be at least 1 day");
  return days;
}

export const retentionTables = (): AppendOnlyTable[] =>
  (Object.keys(APPEND_ONLY_TABLES) as AppendOnlyTable[]).filter((t) => APPEND_ONLY_TABLES[t].retention);

export interface RetentionResult {
  table: AppendOnlyTable;
  cutoff: string;
  deleted: number;
}

/** Delete `table`'s rows created before now() - `olderThanDays`, and record it; owner only. */
export async function applyRetention(
  db: DbOrTx,
  table: string,
  olderThanDays: number,
  actor = "db:retention",
): Promise<RetentionResult> {
  const allowed = retentionTables();
  if (!(allowed as string[]).includes(table))
    throw new RetentionError(
      `no retention for ${table}: ${table in APPEND_ONLY_TABLES ? "its rows are a ledger that must keep summing to the stock" : "not a history table"} (retention applies to ${allowed.join(", ")})`,
    );
  return db.transaction(async (tx) => {
    const [who] = await rows<{ owner: boolean; login: string }>(
      tx,
      sql`SELECT pg_has_role(session_user, ${OWNER_ROLE}, 'MEMBER') AS owner, session_user::text AS login`,
    );
    if (!who?.owner)
      throw new RetentionError(
        `retention runs as the owner: ${who?.login ?? "?"} is not a member of ${OWNER_ROLE}`,
      );
    const [cut] = await rows<{ cutoff: string }>(
      tx,
      sql`SELECT (now() - make_interval(days => ${olderThanDays}))::text AS cutoff`,
    );
    const cutoff = cut?.cutoff ?? "";
    const [done] = await rows<{ n: number }>(
      tx,
      sql`WITH gone AS (DELETE FROM ${sql.identifier(table)} WHERE created_at < ${cutoff}::timestamptz RETURNING 1)
          SELECT count(*)::int AS n FROM gone`,
    );
    const deleted = done?.n ?? 0;
    await tx.insert(auditLogs).values({
      action: "retention.delete",
      resource: table,
      userId: who.login,
      details: { table, olderThanDays, cutoff, deleted, by: actor },
    });
    return { table: table as AppendOnlyTable, cutoff, deleted };
  });
}

export { RetentionError };
