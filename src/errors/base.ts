/**
 * The base of every error this package throws on purpose, and the closed list of their codes.
 *
 * `code` is the stable value programs branch on (and the key of the exit-code table,
 * src/errors/exit-codes.ts); the class gives the typed fields. Messages and `toJSON()` carry
 * identifiers only (tables, constraints, columns, input field paths, file paths, ids the caller
 * named), never an input value or a SQL parameter: drizzle's DrizzleQueryError message lists the
 * query's parameters, PostgreSQL's `detail` echoes the rejected row, and either may be a secret.
 */
import type { z } from "zod";

/** Every error code, one per kind of failure. Adding one means adding its exit code too. */
export const ERROR_CODES = [
  // Input refused before it reached the database (parseInput).
  "VALIDATION_FAILED",
  // PostgreSQL integrity and data errors, mapped by SQLSTATE (src/errors/sqlstate.ts).
  "UNIQUE_VIOLATION",
  "FOREIGN_KEY_VIOLATION",
  "CHECK_VIOLATION",
  "NOT_NULL_VIOLATION",
  "INVALID_TEXT_REPRESENTATION",
  "VALUE_TOO_LONG",
  "OUT_OF_RANGE",
  "SERIALIZATION_FAILURE",
  "DATABASE_ERROR",
  "TIMEOUT",
  "CONNECTION_LOST",
  "PERMISSION_DENIED",
  // Domain refusals (src/errors/domain.ts).
  "NOT_FOUND",
  "INVALID_STATE",
  "NO_ACTIVE_TYPE_VERSION",
  "SELF_RELATIONSHIP",
  "RELATIONSHIP_NOT_ALLOWED",
  "DUPLICATE_RELATIONSHIP",
  "INSUFFICIENT_STOCK",
  "DOCUMENT_NOT_DRAFT",
  "DOCUMENT_ALREADY_CANCELED",
  "RELEASE_EXCEEDS_RESERVED",
  // Operational errors of the commands (src/errors/operational.ts).
  "USAGE",
  "DATABASE_CONNECTION",
  "MIGRATION_FAILED",
  "MIGRATION_MODIFIED",
  "LOCK_TIMEOUT",
  "ROLLBACK_REFUSED",
  "ROLLBACK_FAILED",
  "DATABASE_URL_EMPTY",
  "RESET_REFUSED",
  "DEMO_REFUSED",
  "SCALE_REFUSED",
  "SCALE_LOAD_FAILED",
  "REBASE_USAGE",
  "REBASE_REFUSED",
  "REBASE_FAILED",
  "GIT_FAILED",
  "GUARD_BASE_UNAVAILABLE",
  "GUARD_SQL_SYNTAX",
  "SQL_LEX",
  "IMPORT_FORMAT",
  // Security refusals (src/errors/security.ts).
  "ENCRYPTION_KEY",
  "SECRET_DECRYPTION",
  "PASSWORD_HASH_FORMAT",
  "ROLE_SETUP",
  "RETENTION",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface NetOpsErrorOptions {
  /** The input field or column concerned, when there is one ("lines.0.qty", "mgmt_ip"). */
  field?: string | undefined;
  /** The file concerned, when there is one (a migration file). */
  path?: string | undefined;
  /** Running the same operation again may succeed (a serialization failure, a deadlock). */
  retryable?: boolean;
  cause?: unknown;
}

/** The JSON form of an error: identifiers only (see the module comment). */
export interface NetOpsErrorJson {
  name: string;
  code: ErrorCode;
  message: string;
  retryable: boolean;
  field?: string;
  path?: string;
  [detail: string]: unknown;
}

/** Base of every error this package throws on purpose; `code` is stable, for programs to branch on. */
export class NetOpsError extends Error {
  override name = "NetOpsError";
  readonly field: string | undefined;
  readonly path: string | undefined;
  readonly retryable: boolean;
  constructor(
    readonly code: ErrorCode,
    message: string,
    options: NetOpsErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.field = options.field;
    this.path = options.path;
    this.retryable = options.retryable ?? false;
  }

  /** Extra identifier-only fields a subclass adds to `toJSON()` (table, constraint, ids...). */
  protected details(): Record<string, unknown> {
    return {};
  }

  /** name, code, message, retryable, field/path where they apply, and the subclass's identifiers; never `cause`. */
  toJSON(): NetOpsErrorJson {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.field === undefined ? {} : { field: this.field }),
      ...(this.path === undefined ? {} : { path: this.path }),
      ...this.details(),
    };
  }
}

/** One field-level problem of an input: `path` is dotted ("spec.port_count", "lines.0.qty"); "" = the whole input. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** Input refused before it reached the database. `field` is the first issue's path. */
export class ValidationError extends NetOpsError {
  override name = "ValidationError";
  constructor(readonly issues: ValidationIssue[]) {
    super(
      "VALIDATION_FAILED",
      `invalid input: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ")}`,
      { field: issues[0]?.path || undefined },
    );
  }

  protected override details(): Record<string, unknown> {
    return { issues: this.issues };
  }

  /** From a zod error; zod 4's messages name types and options, not the rejected values. */
  static fromZod(error: z.ZodError): ValidationError {
    const issues: ValidationIssue[] = [];
    for (const issue of error.issues) {
      const path = issue.path.map(String);
      if (issue.code === "unrecognized_keys") {
        // One issue per unknown field, at that field's path.
        for (const key of issue.keys)
          issues.push({ path: [...path, key].join("."), message: "is not an allowed field" });
      } else {
        issues.push({ path: path.join("."), message: issue.message });
      }
    }
    return new ValidationError(issues);
  }
}
