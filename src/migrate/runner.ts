/**
 * The migration runner behind `npm run db:migrate` and `migrate(db)` at app start-up. It closes
 * drizzle-orm's migrator gaps (design.md): it serialises concurrent runs with an advisory lock,
 * picks pending migrations by hash in journal order (so an older migration that arrives by a merge
 * is applied, drizzle-orm #5769), and runs the bookkeeping and every pending migration in one
 * transaction, so a failure leaves the database exactly as it was.
 */
import { sql } from "drizzle-orm";
import { MIGRATIONS_FOLDER } from "../config.js";
import { type Database, driverError, type Transaction } from "../db.js";
import { ensureHistoryTable, readHistory, recordApplied } from "./history.js";
import { type MigrationFile, readJournal } from "./journal.js";

/** Advisory lock key shared by every runner of this project ("netopsai" as a 64-bit number). */
export const MIGRATION_LOCK_KEY = 0x6e65746f70736169n;

export interface MigrateOptions {
  migrationsFolder?: string;
  /** Progress lines; default silent. The CLI passes console.log. */
  log?: (line: string) => void;
}

export interface AppliedReport {
  tag: string;
  ms: number;
}

export class MigrationError extends Error {
  override name = "MigrationError";
  constructor(
    message: string,
    readonly tag: string,
    readonly statementIndex: number,
    readonly statement: string,
    override readonly cause: unknown,
  ) {
    super(message);
  }
}

const firstLine = (text: string, max = 160) => {
  const line = text.trim().split("\n")[0] ?? "";
  return line.length > max ? `${line.slice(0, max)}...` : line;
};

/** Pending = journal entries whose hash is not recorded, in journal order. */
export function pendingMigrations(files: MigrationFile[], appliedHashes: Set<string>): MigrationFile[] {
  return files.filter((f) => !appliedHashes.has(f.hash));
}

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
  const files = readJournal(options.migrationsFolder ?? MIGRATIONS_FOLDER);
  const log = options.log ?? (() => {});
  return db.transaction(async (tx) => {
    // Transaction-scoped: released by COMMIT or ROLLBACK, never leaked by a crashed process.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY.toString()}::bigint)`);
    await ensureHistoryTable(tx);
    const applied = new Set((await readHistory(tx)).map((m) => m.hash));
    const pending = pendingMigrations(files, applied);
    const report: AppliedReport[] = [];
    for (const file of pending) {
      const started = performance.now();
      await applyOne(tx, file);
      const ms = Math.round(performance.now() - started);
      report.push({ tag: file.tag, ms });
      log(`applied ${file.tag} (${ms} ms)`);
    }
    if (pending.length === 0) log("database is up to date; nothing to apply");
    return report;
  });
}
