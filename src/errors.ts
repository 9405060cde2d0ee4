/**
 * Typed errors of the data layer.
 *
 * Database errors: `toDbError(e)` turns the driver's error (postgres.js or PGlite, under drizzle's
 * DrizzleQueryError) into a typed error naming the table, constraint and column(s). Messages never
 * contain a value: PostgreSQL's `detail` ("Key (email)=(alice@example.com) already exists",
 * "Failing row contains (...)") and the 22P02 message ('invalid input syntax for type uuid: "..."')
 * echo the rejected input, which may be a secret (a token, a password hash), so only identifiers
 * (table, constraint and column names, type names) are taken from them.
 *
 * Input errors: `parseInput(schema, input)` throws a ValidationError with field-level issues.
 */
import { Column, DrizzleQueryError, is, SQL } from "drizzle-orm";
import { getTableConfig, IndexedColumn, PgTable } from "drizzle-orm/pg-core";
import type { z } from "zod";
import { driverError } from "./db.js";
import * as schema from "./schema/index.js";
import { inputShapeIssues } from "./validation/input-shape.js";

/** Base of every error this package throws on purpose; `code` is stable, for programs to branch on. */
export class NetOpsError extends Error {
  override name = "NetOpsError";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

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

/** A PostgreSQL integrity or data error, typed. */
export abstract class DbError extends NetOpsError implements DbErrorLocation {
  readonly table: string | null;
  readonly constraint: string | null;
  readonly columns: string[];
  readonly sqlState: string;
  constructor(code: string, message: string, location: DbErrorLocation) {
    super(code, message);
    this.table = location.table;
    this.constraint = location.constraint;
    this.columns = location.columns;
    this.sqlState = location.sqlState;
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
export class DatabaseError extends NetOpsError {
  override name = "DatabaseError";
  constructor(
    /** SQLSTATE, or the driver's code for a connection failure (CONNECTION_CLOSED, ECONNRESET). */
    readonly sqlState: string,
    /** The package operation that met it ("createSession"), when known. */
    readonly operation: string | null,
    readonly retryable: boolean,
    code = "DATABASE_ERROR",
    what = `database error ${sqlState}`,
  ) {
    super(code, `${what}${operation ? ` in ${operation}` : ""}${retryable ? " (retryable)" : ""}`);
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

/** SQLSTATEs after which running the same operation again may succeed. */
const RETRYABLE = /^(40001|40P01|57P01|57P02|57P03|08...)$/;
/** postgres.js and Node codes of a lost connection (no SQLSTATE). */
const CONNECTION_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "ECONNRESET",
  "EPIPE",
  "ECONNREFUSED",
  "CONNECT_TIMEOUT",
]);

/** One field-level problem of an input: `path` is dotted ("spec.port_count", "lines.0.qty"); "" = the whole input. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** Input refused before it reached the database. */
export class ValidationError extends NetOpsError {
  override name = "ValidationError";
  constructor(readonly issues: ValidationIssue[]) {
    super(
      "VALIDATION_FAILED",
      `invalid input: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ")}`,
    );
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

/** A row looked up by id (or natural key) does not exist. */
export class NotFoundError extends NetOpsError {
  override name = "NotFoundError";
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super("NOT_FOUND", `${entity} ${id} not found`);
  }
}

/** An operation not allowed in the current state (posting a posted document, closing a closed order...). */
export class InvalidStateError extends NetOpsError {
  override name = "InvalidStateError";
  constructor(message: string) {
    super("INVALID_STATE", message);
  }
}

/** The parsed (and normalised) value, or a ValidationError listing every field-level issue. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  // The input's structure first (__proto__ keys, depth, size, NUL): a schema must never see
  // JSON deep enough to overflow its recursion.
  const shape = inputShapeIssues(input);
  if (shape.length > 0) throw new ValidationError(shape);
  const result = schema.safeParse(input);
  if (!result.success) throw ValidationError.fromZod(result.error);
  return result.data;
}

// ---------------------------------------------------------------------------------------------
// Constraint catalogue from the drizzle schema: constraint name -> table and columns, for drivers
// and error kinds where PostgreSQL itself does not name the columns.

interface ConstraintInfo {
  table: string;
  columns: string[];
}

let catalogue: Map<string, ConstraintInfo> | undefined;

function constraintCatalogue(): Map<string, ConstraintInfo> {
  if (catalogue) return catalogue;
  catalogue = new Map();
  for (const value of Object.values(schema) as unknown[]) {
    if (!is(value, PgTable)) continue;
    const config = getTableConfig(value);
    const table = config.name;
    const add = (name: string, columns: string[]) => catalogue?.set(name, { table, columns });
    for (const u of config.uniqueConstraints)
      add(
        u.getName() ?? "",
        u.columns.map((c) => c.name),
      );
    for (const fk of config.foreignKeys)
      add(
        fk.getName(),
        fk.reference().columns.map((c) => c.name),
      );
    for (const pk of config.primaryKeys)
      add(
        pk.getName(),
        pk.columns.map((c) => c.name),
      );
    const pkColumn = config.columns.find((c) => c.primary);
    if (pkColumn) add(`${table}_pkey`, [pkColumn.name]);
    for (const c of config.checks) add(c.name, columnsOfSql(c.value));
    // Unique indexes (partial ones included) raise 23505 under the index name.
    for (const i of config.indexes) {
      if (!i.config.unique || !i.config.name) continue;
      add(
        i.config.name,
        i.config.columns.flatMap((col) => (is(col, IndexedColumn) && col.name ? [col.name] : [])),
      );
    }
  }
  return catalogue;
}

/** Columns a CHECK expression mentions, in order of appearance (from the drizzle SQL, not from names). */
function columnsOfSql(expression: SQL): string[] {
  const names: string[] = [];
  for (const chunk of expression.queryChunks) {
    if (is(chunk, Column) && !names.includes(chunk.name)) names.push(chunk.name);
    else if (is(chunk, SQL)) for (const n of columnsOfSql(chunk)) if (!names.includes(n)) names.push(n);
  }
  return names;
}

/** Column names from `Key (a, b)=(...)`: the identifiers before `=`, never the values after it. */
function columnsFromDetail(detail: string | undefined): string[] {
  const match = detail ? /^Key \(([^)]*)\)=/.exec(detail) : null;
  return match?.[1] ? match[1].split(",").map((c) => c.trim().replace(/^"|"$/g, "")) : [];
}

interface DriverFields {
  code?: unknown;
  message?: unknown;
  detail?: unknown;
  // postgres.js
  constraint_name?: unknown;
  table_name?: unknown;
  column_name?: unknown;
  // PGlite
  constraint?: unknown;
  table?: unknown;
  column?: unknown;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);

/** The typed error for a PostgreSQL integrity/data error; anything else is returned unchanged. */
export function toDbError(error: unknown, operation: string | null = null): NetOpsError | unknown {
  if (error instanceof NetOpsError) return error;
  const e = driverError(error);
  // drizzle's wrapper carries the SQL and every parameter: it never leaves the package as it is.
  const fromQuery = error instanceof DrizzleQueryError;
  if (typeof e !== "object" || e === null) {
    return fromQuery ? new DatabaseError("unknown", operation, false) : error;
  }
  const f = e as DriverFields;
  const sqlState = str(f.code);
  if (!sqlState) return fromQuery ? new DatabaseError("unknown", operation, false) : error;
  if (CONNECTION_CODES.has(sqlState))
    return new DatabaseError(sqlState, operation, true, "CONNECTION_LOST", "connection to the database lost");
  if (!/^[0-9A-Z]{5}$/.test(sqlState))
    return fromQuery ? new DatabaseError("unknown", operation, false) : error;
  const constraint = str(f.constraint_name) ?? str(f.constraint) ?? null;
  const known = constraint ? constraintCatalogue().get(constraint) : undefined;
  const table = str(f.table_name) ?? str(f.table) ?? known?.table ?? null;
  const column = str(f.column_name) ?? str(f.column);
  const detail = str(f.detail);
  const knownColumns = known && known.columns.length > 0 ? known.columns : undefined;
  const columns = column ? [column] : (knownColumns ?? columnsFromDetail(detail));
  const location: DbErrorLocation = { table, constraint, columns, sqlState };
  switch (sqlState) {
    case "23505":
      return new UniqueViolationError({
        ...location,
        columns: knownColumns ?? columnsFromDetail(detail),
      });
    case "23503":
    case "23001":
      return new ForeignKeyViolationError(
        location,
        /still referenced/.test(detail ?? "") || sqlState === "23001",
      );
    case "23514":
      return new CheckViolationError(location);
    case "23502":
      return new NotNullViolationError(location);
    case "22P02":
    case "22007": {
      const type = /for type ([\w ]+?)(?::|$)/.exec(str(f.message) ?? "")?.[1] ?? null;
      return new InvalidTextRepresentationError(location, type);
    }
    case "22001":
      return new ValueTooLongError(location);
    case "22003":
    case "22008":
      return new OutOfRangeError(location);
    case "55P03":
    case "57014":
      return new TimeoutError(sqlState, operation);
    default:
      return new DatabaseError(sqlState, operation, RETRYABLE.test(sqlState));
  }
}

/** Run a database operation and rethrow its PostgreSQL errors as typed errors. */
export async function withDbErrors<T>(
  ...args: [run: () => Promise<T>] | [operation: string, run: () => Promise<T>]
): Promise<T> {
  const [operation, run] = args.length === 1 ? [null, args[0]] : args;
  try {
    return await run();
  } catch (error) {
    throw toDbError(error, operation);
  }
}
