/**
 * PostgreSQL integrity and data errors, typed (built by toDbError, src/errors/sqlstate.ts). Each
 * names the table, constraint and columns, and never a value (see src/errors/base.ts).
 */
import { type ErrorCode, NetOpsError } from "./base.js";

/** Where a database error happened: identifiers only, never values. */
export interface DbErrorLocation {
  /** Table the constraint belongs to (null when PostgreSQL does not say, e.g. 22P02). */
  table: string | null;
  constraint: string | null;
  /** Columns of the constraint (or the single column for NOT NULL); empty when unknown. */
  columns: string[];
  /** SQLSTATE of the underlying PostgreSQL error. */
  sqlState: string;
}

/** A PostgreSQL integrity or data error, typed. `field` is its first column, when known. */
export abstract class DbError extends NetOpsError implements DbErrorLocation {
  readonly table: string | null;
  readonly constraint: string | null;
  readonly columns: string[];
  readonly sqlState: string;
  /** The package operation that met it ("createSession"), when known (set by toDbError). */
  operation: string | null = null;
  constructor(code: ErrorCode, message: string, location: DbErrorLocation, retryable = false) {
    super(code, message, { field: location.columns[0], retryable });
    this.table = location.table;
    this.constraint = location.constraint;
    this.columns = location.columns;
    this.sqlState = location.sqlState;
  }

  protected override details(): Record<string, unknown> {
    return {
      table: this.table,
      constraint: this.constraint,
      columns: this.columns,
      sqlState: this.sqlState,
      operation: this.operation,
    };
  }
}

const where = (l: DbErrorLocation) => {
  const cols = l.columns.length > 0 ? ` (${l.columns.join(", ")})` : "";
  return `${l.table ?? "?"}${cols}`;
};

/** 23505: a value (or combination) that must be unique already exists. */
export class UniqueViolationError extends DbError {
  override name = "UniqueViolationError";
  constructor(location: DbErrorLocation) {
    super(
      "UNIQUE_VIOLATION",
      `duplicate value violates unique constraint ${location.constraint} on ${where(location)}`,
      location,
    );
  }
}

/**
 * 23503 (and 23001 restrict_violation, which PostgreSQL 17 raises for ON DELETE RESTRICT):
 * `referenced` true = deleting/updating a row still referenced by `table`; false = the row written to
 * `table` points at a parent that does not exist.
 */
export class ForeignKeyViolationError extends DbError {
  override name = "ForeignKeyViolationError";
  constructor(
    location: DbErrorLocation,
    readonly referenced: boolean,
  ) {
    super(
      "FOREIGN_KEY_VIOLATION",
      referenced
        ? `row is still referenced from ${where(location)} (constraint ${location.constraint})`
        : `referenced row does not exist for ${where(location)} (constraint ${location.constraint})`,
      location,
    );
  }

  protected override details(): Record<string, unknown> {
    return { ...super.details(), referenced: this.referenced };
  }
}

/** 23514: a CHECK constraint (enum list, range) refused the row. */
export class CheckViolationError extends DbError {
  override name = "CheckViolationError";
  constructor(location: DbErrorLocation) {
    super(
      "CHECK_VIOLATION",
      `value violates check constraint ${location.constraint} on ${where(location)}`,
      location,
    );
  }
}

/** 23502: a required column got NULL. */
export class NotNullViolationError extends DbError {
  override name = "NotNullViolationError";
  constructor(location: DbErrorLocation) {
    super("NOT_NULL_VIOLATION", `missing required value for ${where(location)}`, location);
  }
}

/** 22P02 (and 22007 for dates): text that does not parse as the column's type (uuid, inet, integer, date...). */
export class InvalidTextRepresentationError extends DbError {
  override name = "InvalidTextRepresentationError";
  constructor(
    location: DbErrorLocation,
    /** The PostgreSQL type that failed to parse, when the message names it. */
    readonly pgType: string | null,
  ) {
    super(
      "INVALID_TEXT_REPRESENTATION",
      `invalid input syntax${pgType ? ` for type ${pgType}` : ""}${location.table ? ` on ${where(location)}` : ""}`,
      location,
    );
  }

  protected override details(): Record<string, unknown> {
    return { ...super.details(), pgType: this.pgType };
  }
}

/** 22001: a string longer than its varchar column. */
export class ValueTooLongError extends DbError {
  override name = "ValueTooLongError";
  constructor(location: DbErrorLocation) {
    super("VALUE_TOO_LONG", `value too long${location.table ? ` for ${where(location)}` : ""}`, location);
  }
}

/** 22003 / 22008: a number or date/time outside the range of its column type. */
export class OutOfRangeError extends DbError {
  override name = "OutOfRangeError";
  constructor(location: DbErrorLocation) {
    super("OUT_OF_RANGE", `value out of range${location.table ? ` for ${where(location)}` : ""}`, location);
  }
}

/**
 * Any other database failure, typed: the SQLSTATE and the operation that met it, never the SQL or
 * its parameters (drizzle's DrizzleQueryError message lists every parameter: token digests, IPs,
 * user agents). `retryable`: the same operation run again may succeed (serialization failure 40001,
 * deadlock 40P01, a connection lost: 57P01, 08xxx).
 */
export class DatabaseError extends DbError {
  override name = "DatabaseError";
  constructor(
    /** SQLSTATE, or the driver's code for a connection failure (CONNECTION_CLOSED, ECONNRESET). */
    sqlState: string,
    operation: string | null,
    retryable: boolean,
    code: ErrorCode = "DATABASE_ERROR",
    what = `database error ${sqlState}`,
    location: DbErrorLocation = { table: null, constraint: null, columns: [], sqlState },
  ) {
    super(
      code,
      `${what}${operation ? ` in ${operation}` : ""}${retryable ? " (retryable)" : ""}`,
      location,
      retryable,
    );
    this.operation = operation;
  }
}

/**
 * 42501 insufficient_privilege: the login's role may not do this (the application role has no DDL,
 * no TRUNCATE, no UPDATE/DELETE of history), or an append-only trigger refused a change of history
 * (migration 0009). Not retryable: running it again as the same role fails the same way. `table` is
 * the object PostgreSQL names in its message (an identifier, never a value).
 */
export class PermissionDeniedError extends DatabaseError {
  override name = "PermissionDeniedError";
  constructor(location: DbErrorLocation, operation: string | null, appendOnly: boolean) {
    super(
      location.sqlState,
      operation,
      false,
      "PERMISSION_DENIED",
      appendOnly && location.table
        ? `${location.table} is append-only: history cannot be changed or removed`
        : `permission denied${location.table ? ` for ${location.table}` : ""}`,
      location,
    );
  }
}

/** 40001 / 40P01: the transaction lost a serialization or deadlock race; running it again may succeed. */
export class SerializationFailureError extends DatabaseError {
  override name = "SerializationFailureError";
  constructor(location: DbErrorLocation, operation: string | null = null) {
    super(
      location.sqlState,
      operation,
      true,
      "SERIALIZATION_FAILURE",
      location.sqlState === "40P01"
        ? "deadlock detected; the transaction was rolled back"
        : "could not serialize access; the transaction was rolled back",
      location,
    );
  }
}

/** 55P03 lock_not_available (lock_timeout) and 57014 query_canceled (statement_timeout): see createDb's timeouts. */
export class TimeoutError extends DatabaseError {
  override name = "TimeoutError";
  constructor(sqlState: string, operation: string | null) {
    super(
      sqlState,
      operation,
      true,
      "TIMEOUT",
      sqlState === "55P03"
        ? "timed out waiting for a lock (lock_timeout)"
        : "statement timed out or was canceled (statement_timeout)",
    );
  }
}
