/**
 * The migration runner behind `npm run db:migrate` and `migrate(db)` at app start-up. It closes
 * drizzle-orm's migrator gaps (docs/design.md): it serialises concurrent runs with an advisory lock, picks pending
 * migrations by hash in journal order (so an older migration that arrives by a merge is applied,
 * drizzle-orm #5769), refuses to run while an applied migration's file no longer matches its
 * recorded hash (unless told `acceptModified`), and works in a migration session
 * (src/migrate/session.ts: lock_timeout, statement_timeout, application_name, client connection check).
 *
 * Each migration runs in its own transaction (Flyway's default), so the locks it takes are released
 * when it commits, not when the last file does: applying 0003 and 0004 in one transaction kept
 * ACCESS EXCLUSIVE on the tables 0003 altered while 0004 built its indexes, and readers of those
 * tables waited for both. Inside its transaction a migration's statements and its history row are
 * sent at once (session.executeAll: one round trip instead of one per statement; 280 `SELECT 1` one
 * by one took 0.23-0.53 s at load 9, pipelined 0.06-0.10 s). `singleTransaction`
 * keeps the all-or-nothing run. A migration whose first line is `-- migrate:no-transaction` runs
 * alone, statement by statement, outside any transaction
 * (CREATE INDEX CONCURRENTLY); when one stopped part-way, the next run first drops the INVALID
 * indexes it left (src/migrate/leftovers.ts), then runs it again from the top.
 *
 * A statement that times out waiting for a lock rolls back its transaction, the blocker is named, and
 * the run is tried again after a backoff (1 s, 2 s, 4 s by default) before LockTimeoutError.
 */
import { MIGRATIONS_FOLDER } from "../config.js";
import { type Database, driverError } from "../db.js";
import { LockTimeoutError, MigrationError, ModifiedMigrationError } from "../errors/operational.js";
import {
  ensureHistoryTable,
  readHistory,
  recordApplied,
  recordAppliedStatement,
  rerecordHash,
} from "./history.js";
import { type MigrationFile, readJournal } from "./journal.js";
import { indexesCreatedConcurrently, invalidIndexes } from "./leftovers.js";
import {
  type MigrationSession,
  oneLine,
  type RetryOptions,
  type SessionOptions,
  withLockRetries,
  withMigrationSession,
} from "./session.js";
import { classify } from "./status.js";

export { DEFAULT_RETRIES, MIGRATION_LOCK_KEY } from "./session.js";

export interface MigrateOptions extends SessionOptions, RetryOptions {
  migrationsFolder?: string;
  /** Progress lines; default silent. The CLI passes console.log. */
  log?: (line: string) => void;
  /** Tags of applied migrations whose edited file is accepted: their new hash is recorded. */
  acceptModified?: string[];
  /** Apply only up to and including this tag (baseline's reference database uses it). */
  to?: string;
  /** Every pending migration in one transaction: all or nothing (refused with a no-transaction one). */
  singleTransaction?: boolean;
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

/** What stays in the database after `file` failed, for the error message. */
function aftermath(
  file: MigrationFile,
  statementIndex: number,
  single: boolean,
  committed: string[],
): string {
  if (single) return "Nothing was applied: the whole run was rolled back.";
  const before = committed.length > 0 ? `Committed before it in this run: ${committed.join(", ")}. ` : "";
  if (file.noTransaction) {
    return (
      `${before}${file.tag} runs without a transaction: ` +
      (statementIndex > 0 ? `its statements 1-${statementIndex} stayed applied; ` : "") +
      "the next db:migrate drops the INVALID indexes it left and runs it again from the top."
    );
  }
  return `${before}${file.tag} was rolled back.`;
}

/** The error for statement `i` of `file` (i = statements.length: its history row). */
function failure(
  file: MigrationFile,
  i: number,
  error: unknown,
  single: boolean,
  committed: string[],
): MigrationError {
  const pg = driverError(error) as { message?: string; code?: string };
  const reason = `${pg.message ?? String(error)}${pg.code ? ` [${pg.code}]` : ""}`;
  const statement = file.statements[i] ?? recordAppliedStatement(file.hash, file.when);
  const where =
    i < file.statements.length
      ? `failed at statement ${i + 1} of ${file.statements.length}`
      : "ran, but recording it in the history failed";
  return new MigrationError(
    `Migration ${file.tag}.sql ${where}: ${reason}\n  statement: ${oneLine(statement, 160)}\n` +
      aftermath(file, i, single, committed),
    file.tag,
    i,
    statement,
    error,
  );
}

/** A no-transaction migration: one statement at a time (each commits), then its history row. */
async function applyAlone(
  session: MigrationSession,
  file: MigrationFile,
  committed: string[],
): Promise<void> {
  for (const [i, statement] of file.statements.entries()) {
    try {
      await session.execute(statement);
    } catch (error) {
      if (error instanceof LockTimeoutError) throw error; // retried whole by migrate()
      throw failure(file, i, error, false, committed);
    }
  }
  await recordApplied(session.db, file.hash, file.when);
}

/**
 * A migration inside the caller's transaction: its statements and its history row sent at once
 * (session.executeAll: one round trip, each statement still its own query, so a failure names its
 * statement and leaves nothing of the migration).
 */
async function applyInTransaction(
  session: MigrationSession,
  file: MigrationFile,
  single: boolean,
  committed: string[],
): Promise<void> {
  await session.executeAll([...file.statements, recordAppliedStatement(file.hash, file.when)], (i, error) =>
    failure(file, i, error, single, committed),
  );
}

/** One pass over the pending migrations; `report` keeps what committed, across retries. */
async function runPending(
  session: MigrationSession,
  files: MigrationFile[],
  options: MigrateOptions,
  report: AppliedReport[],
  firstAttempt: boolean,
): Promise<void> {
  const log = options.log ?? (() => {});
  const single = options.singleTransaction === true;
  const { db } = session;
  const accept = new Set(options.acceptModified ?? []);
  const { migrations, unknown } = classify(files, await readHistory(db));
  const modified = migrations.filter((m) => m.state === "modified");
  for (const tag of accept) {
    // Already re-recorded by an earlier attempt of this run: now applied, nothing to refuse.
    if (!firstAttempt && migrations.some((m) => m.tag === tag && m.state === "applied")) continue;
    if (!modified.some((m) => m.tag === tag)) {
      throw new Error(`--accept-modified ${tag}: ${tag} is not an applied migration whose file changed`);
    }
  }
  const refused = modified.filter((m) => !accept.has(m.tag));
  if (refused.length > 0) throw new ModifiedMigrationError(refused);
  if (firstAttempt) {
    for (const u of unknown) {
      log(`warning: history row ${u.id} (sha256 ${u.hash.slice(0, 12)}...) matches no migration file here`);
    }
  }
  const pendingTags = new Set(migrations.filter((m) => m.state === "pending").map((m) => m.tag));
  const pending = files.filter((f) => pendingTags.has(f.tag));
  const loose = pending.filter((f) => f.noTransaction);
  if (single && loose.length > 0) {
    throw new Error(
      `--single-transaction: ${loose.map((f) => f.tag).join(", ")} must run outside a transaction ` +
        "(first line -- migrate:no-transaction), so the run cannot be all or nothing; " +
        `migrate without --single-transaction, or stop before it with --to. Nothing was applied.`,
    );
  }
  const rerecord = async () => {
    for (const m of modified) {
      await rerecordHash(db, m.historyId!, m.hash);
      log(`re-recorded ${m.tag} with its edited file's hash (accepted)`);
    }
  };
  const committedTags = () => report.map((r) => r.tag);

  if (single) {
    const ran: AppliedReport[] = [];
    await session.transaction(async () => {
      await ensureHistoryTable(db);
      await rerecord();
      for (const file of pending) {
        const started = performance.now();
        await applyInTransaction(session, file, true, []);
        const ms = Math.round(performance.now() - started);
        ran.push({ tag: file.tag, ms });
        log(`ran ${file.tag} (${ms} ms)`);
      }
    });
    report.push(...ran);
    if (ran.length > 0) log(`committed ${ran.length} migration(s) in one transaction`);
    return;
  }

  if (modified.length > 0) await session.transaction(rerecord);
  // The history table is created once per pass (two round trips fewer per later migration): by the
  // first migration's transaction, or before a no-transaction one. Not yet when that transaction
  // rolled back.
  let historyReady = false;
  for (const file of pending) {
    const started = performance.now();
    if (file.noTransaction) {
      if (!historyReady) await ensureHistoryTable(db);
      historyReady = true;
      const left = await invalidIndexes(db, indexesCreatedConcurrently(file.statements));
      for (const name of left) {
        await session.execute(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
        log(`dropped INVALID index ${name} left by an earlier run of ${file.tag} that stopped part-way`);
      }
      await applyAlone(session, file, committedTags());
    } else {
      await session.transaction(async () => {
        // In the first migration's transaction, so a failure on an empty database leaves nothing.
        if (!historyReady) await ensureHistoryTable(db);
        await applyInTransaction(session, file, false, committedTags());
      });
      historyReady = true;
    }
    const ms = Math.round(performance.now() - started);
    report.push({ tag: file.tag, ms });
    log(`applied ${file.tag}${file.noTransaction ? " (no transaction)" : ""} (${ms} ms)`);
  }
}

/**
 * Apply every pending migration. Returns what was applied (empty when up to date). Safe to call
 * from several processes at once: the others wait for the lock, then find nothing pending.
 */
export async function migrate(db: Database, options: MigrateOptions = {}): Promise<AppliedReport[]> {
  const files = filesUpTo(readJournal(options.migrationsFolder ?? MIGRATIONS_FOLDER), options.to);
  const log = options.log ?? (() => {});
  return withMigrationSession(db, options, async (session) => {
    const report: AppliedReport[] = [];
    const runStarted = performance.now();
    await withLockRetries(
      session,
      { ...options, log },
      // What committed in an earlier attempt stays in `report`; the next attempt re-reads the history.
      (attempt) => runPending(session, files, options, report, attempt === 1),
      (statement) => files.find((f) => f.statements.includes(statement))?.tag,
    );
    if (report.length === 0) log("database is up to date; nothing to apply");
    else log(`applied ${report.length} migration(s) in ${Math.round(performance.now() - runStarted)} ms`);
    return report;
  });
}
