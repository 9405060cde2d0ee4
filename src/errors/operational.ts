/**
 * Errors of the commands (CLI, scripts, seeds, bench): all on NetOpsError, so one table maps each
 * `code` to the process exit code (src/errors/exit-codes.ts). Kept apart from the SQLSTATE mapping
 * so a command that only needs these does not load drizzle's schema or a driver.
 */
import { type Blocker, formatBlocker, oneLine } from "../migrate/blockers.js";
import type { DataLoss } from "../migrate/data-loss.js";
import type { MigrationStatus } from "../migrate/status.js";
import { NetOpsError } from "./base.js";

/** Bad command line (exit 2). */
export class UsageError extends NetOpsError {
  override name = "UsageError";
  constructor(message: string) {
    super("USAGE", message);
  }
}

/** Bad `db:seed` command line (exit 2, like every usage error). */
export class SeedUsageError extends UsageError {
  override name = "SeedUsageError";
}

/** A connection problem, said in one line without internals or secrets (the URL's password masked). */
export class DatabaseConnectionError extends NetOpsError {
  override name = "DatabaseConnectionError";
  constructor(message: string) {
    super("DATABASE_CONNECTION", message);
  }
}

/** A migration statement failed; the whole run was rolled back. `path` is the migration's file. */
export class MigrationError extends NetOpsError {
  override name = "MigrationError";
  constructor(
    message: string,
    readonly tag: string,
    readonly statementIndex: number,
    readonly statement: string,
    override readonly cause: unknown,
  ) {
    super("MIGRATION_FAILED", message, { path: `${tag}.sql`, cause });
  }

  protected override details(): Record<string, unknown> {
    return { tag: this.tag, statementIndex: this.statementIndex };
  }
}

/** Refusal: an applied migration's file differs from the hash recorded when it ran. */
export class ModifiedMigrationError extends NetOpsError {
  override name = "ModifiedMigrationError";
  constructor(readonly modified: MigrationStatus[]) {
    super(
      "MIGRATION_MODIFIED",
      `refusing to migrate: ${modified.length === 1 ? "an applied migration was" : "applied migrations were"} ` +
        `edited after ${modified.length === 1 ? "it" : "they"} ran: ${modified.map((m) => m.path).join(", ")}. ` +
        "Restore the committed file, or, if the edit is deliberate and already reflected in the database, " +
        `re-record it with --accept-modified ${modified[0]?.tag ?? "<tag>"}. Nothing was applied.`,
      { path: modified[0]?.path },
    );
  }

  protected override details(): Record<string, unknown> {
    return { tags: this.modified.map((m) => m.tag) };
  }
}

/** `db:reset` refused: a non-local host without --force, a protected database, no database named. */
export class ResetRefusedError extends NetOpsError {
  override name = "ResetRefusedError";
  constructor(message: string) {
    super("RESET_REFUSED", message);
  }
}

/** Demo data refused: a non-local host without --force. */
export class DemoRefusedError extends NetOpsError {
  override name = "DemoRefusedError";
  constructor(message: string) {
    super("DEMO_REFUSED", message);
  }
}

/** Refused before anything is written: non-local host, data present, factor out of range for the driver. */
export class ScaleRefusedError extends NetOpsError {
  override name = "ScaleRefusedError";
  constructor(message: string) {
    super("SCALE_REFUSED", message);
  }
}

/** The scale load failed and was rolled back; names the table, never a row's values. */
export class ScaleLoadError extends NetOpsError {
  override name = "ScaleLoadError";
  constructor(message: string) {
    super("SCALE_LOAD_FAILED", message);
  }
}

/** db:rebase cannot start: no base branch to rebase onto, not a git checkout. */
export class RebaseUsageError extends NetOpsError {
  override name = "RebaseUsageError";
  constructor(message: string) {
    super("REBASE_USAGE", message);
  }
}

/** db:rebase will not act (and changed nothing): base not merged, conflicts elsewhere, shared database. */
export class RebaseRefusedError extends NetOpsError {
  override name = "RebaseRefusedError";
  constructor(message: string) {
    super("REBASE_REFUSED", message);
  }
}

/** Regenerating failed; drizzle/ was put back as it was. */
export class RebaseFailedError extends NetOpsError {
  override name = "RebaseFailedError";
  constructor(message: string) {
    super("REBASE_FAILED", message);
  }
}

/** git could not do what a migration tool needed (not a checkout, an unknown ref...). */
export class GitError extends NetOpsError {
  override name = "GitError";
  constructor(message: string) {
    super("GIT_FAILED", message);
  }
}

/** The guard cannot run: not a git checkout, a GUARD_BASE that does not resolve, no base under CI. */
export class GuardBaseError extends NetOpsError {
  override name = "GuardBaseError";
  constructor(message: string) {
    super("GUARD_BASE_UNAVAILABLE", message);
  }
}

/** PostgreSQL's parser refused a migration file; `line` is where (0 when it does not say). */
export class SqlSyntaxError extends NetOpsError {
  override name = "SqlSyntaxError";
  constructor(
    message: string,
    readonly line: number,
  ) {
    super("GUARD_SQL_SYNTAX", message);
  }

  protected override details(): Record<string, unknown> {
    return { line: this.line };
  }
}

/** The SQL tokenizer met an unterminated quote (drift's normaliser, the guard). */
export class LexError extends NetOpsError {
  override name = "LexError";
  constructor(message: string) {
    super("SQL_LEX", message);
  }
}

/** migrate: a statement gave up waiting for a lock (SQLSTATE 55P03); its transaction is rolled back. */
export class LockTimeoutError extends NetOpsError {
  override name = "LockTimeoutError";
  constructor(
    readonly lockTimeoutMs: number,
    readonly statement: string,
    readonly blockers: Blocker[],
    override readonly cause: unknown,
    /** The migration whose statement timed out (set by the runner). */
    readonly tag?: string,
    /** Attempts made before giving up (set by the runner). */
    readonly attempts = 1,
  ) {
    super(
      "LOCK_TIMEOUT",
      `lock timeout (${lockTimeoutMs} ms)${tag ? ` in ${tag}.sql` : ""} at: ${oneLine(statement).replace(/;$/, "")}; ` +
        (blockers.length > 0
          ? `blocked by ${blockers.map(formatBlocker).join("; ")}`
          : "the blocker ended before it could be read (pg_blocking_pids)") +
        (attempts > 1 ? `; gave up after ${attempts} attempts` : ""),
      { path: tag ? `${tag}.sql` : undefined, retryable: true, cause },
    );
  }

  withContext(tag: string | undefined, attempts: number): LockTimeoutError {
    return new LockTimeoutError(this.lockTimeoutMs, this.statement, this.blockers, this.cause, tag, attempts);
  }
}

/** DATABASE_URL present but blank: a deploy whose secret did not arrive. */
export class EmptyDatabaseUrlError extends NetOpsError {
  override name = "EmptyDatabaseUrlError";
  constructor() {
    super(
      "DATABASE_URL_EMPTY",
      "DATABASE_URL is set but empty: set it to postgres://user:password@host:5432/database, or unset it to use the embedded database",
    );
  }
}

// db:rollback (src/migrate/rollback.ts) ---------------------------------------------------------

export type RollbackRefusal = "usage" | "modified" | "unknown-history" | "floor" | "down" | "data-loss";

/** db:rollback refused; nothing ran: the rollback was refused before its first statement. */
export class RollbackRefusedError extends NetOpsError {
  override name = "RollbackRefusedError";
  constructor(
    readonly reason: RollbackRefusal,
    message: string,
    /** For `data-loss`: everything the downs would destroy. */
    readonly losses: DataLoss[] = [],
  ) {
    super("ROLLBACK_REFUSED", message);
  }
}

/** A down statement failed; the transaction was rolled back: database and history are as before. */
export class RollbackError extends NetOpsError {
  override name = "RollbackError";
  constructor(
    message: string,
    readonly tag: string,
    readonly file: string,
    /** 1-based. */
    readonly statementNumber: number,
    readonly statement: string,
    override readonly cause: unknown,
  ) {
    super("ROLLBACK_FAILED", message);
  }
}

/** db:import: the file cannot be imported at all (bad header, wrong driver): nothing was read or written. */
export class ImportFormatError extends NetOpsError {
  override name = "ImportFormatError";
  constructor(message: string) {
    super("IMPORT_FORMAT", message);
  }
}
