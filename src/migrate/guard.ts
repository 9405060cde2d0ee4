/**
 * The migration guard's decision over the migrations folder (scripts/migrations-guard.ts feeds it
 * the files and their text on the base branch): a migration already on the base must be unchanged
 * (`edited`); a new one is parsed by PostgreSQL's own parser and run through the rules of
 * src/migrate/guard-rules.ts, each finding naming file, line, statement and rule code.
 *
 * Why libpg-query and not squawk (both evaluated on drizzle/0000-0004 and the rule fixtures; README,
 * "Migration guard"): squawk lints one file at a time, so it cannot know that a CHECK (col IS NOT
 * NULL) was validated by an earlier migration (it flags the documented online SET NOT NULL path),
 * cannot tell a backfill from SET DEFAULT (issue 11's failure), misses TRUNCATE, DROP SCHEMA and
 * serial columns, has no notion of a migration already on main or of `-- migrate:no-transaction`,
 * and its `-- squawk-ignore` takes no reason. Those rules need the parse tree anyway; libpg-query
 * gives PostgreSQL's own grammar as 1.7 MB of WebAssembly with no native binary and no download.
 *
 * Acknowledgement, per statement and per rule, on its own line directly before the statement:
 *   -- guard:allow <rule> <reason>
 * An acknowledgement with an unknown or unacknowledgeable rule, without reason, or anywhere else
 * is itself an error (`ack-invalid`); one that suppresses nothing is reported (`ack-unused`).
 */

import { basename } from "node:path";
import { SqlSyntaxError } from "../errors/operational.js";
import { DOWN_SUFFIX } from "./downs.js";
import { loadParser, parseSql, type SqlComment } from "./guard-parse.js";
import { checkStatements, emptyFacts, GUARD_RULES, type GuardRule, isGuardRule } from "./guard-rules.js";
// The no-transaction marker is decided in one place, shared with the runner.
import { isNoTransaction } from "./journal.js";
import { isRecordedRewrite } from "./superseded.js";

export { GUARD_RULES, type GuardRule } from "./guard-rules.js";

export const ACK_SYNTAX = "-- guard:allow <rule> <reason>";
const ACK = /^--\s*guard:allow(?:\s+(\S+))?[ \t]*(.*)$/;
const ACK_START = /^(?:--|\/\*)\s*guard:allow/;

export interface GuardInput {
  /** The file as shown in messages, e.g. `drizzle/0005_close_lists.sql`. */
  name: string;
  /** The file's text; undefined when it is gone from the working tree but exists on the base. */
  sql: string | undefined;
  /** The file's text on the base; undefined when the base does not have it (a new migration). */
  baseSql: string | undefined;
}

export interface GuardFinding {
  rule: GuardRule;
  file: string;
  /** 1-based line of the statement (0: the whole file). */
  line: number;
  /** The statement on one line, shortened ("" for the whole file). */
  statement: string;
  message: string;
  /** The acknowledgement's reason when one allows this finding. */
  acknowledged: string | null;
}

export interface GuardFileResult {
  name: string;
  status: "new" | "on-base";
  findings: GuardFinding[];
}

/** True when the finding makes the guard fail (ack-unused only warns). */
export const isBlocking = (f: GuardFinding) => f.acknowledged === null && f.rule !== "ack-unused";

const oneLine = (text: string, max = 160) => {
  const s = text.replace(/\s+/g, " ").trim();
  return s.length > max ? `${s.slice(0, max)}...` : s;
};

interface Ack {
  rule: GuardRule;
  reason: string;
  comment: SqlComment;
  used: boolean;
}

/** Valid acknowledgements by statement index, and ack-invalid findings for the rest. */
function readAcks(file: string, comments: SqlComment[]) {
  const acks = new Map<number, Ack[]>();
  const invalid: GuardFinding[] = [];
  for (const comment of comments) {
    if (!ACK_START.test(comment.text)) continue;
    const bad = (message: string) =>
      invalid.push({
        rule: "ack-invalid",
        file,
        line: comment.line,
        statement: oneLine(comment.text),
        message,
        acknowledged: null,
      });
    if (/guard:allow-destructive/.test(comment.text)) {
      bad(`the file-wide form is retired: acknowledge each statement with \`${ACK_SYNTAX}\``);
      continue;
    }
    const match = ACK.exec(comment.text);
    const place = comment.place;
    if (!match || !comment.ownLine || typeof place !== "object" || !("before" in place)) {
      bad("not a `--` comment on its own line directly before a statement");
      continue;
    }
    const [, code, reason] = match;
    if (!code || !isGuardRule(code)) {
      bad(`unknown rule code ${code ? `"${code}"` : "(none)"}; codes: ${ackableRules().join(", ")}`);
      continue;
    }
    if (!GUARD_RULES[code].ackable) {
      bad(`${code} cannot be acknowledged`);
      continue;
    }
    if (!reason?.trim()) {
      bad(`no reason given: \`-- guard:allow ${code} <why it is safe here>\``);
      continue;
    }
    const list = acks.get(place.before) ?? [];
    list.push({ rule: code, reason: reason.trim(), comment, used: false });
    acks.set(place.before, list);
  }
  return { acks, invalid };
}

export const ackableRules = (): GuardRule[] =>
  (Object.keys(GUARD_RULES) as GuardRule[]).filter((r) => GUARD_RULES[r].ackable);

/**
 * Decide over the migrations in journal order: files on the base must be byte-identical (their
 * statements still feed the facts later rules use: validated CHECKs, functions' volatility); new
 * files are checked statement by statement.
 */
export async function guardMigrations(files: GuardInput[]): Promise<GuardFileResult[]> {
  await loadParser();
  const facts = emptyFacts();
  const results: GuardFileResult[] = [];
  for (const f of files) {
    if (f.name.endsWith(DOWN_SUFFIX)) {
      results.push(checkDown(f));
      continue;
    }
    const whole = (rule: GuardRule, message: string): GuardFinding => ({
      rule,
      file: f.name,
      line: 0,
      statement: "",
      message,
      acknowledged: null,
    });
    if (f.baseSql !== undefined) {
      const findings: GuardFinding[] = [];
      if (f.sql === undefined) findings.push(whole("edited", "is on the base branch and was deleted"));
      else if (f.sql !== f.baseSql && !isRecordedRewrite(basename(f.name, ".sql"), f.baseSql, f.sql))
        findings.push(whole("edited", "is on the base branch and was edited"));
      // Facts come from the base's text: that is what databases ran. A base file the parser refuses
      // only leaves facts out, which can add findings later, never hide one.
      try {
        const parsed = parseSql(f.baseSql);
        checkStatements(
          parsed.statements.map((s) => s.node),
          !isNoTransaction(f.baseSql),
          facts,
        );
      } catch (error) {
        if (!(error instanceof SqlSyntaxError)) throw error;
      }
      results.push({ name: f.name, status: "on-base", findings });
      continue;
    }
    if (f.sql === undefined) continue;
    results.push({ name: f.name, status: "new", findings: checkNewMigration(f.name, f.sql, facts) });
  }
  return results;
}

/**
 * A down migration (`<tag>.down.sql`, issue 13), new or changed: PostgreSQL's parser must accept it
 * (blocking, like any migration), and so are CONCURRENTLY in a transactional down and a statement of
 * a no-transaction down that cannot run twice; its destructive and locking statements are expected (a down drops
 * what its up created) and are printed as acknowledged notes, not failures: db:rollback counts the
 * data at stake on the live database and refuses without --allow-data-loss. A down never feeds the
 * facts later migrations are judged by, and is not bound by `edited` (it has run nowhere; a change
 * is recorded in drizzle/meta/_downs.json, which migrations:check verifies).
 */
function checkDown(f: GuardInput): GuardFileResult {
  if (f.sql === undefined || f.sql === f.baseSql) return { name: f.name, status: "on-base", findings: [] };
  const findings = checkNewMigration(f.name, f.sql, emptyFacts()).map((finding) =>
    DOWN_BLOCKING.has(finding.rule) || finding.acknowledged !== null
      ? finding
      : {
          ...finding,
          acknowledged: DATA_LOSS_RULES.has(finding.rule)
            ? "down migration: db:rollback counts the rows at stake and refuses without --allow-data-loss"
            : "down migration: runs only through db:rollback, under its lock and timeouts",
        },
  );
  return { name: f.name, status: f.baseSql === undefined ? "new" : "on-base", findings };
}

/** What fails a down as it fails an up: it would not run, or not run again after stopping part-way. */
const DOWN_BLOCKING = new Set<GuardRule>([
  "syntax",
  "ack-invalid",
  "ack-unused",
  "concurrently-in-transaction",
  "no-transaction-rerun",
]);
const DATA_LOSS_RULES = new Set<GuardRule>(["drop-table", "drop-column", "alter-type"]);

function checkNewMigration(file: string, sql: string, facts: ReturnType<typeof emptyFacts>): GuardFinding[] {
  let parsed: ReturnType<typeof parseSql>;
  try {
    parsed = parseSql(sql);
  } catch (error) {
    if (!(error instanceof SqlSyntaxError)) throw error;
    return [
      { rule: "syntax", file, line: error.line, statement: "", message: error.message, acknowledged: null },
    ];
  }
  const { statements, comments } = parsed;
  const { acks, invalid } = readAcks(file, comments);
  const hits = checkStatements(
    statements.map((s) => s.node),
    !isNoTransaction(sql),
    facts,
  );
  const findings: GuardFinding[] = hits.map((hit) => {
    const statement = statements[hit.statement]!;
    const ack = acks.get(hit.statement)?.find((a) => a.rule === hit.rule);
    if (ack) ack.used = true;
    return {
      rule: hit.rule,
      file,
      line: statement.line,
      statement: oneLine(statement.text),
      message: hit.message,
      acknowledged: ack?.reason ?? null,
    };
  });
  for (const [index, list] of acks) {
    for (const ack of list.filter((a) => !a.used)) {
      findings.push({
        rule: "ack-unused",
        file,
        line: ack.comment.line,
        statement: oneLine(statements[index]!.text),
        message: `\`-- guard:allow ${ack.rule}\` suppresses nothing: the statement below does not trip ${ack.rule}`,
        acknowledged: null,
      });
    }
  }
  return [...invalid, ...findings].sort((a, b) => a.line - b.line);
}
