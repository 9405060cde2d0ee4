/**
 * PostgreSQL errors -> typed errors, by SQLSTATE. `toDbError(e)` turns the driver's error
 * (postgres.js or PGlite, under drizzle's DrizzleQueryError) into the typed error naming the table,
 * constraint and column(s); `withDbErrors(fn)` rethrows an operation's errors that way.
 *
 * Messages never contain a value: PostgreSQL's `detail` ("Key (email)=(alice@example.com) already
 * exists", "Failing row contains (...)") and the 22P02 message ('invalid input syntax for type uuid:
 * "..."') echo the rejected input, which may be a secret (a token, a password hash), so only
 * identifiers (table, constraint and column names, type names) are taken from them.
 */
import { Column, DrizzleQueryError, is, SQL } from "drizzle-orm";
import { NetOpsError } from "./base.js";
import {
  CheckViolationError,
  DatabaseError,
  DbError,
  type DbErrorLocation,
  ForeignKeyViolationError,
  InvalidTextRepresentationError,
  NotNullViolationError,
  OutOfRangeError,
  PermissionDeniedError,
  SerializationFailureError,
  TimeoutError,
  UniqueViolationError,
  ValueTooLongError,
} from "./database.js";

/**
 * The driver's own error under drizzle's DrizzleQueryError wrapper ("Failed query: ..."), which
 * carries the PostgreSQL code, constraint and detail fields.
 */
export function driverError(error: unknown): unknown {
  let current = error;
  while (current instanceof DrizzleQueryError && current.cause) {
    current = current.cause;
  }
  return current;
}

// ---------------------------------------------------------------------------------------------
// Constraint catalogue from the drizzle schema: constraint name -> table and columns, for drivers
// and error kinds where PostgreSQL itself does not name the columns (a CHECK's columns above all).
// Built on first need, from a dynamic import: a command that imports an error class (all of them
// do) must not pay for loading the 45 tables at start-up.

interface ConstraintInfo {
  table: string;
  columns: string[];
}

let catalogue: Map<string, ConstraintInfo> | undefined;
let loading: Promise<Map<string, ConstraintInfo>> | undefined;

/**
 * Load the constraint catalogue (once per process). `withDbErrors` does it before mapping; call it
 * before a bare `toDbError` when CHECK violations should name their columns.
 */
export function loadConstraintCatalogue(): Promise<Map<string, ConstraintInfo>> {
  loading ??= buildCatalogue().then((built) => {
    catalogue = built;
    return built;
  });
  return loading;
}

async function buildCatalogue(): Promise<Map<string, ConstraintInfo>> {
  const [schema, { getTableConfig, IndexedColumn, PgTable }] = await Promise.all([
    import("../schema/index.js"),
    import("drizzle-orm/pg-core"),
  ]);
  const built = new Map<string, ConstraintInfo>();
  for (const value of Object.values(schema) as unknown[]) {
    if (!is(value, PgTable)) continue;
    const config = getTableConfig(value);
    const table = config.name;
    const add = (name: string, columns: string[]) => built.set(name, { table, columns });
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
  return built;
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

/**
 * The object a 42501 message names: PostgreSQL's "permission denied for table x" (also schema,
 * sequence, function, ...: the object kind and its name) or the append-only trigger's
 * "x is append-only: DELETE refused for <login>" (migration 0009). Only the identifier is taken.
 */
function deniedObject(message: string | undefined): { table: string | null; appendOnly: boolean } {
  const appendOnly = message ? /^"?([\w$]+)"? is append-only:/.exec(message) : null;
  if (appendOnly?.[1]) return { table: appendOnly[1], appendOnly: true };
  const denied = message
    ? /^permission denied for (?:table|relation|sequence|view) "?([\w$.]+)"?$/.exec(message)
    : null;
  return { table: denied?.[1] ?? null, appendOnly: false };
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

/**
 * The typed error for a PostgreSQL integrity/data error; anything else is returned unchanged.
 * Columns come from the driver, the constraint catalogue (once loaded) or `Key (...)=` of the detail.
 */
export function toDbError(error: unknown, operation: string | null = null): NetOpsError | unknown {
  if (error instanceof NetOpsError) return error;
  const typed = mapDriverError(error, operation);
  if (typed instanceof DbError && typed.operation === null) typed.operation = operation;
  return typed;
}

function mapDriverError(error: unknown, operation: string | null): NetOpsError | unknown {
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
  const known = constraint ? catalogue?.get(constraint) : undefined;
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
    case "40001":
    case "40P01":
      return new SerializationFailureError(location, operation);
    case "42501": {
      const denied = deniedObject(str(f.message));
      return new PermissionDeniedError(
        { ...location, table: location.table ?? denied.table },
        operation,
        denied.appendOnly,
      );
    }
    case "55P03":
    case "57014":
      return new TimeoutError(sqlState, operation);
    default:
      return new DatabaseError(sqlState, operation, RETRYABLE.test(sqlState));
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

/**
 * Run a database operation and rethrow its PostgreSQL errors as typed errors, naming the
 * operation (`withDbErrors("createSession", () => ...)`).
 */
export async function withDbErrors<T>(
  ...args: [run: () => Promise<T>] | [operation: string, run: () => Promise<T>]
): Promise<T> {
  const [operation, run] = args.length === 1 ? [null, args[0]] : args;
  try {
    return await run();
  } catch (error) {
    throw await dbErrorOf(error, operation);
  }
}

/**
 * The error withDbErrors rethrows for one an operation met (the catalogue loaded first, so CHECK
 * violations name their columns), for an operation's own try/catch: a hot read's, where the
 * callback and the async frame of withDbErrors cost client CPU on every call.
 */
export async function dbErrorOf(error: unknown, operation: string | null): Promise<unknown> {
  if (!(error instanceof NetOpsError)) await loadConstraintCatalogue();
  return toDbError(error, operation);
}
