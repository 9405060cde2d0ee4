/**
 * Process exit codes, one meaning each across every command (src/cli.ts, scripts/*.ts, the seed
 * commands, bench), so a deploy script can branch on them (README: "Exit codes"), and the one table
 * from error code to exit code that every command's error handler uses.
 */
import { type ErrorCode, NetOpsError } from "./base.js";

export const EXIT = {
  /** Done, or nothing to do: up to date, no drift, baselined, reset. */
  ok: 0,
  /** An error: cannot connect, a migration failed (and was rolled back), unexpected failure. */
  error: 1,
  /** Bad command line. */
  usage: 2,
  /** status: migrations are pending (run db:migrate). */
  pending: 3,
  /** status/migrate: an applied migration's file differs from its recorded hash. */
  modified: 4,
  /** status: the database records migrations this checkout has no file for. */
  unknownRecorded: 5,
  /** drift/baseline: the live schema differs from what the migrations produce. */
  drift: 6,
  /** Refused to act (already under migration control, non-local host without --force, ...). */
  refused: 7,
  /** migrate: a statement timed out waiting for a lock on every attempt (the blocker is named). */
  lockTimeout: 8,
  /** db:import: rows were rejected (the others loaded; with --all-or-nothing or --dry-run nothing was written). */
  importRejected: 9,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Every error code's exit code: a new code does not compile until it is given one here. */
export const EXIT_CODE_OF_ERROR: Readonly<Record<ErrorCode, ExitCode>> = {
  VALIDATION_FAILED: EXIT.error,
  UNIQUE_VIOLATION: EXIT.error,
  FOREIGN_KEY_VIOLATION: EXIT.error,
  CHECK_VIOLATION: EXIT.error,
  NOT_NULL_VIOLATION: EXIT.error,
  INVALID_TEXT_REPRESENTATION: EXIT.error,
  VALUE_TOO_LONG: EXIT.error,
  OUT_OF_RANGE: EXIT.error,
  SERIALIZATION_FAILURE: EXIT.error,
  DATABASE_ERROR: EXIT.error,
  TIMEOUT: EXIT.error,
  CONNECTION_LOST: EXIT.error,
  PERMISSION_DENIED: EXIT.error,
  NOT_FOUND: EXIT.error,
  INVALID_STATE: EXIT.error,
  NO_ACTIVE_TYPE_VERSION: EXIT.error,
  SELF_RELATIONSHIP: EXIT.error,
  RELATIONSHIP_NOT_ALLOWED: EXIT.error,
  DUPLICATE_RELATIONSHIP: EXIT.error,
  INSUFFICIENT_STOCK: EXIT.error,
  DOCUMENT_NOT_DRAFT: EXIT.error,
  DOCUMENT_ALREADY_CANCELED: EXIT.error,
  RELEASE_EXCEEDS_RESERVED: EXIT.error,
  USAGE: EXIT.usage,
  DATABASE_CONNECTION: EXIT.error,
  MIGRATION_FAILED: EXIT.error,
  MIGRATION_MODIFIED: EXIT.modified,
  LOCK_TIMEOUT: EXIT.lockTimeout,
  // db:rollback: a refusal whose reason is "usage" exits 2 (src/migrate/rollback-command.ts).
  ROLLBACK_REFUSED: EXIT.refused,
  ROLLBACK_FAILED: EXIT.error,
  DATABASE_URL_EMPTY: EXIT.error,
  RESET_REFUSED: EXIT.refused,
  DEMO_REFUSED: EXIT.refused,
  SCALE_REFUSED: EXIT.refused,
  SCALE_LOAD_FAILED: EXIT.error,
  REBASE_USAGE: EXIT.usage,
  REBASE_REFUSED: EXIT.refused,
  REBASE_FAILED: EXIT.error,
  GIT_FAILED: EXIT.error,
  // The guard cannot see its base: a setup problem of the checkout, reported like a usage error.
  GUARD_BASE_UNAVAILABLE: EXIT.usage,
  GUARD_SQL_SYNTAX: EXIT.error,
  SQL_LEX: EXIT.error,
  IMPORT_FORMAT: EXIT.error,
  ENCRYPTION_KEY: EXIT.error,
  SECRET_DECRYPTION: EXIT.error,
  PASSWORD_HASH_FORMAT: EXIT.error,
  ROLE_SETUP: EXIT.error,
  RETENTION: EXIT.error,
};

/** The exit code for an error a command did not handle: the table for ours, 1 for anything else. */
export function exitCodeOf(error: unknown): ExitCode {
  return error instanceof NetOpsError ? EXIT_CODE_OF_ERROR[error.code] : EXIT.error;
}

/** How the one line a command prints for a failure starts, by its exit code. */
export function failureLabel(code: ExitCode): string {
  return code === EXIT.usage ? "usage error" : code === EXIT.refused ? "refused" : "error";
}

/** The line a command prints for an error it did not handle: `<label>: <message>`. */
export function failureLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `${failureLabel(exitCodeOf(error))}: ${message}`;
}
