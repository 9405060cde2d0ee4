/**
 * `npm run db:rollback -- --to <tag> | --steps <n>` and `rollback(db, options)`: run the down files
 * (src/migrate/downs.ts) of the newest applied migrations, newest first, and remove their history
 * rows, all in ONE transaction inside the runner's migration session (src/migrate/session.ts: the
 * same advisory lock, lock_timeout, statement_timeout and application_name as migrate), so a
 * rollback and a migrate take turns and a failure changes nothing. A lock timeout rolls the whole
 * attempt back and, like migrate, retries it (`retries`, delay doubling) before giving up.
 * The one exception to the single transaction mirrors the runner's: a down marked
 * `-- migrate:no-transaction` (DROP INDEX CONCURRENTLY) is rolled back alone, its statements one by
 * one after the checks' transaction, its history row last.
 *
 * Everything that can refuse is checked before the first down statement runs:
 *   - an applied migration's file was edited, or the database records migrations this checkout
 *     does not have (roll those back from the checkout that has them);
 *   - the target would go below the floor: 0000 is never rolled back, nor anything at or below the
 *     migration an adopted database was baselined at (it never had the schema before it);
 *   - a down is missing, unwritten, irreversible (its reason is printed), edited or stale against
 *     the review record, or does not parse;
 *   - a down would lose data (data-loss.ts: dropped tables and columns, casts, deletes, counted on
 *     the live database under a SHARE lock) and `allowDataLoss` is not set: every loss is listed
 *     with its row count. A loss of zero rows (an empty table) is listed but does not refuse.
 * Order: newest first by when each migration was applied (history id), which is reverse journal
 * order except after an older migration arrived by a merge (drizzle-orm #5769).
 */
import { sql } from "drizzle-orm";
import { MIGRATIONS_FOLDER } from "../config.js";
import { type Database, driverError } from "../db.js";
import {
  LockTimeoutError,
  RollbackError,
  RollbackRefusedError,
  SqlSyntaxError,
} from "../errors/operational.js";
import { readBaselineMark } from "./baseline.js";
import { countLoss, type DataLoss, formatLoss, lossesOf } from "./data-loss.js";
import { readDown, readDownRecord } from "./downs.js";
import { loadParser, parseSql, type SqlStatement } from "./guard-parse.js";
import { historyExists, historyTable, readHistory } from "./history.js";
import { readJournal } from "./journal.js";
import {
  type MigrationSession,
  type RetryOptions,
  type SessionOptions,
  withLockRetries,
  withMigrationSession,
} from "./session.js";
import { classify, type MigrationStatus } from "./status.js";

export interface RollbackOptions extends SessionOptions, RetryOptions {
  migrationsFolder?: string;
  /** Roll back every applied migration after this tag (it stays applied). */
  to?: string;
  /** Roll back the newest n applied migrations. */
  steps?: number;
  /** Run downs that drop tables or columns (or otherwise lose data) that hold rows. */
  allowDataLoss?: boolean;
  /** Check and count everything, run nothing. */
  dryRun?: boolean;
}

export interface RollbackReport {
  /** Rolled back (or, dry run, to be rolled back), in the order the downs ran. */
  migrations: { tag: string; ms: number }[];
  /** What the downs destroyed (or would, dry run), counted before they ran. */
  losses: DataLoss[];
  dryRun: boolean;
}

export { RollbackError, type RollbackRefusal, RollbackRefusedError } from "../errors/operational.js";

interface Target {
  status: MigrationStatus;
  file: string;
  statements: SqlStatement[];
  /** `-- migrate:no-transaction`: rolled back alone, after the checking transaction commits. */
  noTransaction: boolean;
}

const oneLine = (text: string, max = 160) => {
  const s = text.replace(/\s+/g, " ").trim();
  return s.length > max ? `${s.slice(0, max)}...` : s;
};

/** Which applied migrations to roll back, newest first (throws a usage refusal). */
function chooseTargets(applied: MigrationStatus[], options: RollbackOptions): MigrationStatus[] {
  const newestFirst = [...applied].sort((a, b) => b.historyId! - a.historyId!);
  if ((options.to === undefined) === (options.steps === undefined))
    throw new RollbackRefusedError("usage", "say how far: --to <tag> or --steps <n> (one of them)");
  if (options.steps !== undefined) {
    if (!Number.isInteger(options.steps) || options.steps < 1)
      throw new RollbackRefusedError("usage", `--steps must be a whole number >= 1 (got ${options.steps})`);
    if (options.steps > newestFirst.length)
      throw new RollbackRefusedError(
        "usage",
        `--steps ${options.steps}: only ${newestFirst.length} migration(s) are applied`,
      );
    return newestFirst.slice(0, options.steps);
  }
  const to = applied.find((m) => m.tag === options.to);
  if (!to)
    throw new RollbackRefusedError(
      "usage",
      `--to ${options.to}: not an applied migration (applied: ${applied.map((m) => m.tag).join(", ") || "none"})`,
    );
  return newestFirst.filter((m) => m.idx > to.idx);
}

function parseDown(tag: string, file: string, chunks: string[]): SqlStatement[] {
  const statements: SqlStatement[] = [];
  for (const chunk of chunks) {
    try {
      statements.push(...parseSql(chunk).statements);
    } catch (error) {
      if (!(error instanceof SqlSyntaxError)) throw error;
      throw new RollbackRefusedError("down", `${file} does not parse (${tag}): ${error.message}`);
    }
  }
  return statements;
}

async function runDown(session: MigrationSession, target: Target): Promise<void> {
  for (const [i, statement] of target.statements.entries()) {
    try {
      await session.execute(statement.text);
    } catch (error) {
      if (error instanceof LockTimeoutError) throw error; // withLockRetries retries it
      const pg = driverError(error) as { message?: string; code?: string };
      throw new RollbackError(
        `Rollback failed in ${target.file} at statement ${i + 1} of ${target.statements.length}: ` +
          `${pg.message ?? String(error)}${pg.code ? ` [${pg.code}]` : ""}\n  statement: ${oneLine(statement.text)}\n` +
          "Nothing was rolled back: the database and its history are as they were.",
        target.status.tag,
        target.file,
        i + 1,
        statement.text,
        error,
      );
    }
  }
}

/**
 * Roll back (see the module comment). Throws RollbackRefusedError (nothing ran), RollbackError (a
 * statement failed; everything was undone) or LockTimeoutError (every attempt timed out on a lock).
 */
export async function rollback(db: Database, options: RollbackOptions = {}): Promise<RollbackReport> {
  const log = options.log ?? (() => {});
  await loadParser();
  /** Down statement -> `<tag>.down`, so a lock timeout names the down file it waited in. */
  const downOf = new Map<string, string>();
  return withMigrationSession(db, options, (session) =>
    withLockRetries(
      session,
      options,
      async () => {
        const { outside, ...report } = await session.transaction(() =>
          rollbackOnce(session, options, log, downOf),
        );
        if (outside) report.migrations.push(await runAlone(session, outside, log));
        return report;
      },
      (statement) => downOf.get(statement),
    ),
  );
}

/**
 * A `-- migrate:no-transaction` down: its statements one by one, each committed by itself, then its
 * history row. Its statements are re-runnable (the guard's no-transaction-rerun rule: IF EXISTS), so
 * after a failure part-way db:rollback runs it again from the top; the history row still says applied.
 */
async function runAlone(session: MigrationSession, target: Target, log: (line: string) => void) {
  const started = performance.now();
  try {
    await runDown(session, target);
  } catch (error) {
    if (error instanceof RollbackError)
      throw new RollbackError(
        error.message.replace(
          "Nothing was rolled back: the database and its history are as they were.",
          "It runs outside a transaction: the statements before this one took effect; the history still records it as applied, and its statements can run again: fix the cause, then run db:rollback again.",
        ),
        error.tag,
        error.file,
        error.statementNumber,
        error.statement,
        error.cause,
      );
    throw error;
  }
  await session.db.execute(sql`DELETE FROM ${historyTable} WHERE "hash" = ${target.status.hash}`);
  const ms = Math.round(performance.now() - started);
  log(`rolled back ${target.status.tag} (${ms} ms, outside a transaction)`);
  return { tag: target.status.tag, ms };
}

/** One attempt, inside the session's transaction: check everything, count, then run. */
async function rollbackOnce(
  session: MigrationSession,
  options: RollbackOptions,
  log: (line: string) => void,
  downOf: Map<string, string>,
): Promise<RollbackReport & { outside?: Target }> {
  const folder = options.migrationsFolder ?? MIGRATIONS_FOLDER;
  const files = readJournal(folder);
  const record = readDownRecord(folder);
  const tx = session.db;
  const history = (await historyExists(tx)) ? await readHistory(tx) : [];
  const { migrations, unknown } = classify(files, history);
  const modified = migrations.filter((m) => m.state === "modified");
  if (modified.length > 0)
    throw new RollbackRefusedError(
      "modified",
      `refusing to roll back: applied migration file(s) edited after they ran: ${modified.map((m) => m.path).join(", ")} (see db:status)`,
    );
  if (unknown.length > 0)
    throw new RollbackRefusedError(
      "unknown-history",
      `refusing to roll back: the database records ${unknown.length} migration(s) this checkout does not have; roll them back from the checkout that has them`,
    );
  const applied = migrations.filter((m) => m.state === "applied");
  const chosen = chooseTargets(applied, options);
  if (chosen.length === 0) {
    log(`nothing to roll back: ${options.to} is the newest applied migration`);
    return { migrations: [], losses: [], dryRun: options.dryRun === true };
  }

  // Floor: 0000, or the migration an adopted database was baselined at.
  const baselineHash = await readBaselineMark(tx);
  const floor = Math.max(0, files.find((f) => f.hash === baselineHash)?.idx ?? 0);
  const below = chosen.filter((m) => m.idx <= floor);
  if (below.length > 0) {
    const floorTag = files[floor]!.tag;
    throw new RollbackRefusedError(
      "floor",
      floor === 0
        ? `refusing to roll back ${below.map((m) => m.tag).join(", ")}: ${floorTag} is the baseline schema and is never rolled back (a development database: npm run db:reset)`
        : `refusing to roll back ${below.map((m) => m.tag).join(", ")}: this database was adopted (baselined) at ${floorTag} and never had the schema before it`,
    );
  }

  const problems: string[] = [];
  const targets: Target[] = [];
  for (const status of chosen) {
    const down = readDown(folder, status, record);
    if (down.state !== "reversible") {
      problems.push(
        `${status.tag}: ${down.state === "irreversible" ? `irreversible: ${down.reason}` : down.reason}`,
      );
      continue;
    }
    try {
      targets.push({
        status,
        file: down.path,
        statements: parseDown(status.tag, down.path, down.chunks),
        noTransaction: down.noTransaction,
      });
    } catch (error) {
      if (!(error instanceof RollbackRefusedError)) throw error;
      problems.push(error.message);
    }
  }
  for (const t of targets) for (const st of t.statements) downOf.set(st.text, `${t.status.tag}.down`);
  const alone = targets.find((t) => t.noTransaction);
  if (alone && chosen.length > 1)
    problems.push(
      `${alone.status.tag}: its down runs outside a transaction (-- migrate:no-transaction, e.g. DROP INDEX CONCURRENTLY), so it is rolled back alone: ` +
        `first roll back what is newer, then it with --steps 1, then the rest`,
    );
  if (problems.length > 0)
    throw new RollbackRefusedError(
      "down",
      `refusing to roll back: ${problems.length === 1 ? "a down migration cannot run" : "down migrations cannot run"}:\n${problems.map((p) => `  ${p}`).join("\n")}`,
    );

  // Data loss, counted now, newest down first (the order they will run).
  const losses: DataLoss[] = [];
  for (const target of targets) {
    for (const [i, statement] of target.statements.entries()) {
      for (const found of lossesOf(statement.node)) {
        const loss = { ...found, tag: target.status.tag, statement: i + 1 };
        losses.push({ ...loss, rows: await countLoss(tx, loss, session.execute) });
      }
    }
  }
  const lost = losses.filter((l) => l.rows !== 0);
  if (lost.length > 0 && !options.allowDataLoss && !options.dryRun)
    throw new RollbackRefusedError(
      "data-loss",
      `refusing to roll back: the down migrations would lose data:\n${lost.map((l) => `  ${formatLoss(l)}`).join("\n")}\n` +
        "A rollback cannot bring these values back. Back them up, or write a forward migration instead; " +
        "to proceed anyway: --allow-data-loss. Nothing was changed.",
      losses,
    );
  for (const l of losses) log(`${l.rows === 0 ? "no data lost" : "data lost"}: ${formatLoss(l)}`);

  if (options.dryRun) {
    for (const t of targets) log(`would roll back ${t.status.tag} (${t.statements.length} statement(s))`);
    return { migrations: targets.map((t) => ({ tag: t.status.tag, ms: 0 })), losses, dryRun: true };
  }

  const report: RollbackReport = { migrations: [], losses, dryRun: false };
  // The checks (and the SHARE locks of the counts) end with this transaction; the statements follow.
  if (alone) return { ...report, outside: alone };
  for (const target of targets) {
    const started = performance.now();
    await runDown(session, target);
    await tx.execute(sql`DELETE FROM ${historyTable} WHERE "hash" = ${target.status.hash}`);
    const ms = Math.round(performance.now() - started);
    report.migrations.push({ tag: target.status.tag, ms });
    log(`rolled back ${target.status.tag} (${ms} ms)`);
  }
  return report;
}
