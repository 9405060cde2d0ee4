/**
 * The migration runner behind `npm run db:migrate` and `migrate(db)` at app start-up. It closes
 * drizzle-orm's migrator gaps (docs/design.md): it serialises concurrent runs with an advisory lock,
 * picks pending migrations by hash in journal order (so an older migration that arrives by a merge
 * is applied, drizzle-orm #5769), refuses to run while an applied migration's file no longer matches
 * its recorded hash (unless told `acceptModified`), and runs the bookkeeping and every pending
 * migration in one transaction, so a failure leaves the database exactly as it was.
 */

import { sql } from "drizzle-orm";
import { MIGRATIONS_FOLDER } from "../config.js";
import { type Database, driverError, type Transaction } from "../db.js";
import { MigrationError, ModifiedMigrationError } from "../errors/operational.js";
import { advisoryXactLock, LOCK_KEYS } from "../locks.js";
import { ensureHistoryTable, readHistory, recordApplied, rerecordHash } from "./history.js";
import { type MigrationFile, readJournal } from "./journal.js";
import { classify } from "./status.js";

export interface MigrateOptions {
  migrationsFolder?: string;
  /** Progress lines; default silent. The CLI passes console.log. */
  log?: (line: string) => void;
  /** Tags of applied migrations whose edited file is accepted: their new hash is recorded. */
  acceptModified?: string[];
  /** Apply only up to and including this tag (baseline's reference database uses it). */
  to?: string;
}

export interface AppliedReport {
  tag: string;
  ms: number;
}

/** Journal entries up to and including `to` (all when undefined); unknown tag is an error. */
export function filesUpTo(files: MigrationFile[], to: string | undefined): MigrationFile[] {
  if (to === undefined) return files;
  const last = files.findIndex((f) => f.tag === to);
  if (last < 0)
    throw new Error(
      `no migration tagged ${to} in the journal (known: ${files.map((f) => f.tag).join(", ")})`,
    );
  return files.slice(0, last + 1);
}

const firstLine = (text: string, max = 160) => {
  const line = text.trim().split("\n")[0] ?? "";
  return line.length > max ? `${line.slice(0, max)}...` : line;
};

async function applyOne(tx: Transaction, file: MigrationFile): Promise<void> {
  for (const [i, statement] of file.statements.entries()) {
    // A savepoint per statement would hide the failure from the outer rollback; we want it whole.
    try {
      await tx.execute(sql.raw(statement));
    } catch (error) {
      const pg = driverError(error) as { message?: string; code?: string };
      throw new MigrationError(
        `Migration ${file.tag}.sql failed at statement ${i + 1} of ${file.statements.length}: ` +
          `${pg.message ?? String(error)}${pg.code ? ` [${pg.code}]` : ""}\n  statement: ${firstLine(statement)}\n` +
          "Nothing was applied: the whole run was rolled back.",
        file.tag,
        i,
        statement,
        error,
      );
    }
  }
  await recordApplied(tx, file.hash, file.when);
}

/**
 * Apply every pending migration. Returns what was applied (empty when up to date). Safe to call
 * from several processes at once: the others wait for the lock, then find nothing pending.
 */
export async function migrate(db: Database, options: MigrateOptions = {}): Promise<AppliedReport[]> {
  const files = filesUpTo(readJournal(options.migrationsFolder ?? MIGRATIONS_FOLDER), options.to);
  const log = options.log ?? (() => {});
  const accept = new Set(options.acceptModified ?? []);
  return db.transaction(async (tx) => {
    // Transaction-scoped: released by COMMIT or ROLLBACK, never leaked by a crashed process.
    await advisoryXactLock(tx, LOCK_KEYS.migration);
    await ensureHistoryTable(tx);
    const { migrations, unknown } = classify(files, await readHistory(tx));
    const modified = migrations.filter((m) => m.state === "modified");
    for (const tag of accept) {
      if (!modified.some((m) => m.tag === tag)) {
        throw new Error(`--accept-modified ${tag}: ${tag} is not an applied migration whose file changed`);
      }
    }
    const refused = modified.filter((m) => !accept.has(m.tag));
    // Throwing inside the transaction rolls back even the history table's creation.
    if (refused.length > 0) throw new ModifiedMigrationError(refused);
    for (const m of modified) {
      await rerecordHash(tx, m.historyId!, m.hash);
      log(`re-recorded ${m.tag} with its edited file's hash (accepted)`);
    }
    for (const u of unknown) {
      log(`warning: history row ${u.id} (sha256 ${u.hash.slice(0, 12)}...) matches no migration file here`);
    }
    const pendingTags = new Set(migrations.filter((m) => m.state === "pending").map((m) => m.tag));
    const pending = files.filter((f) => pendingTags.has(f.tag));
    const report: AppliedReport[] = [];
    const runStarted = performance.now();
    for (const file of pending) {
      const started = performance.now();
      await applyOne(tx, file);
      const ms = Math.round(performance.now() - started);
      report.push({ tag: file.tag, ms });
      log(`applied ${file.tag} (${ms} ms)`);
    }
    if (pending.length === 0) log("database is up to date; nothing to apply");
    else log(`applied ${pending.length} migration(s) in ${Math.round(performance.now() - runStarted)} ms`);
    return report;
  });
}
