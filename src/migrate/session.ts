/**
 * The one database session every migration command works in (db:migrate; db:rollback builds on the
 * same function): a dedicated connection, holding the project's advisory lock for the whole run, with
 *
 * - `lock_timeout` (default 5 s): a DDL statement that waits for a lock gives up instead of waiting
 *   for ever. PostgreSQL queues later lock requests behind a waiting one, so while an ALTER TABLE
 *   waits for ACCESS EXCLUSIVE every reader of that table waits behind it, and a migration holding
 *   locks from earlier statements blocks readers of those tables too: both last at most this long.
 * - `statement_timeout` (default none): optional bound on any one statement.
 * - `application_name` = `netops-migrate`: pg_stat_activity tells the migration apart.
 * - `client_connection_check_interval` (1 s, PostgreSQL 14+): a backend whose client died (`kill -9`
 *   of the migrate process) notices within a second, even while it waits for a lock, cancels and
 *   ends, releasing its locks. Without it the backend lives until its statement ends (a lock wait
 *   ends only when the blocker goes away) and the next migrate waits for it without saying why.
 *
 * A statement that hits the lock timeout becomes a LockTimeoutError naming what blocked it, read
 * with pg_blocking_pids() from a second connection of the caller's pool while the statement waits
 * (after the timeout the wait is over and nothing blocks any more).
 */
import { type SQL, sql } from "drizzle-orm";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import type { Sql } from "postgres";
import { type Database, type Driver, driverError, rows } from "../db.js";
import { LockTimeoutError } from "../errors/operational.js";
import { LOCK_KEYS } from "../locks.js";
import { type Blocker, formatBlocker } from "./blockers.js";

/** The migration lock (src/locks.ts), held at session level on the runner's reserved connection. */
export const MIGRATION_LOCK_KEY = LOCK_KEYS.migration;
export const MIGRATION_APPLICATION_NAME = "netops-migrate";
export const DEFAULT_LOCK_TIMEOUT_MS = 5_000;
/** How often a running migration's backend checks that its client is still there. */
export const CONNECTION_CHECK_INTERVAL_MS = 1_000;

export interface SessionOptions {
  /** lock_timeout in ms (default 5000); 0 waits for ever. */
  lockTimeoutMs?: number;
  /** statement_timeout in ms (default 0: none). */
  statementTimeoutMs?: number;
  /** Progress lines (waiting for another run); default silent. */
  log?: (line: string) => void;
}

export { type Blocker, formatBlocker, oneLine } from "./blockers.js";

export interface MigrationSession {
  /** A database handle on the session's own connection. */
  readonly db: Database;
  readonly driver: Driver;
  readonly lockTimeoutMs: number;
  readonly statementTimeoutMs: number;
  /** Run one statement; a lock timeout becomes LockTimeoutError naming the blocker. */
  execute(statement: string): Promise<void>;
  /**
   * Inside `transaction()` only: send `statements` back to back and wait for all the answers (one
   * round trip instead of one per statement; postgres.js pipelines them on the connection, each
   * still its own query with its own result or error). After a failing statement PostgreSQL
   * refuses every later one in the transaction (25P02), so none of them has an effect, and the
   * transaction rolls back. The first failure is thrown: a lock timeout as LockTimeoutError naming
   * the blocker, any other as `failed(index, error)` (index into `statements`).
   */
  executeAll(statements: string[], failed: (index: number, error: unknown) => Error): Promise<void>;
  /** BEGIN, fn, COMMIT; ROLLBACK when fn throws. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
}

type PostgresClient = Sql<Record<string, never>>;

const isPostgresJs = (client: unknown): client is PostgresClient =>
  typeof client === "function" && typeof (client as { reserve?: unknown }).reserve === "function";

/**
 * A literal for a value the code produced itself (a whole number checked below, a constant). The
 * session's own statements carry no parameters: postgres.js sends a parameterised statement as a
 * describe round trip before its execution (it needs the parameter types), and these run once per
 * migration or per run, on the path of every deploy.
 */
const literal = (value: number | string | bigint) =>
  typeof value === "string" ? `'${value.replaceAll("'", "''")}'` : String(value);

/** The session settings as set_config() calls (session-wide, so they outlive each migration's transaction). */
function settings(lockTimeoutMs: number, statementTimeoutMs: number) {
  return [
    ["lock_timeout", lockTimeoutMs],
    ["statement_timeout", statementTimeoutMs],
    ["application_name", MIGRATION_APPLICATION_NAME],
    ["client_connection_check_interval", CONNECTION_CHECK_INTERVAL_MS],
  ]
    .map(([name, value]) => `set_config(${literal(name as string)}, ${literal(String(value))}, false)`)
    .join(", ");
}

const LOCK_KEY = `${literal(MIGRATION_LOCK_KEY)}::bigint`;
const TRY_LOCK = `pg_try_advisory_lock(${LOCK_KEY})`;

const RESET = ["lock_timeout", "statement_timeout", "application_name", "client_connection_check_interval"];

/** Who holds the advisory lock (classid/objid are the key's high and low 32 bits). */
const lockHolder = sql`SELECT a.pid, a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
  WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND l.classid = ${Number(MIGRATION_LOCK_KEY >> 32n)}::oid AND l.objid = ${Number(MIGRATION_LOCK_KEY & 0xffffffffn)}::oid`;

const blockersOf = (pid: number) => sql`SELECT b.pid, b.application_name, coalesce(b.state, '') AS state,
    left(regexp_replace(coalesce(b.query, ''), '\\s+', ' ', 'g'), 100) AS query,
    coalesce((SELECT string_agg(DISTINCT coalesce(l.relation::regclass::text, l.locktype), ', ')
      FROM pg_locks l WHERE l.pid = ${pid} AND NOT l.granted), '') AS waiting_for
  FROM pg_stat_activity b WHERE b.pid = ANY (pg_blocking_pids(${pid}))`;

/**
 * When the blocker sampling starts: after a quarter of the lock timeout (at most 1 s, at least 50 ms)
 * without an answer, so a statement that waits the whole timeout is sampled several times while it
 * waits, and statements that answer sooner never open the pool's second connection, whose start-up
 * (a backend forked on the server) and close would cost every deploy.
 */
export const firstBlockerSampleMs = (lockTimeoutMs: number) =>
  Math.max(50, Math.min(1_000, Math.floor(lockTimeoutMs / 4)));

/** A lock timeout up to this opens the blocker watch's connection before the first statement. */
const SHORT_LOCK_TIMEOUT_MS = 1_000;

/**
 * While statements run, sample what blocks them from another connection: once no statement has
 * answered for firstBlockerSampleMs(), then every 250 ms; `progress()` (a statement of a pipelined
 * batch answered) starts the wait over and forgets what was sampled. Keeps the last non-empty
 * answer. Nothing to watch without a lock timeout (lock_timeout 0 waits for ever, no
 * LockTimeoutError to explain).
 */
function watchBlockers(pool: Database | undefined, pid: number, lockTimeoutMs: number) {
  let latest: Blocker[] = [];
  if (!pool || lockTimeoutMs === 0) return { stop: () => {}, progress: () => {}, blockers: () => latest };
  let inFlight = false;
  const sample = async () => {
    if (inFlight) return;
    inFlight = true;
    try {
      const found = await rows<{
        pid: number;
        application_name: string;
        state: string;
        query: string;
        waiting_for: string;
      }>(pool, blockersOf(pid));
      if (found.length > 0)
        latest = found.map((r) => ({
          pid: Number(r.pid),
          applicationName: r.application_name,
          state: r.state,
          query: r.query,
          waitingFor: r.waiting_for,
        }));
    } catch {
      // A failed sample only means less detail in the report.
    } finally {
      inFlight = false;
    }
  };
  let first: NodeJS.Timeout | undefined;
  let every: NodeJS.Timeout | undefined;
  const stop = () => {
    clearTimeout(first);
    clearInterval(every);
  };
  const arm = () => {
    stop();
    first = setTimeout(() => {
      void sample();
      every = setInterval(() => void sample(), 250);
      every.unref();
    }, firstBlockerSampleMs(lockTimeoutMs));
    first.unref();
  };
  arm();
  return {
    stop,
    progress: () => {
      latest = [];
      arm();
    },
    blockers: () => latest,
  };
}

const LOCK_NOT_AVAILABLE = "55P03";

/** postgres.js's own codes for a lost connection, and PostgreSQL's for a terminated backend. */
const CONNECTION_LOST = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "ECONNRESET",
  "EPIPE",
  "57P01",
  "57P02",
  "57P03",
]);

/** True when `error` (or an error it wraps) says the session's connection is gone. */
function connectionLost(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && CONNECTION_LOST.has(code)) return true;
    current = current.cause;
  }
  return false;
}

/**
 * Send `queries` on `db`'s connection without waiting for each answer, in order, and wait for all
 * (`answered` is called as each one succeeds; a failure keeps what the blocker watch sampled).
 * Every query goes through the same drizzle and postgres.js code, so they reach the connection in
 * the order given (PGlite runs them one after another in call order too).
 */
function pipeline(
  db: Database,
  queries: SQL[],
  answered: () => void = () => {},
): Promise<PromiseSettledResult<unknown>[]> {
  return Promise.allSettled(
    queries.map((q) =>
      db.execute(q).then((r) => {
        answered();
        return r;
      }),
    ),
  );
}

/**
 * Run `fn` in a migration session on `db` (postgres.js: one reserved connection of its pool;
 * PGlite: its single connection). The settings are put back (RESET) and the advisory lock released
 * when fn ends, so the caller's pool is left as it was; a process that dies instead loses its
 * connection, and PostgreSQL releases both.
 */
export async function withMigrationSession<T>(
  db: Database,
  options: SessionOptions,
  fn: (session: MigrationSession) => Promise<T>,
): Promise<T> {
  const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const statementTimeoutMs = options.statementTimeoutMs ?? 0;
  for (const [name, value] of [
    ["lock timeout", lockTimeoutMs],
    ["statement timeout", statementTimeoutMs],
  ] as const) {
    if (!Number.isInteger(value) || value < 0)
      throw new RangeError(`${name} must be a whole number of milliseconds >= 0 (got ${value})`);
  }
  const log = options.log ?? (() => {});
  const client = (db as { $client?: unknown }).$client;
  let sessionDb: Database;
  let driver: Driver;
  let release = async () => {};
  /** Another connection for reading blockers; none when the pool has one connection (it is ours). */
  let watcherPool: Database | undefined;
  if (isPostgresJs(client)) {
    const reserved = await client.reserve();
    // A reserved connection lacks `options`, which drizzle reads (and adjusts) on construction: give
    // it the pool's, which createDb() and drizzle already adjusted for the same connections.
    sessionDb = drizzlePostgres(Object.assign(reserved, { options: client.options })) as unknown as Database;
    driver = "postgres";
    release = async () => reserved.release();
    watcherPool = (client.options.max ?? 10) > 1 ? db : undefined;
  } else {
    // PGlite: one connection, one process; nothing else can hold a lock.
    sessionDb = db;
    driver = "pglite";
  }
  let locked = false;
  /** The connection died (database dropped, backend terminated): queries on it would never answer. */
  let lost = false;
  const noteLost = (error: unknown) => {
    if (connectionLost(error)) lost = true;
  };
  let inTransaction = false;
  try {
    // One round trip: the settings, this backend's pid (for the blocker reports), a first try of the
    // lock. Waiting for the lock never waits on a lock (pg_try_advisory_lock, polled below), so
    // lock_timeout can be in force from the start.
    const [started] = await rows<{ pid: number; ok: boolean }>(
      sessionDb,
      sql.raw(
        `SELECT ${settings(lockTimeoutMs, statementTimeoutMs)}, pg_backend_pid() AS pid, ${TRY_LOCK} AS ok`,
      ),
    );
    const pid = Number(started?.pid);
    if (started?.ok !== true) {
      const holders = watcherPool
        ? await rows<{ pid: number; application_name: string }>(watcherPool, lockHolder)
        : [];
      log(
        `waiting for another migration run to finish${holders.length > 0 ? ` (${holders.map((h) => `pid ${h.pid}, ${JSON.stringify(h.application_name)}`).join("; ")})` : ""}`,
      );
      // Poll, never block: a session blocked in pg_advisory_lock() keeps a snapshot open, and the
      // holder's CREATE INDEX CONCURRENTLY waits for every older snapshot before it finishes, so a
      // blocked waiter and a no-transaction migration deadlock (40P01; seen with four concurrent
      // runs applying search_indexes). Between polls this connection runs nothing.
      for (let delay = 25; ; delay = Math.min(delay * 2, 500)) {
        await new Promise((resolve) => setTimeout(resolve, delay));
        const [again] = await rows<{ ok: boolean }>(sessionDb, sql.raw(`SELECT ${TRY_LOCK} AS ok`));
        if (again?.ok === true) break;
      }
    }
    locked = true;
    // With a lock timeout of a second or less, the wait can be over before the watcher has opened
    // its connection on a loaded machine (at load 15 a sample on a new connection took 200 ms, and a
    // 200 ms timeout went unexplained): open it before the first statement.
    if (watcherPool && lockTimeoutMs > 0 && lockTimeoutMs <= SHORT_LOCK_TIMEOUT_MS)
      await rows(watcherPool, sql`SELECT 1`).catch(() => {});
    const lockTimeout = (statement: string, watch: ReturnType<typeof watchBlockers>, error: unknown) =>
      (driverError(error) as { code?: string }).code === LOCK_NOT_AVAILABLE
        ? new LockTimeoutError(lockTimeoutMs, statement, watch.blockers(), error)
        : undefined;

    const session: MigrationSession = {
      db: sessionDb,
      driver,
      lockTimeoutMs,
      statementTimeoutMs,
      execute: async (statement) => {
        const watch = watchBlockers(watcherPool, pid, lockTimeoutMs);
        try {
          await sessionDb.execute(sql.raw(statement));
        } catch (error) {
          throw lockTimeout(statement, watch, error) ?? error;
        } finally {
          watch.stop();
        }
      },
      executeAll: async (statements, failed) => {
        // Outside a transaction each statement would commit on its own, the ones after a failure too.
        if (!inTransaction) throw new Error("executeAll runs inside transaction() only");
        const watch = watchBlockers(watcherPool, pid, lockTimeoutMs);
        try {
          const outcomes = await pipeline(
            sessionDb,
            statements.map((s) => sql.raw(s)),
            watch.progress,
          );
          const index = outcomes.findIndex((o) => o.status === "rejected");
          if (index < 0) return;
          const error = (outcomes[index] as PromiseRejectedResult).reason;
          throw lockTimeout(statements[index] as string, watch, error) ?? failed(index, error);
        } finally {
          watch.stop();
        }
      },
      transaction: async (body) => {
        await sessionDb.execute(sql.raw("BEGIN"));
        inTransaction = true;
        try {
          const result = await body();
          await sessionDb.execute(sql.raw("COMMIT"));
          return result;
        } catch (error) {
          noteLost(error);
          if (!lost) await sessionDb.execute(sql.raw("ROLLBACK")).catch(noteLost);
          throw error;
        } finally {
          inTransaction = false;
        }
      },
    };
    return await fn(session);
  } catch (error) {
    noteLost(error);
    throw error;
  } finally {
    // Best effort; a lost connection has lost the lock and the settings with it (and would never answer).
    // One round trip (pipelined); a failure is ignored like the rest.
    if (!lost) {
      await pipeline(sessionDb, [
        ...(locked ? [sql.raw(`SELECT pg_advisory_unlock(${LOCK_KEY})`)] : []),
        ...RESET.map((name) => sql.raw(`RESET ${name}`)),
      ]);
    }
    await release();
  }
}

export const DEFAULT_RETRIES = 3;
export const DEFAULT_RETRY_DELAY_MS = 1_000;

export interface RetryOptions {
  /** Attempts after a lock timeout before giving up (default 3). */
  retries?: number;
  /** Wait before the first retry, doubled for each next one (default 1000 ms). */
  retryDelayMs?: number;
  log?: (line: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Run `attempt` (whose transaction a lock timeout has already rolled back) again after each
 * LockTimeoutError, waiting 1 s, 2 s, 4 s... and naming the blocker each time; after `retries`
 * retries, throw the last LockTimeoutError with the migration (`tagOf` its statement) and the count.
 * db:migrate and db:rollback share it.
 */
export async function withLockRetries<T>(
  session: MigrationSession,
  options: RetryOptions,
  attempt: (n: number) => Promise<T>,
  tagOf: (statement: string) => string | undefined = () => undefined,
): Promise<T> {
  const retries = options.retries ?? DEFAULT_RETRIES;
  const delay = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  const log = options.log ?? (() => {});
  if (!Number.isInteger(retries) || retries < 0)
    throw new RangeError(`retries must be a whole number >= 0 (got ${retries})`);
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!(error instanceof LockTimeoutError)) throw error;
      const tag = tagOf(error.statement);
      if (n > retries) throw error.withContext(tag, n);
      const wait = delay * 2 ** (n - 1);
      log(
        `lock timeout (${session.lockTimeoutMs} ms)${tag ? ` in ${tag}` : ""}, rolled back; blocked by ` +
          (error.blockers.length > 0
            ? error.blockers.map(formatBlocker).join("; ")
            : "a session that ended before it could be read") +
          `; retry ${n} of ${retries} in ${wait} ms`,
      );
      await sleep(wait);
    }
  }
}
