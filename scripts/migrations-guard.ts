/**
 * CI migration guard: `npm run migrations:guard [folder]` (default ./drizzle).
 *
 * Checks every migration that is not on the base branch (src/migrate/guard-base.ts) with the rules
 * of src/migrate/guard-rules.ts, and that the ones on the base are unchanged. Fails closed: with no
 * base to compare with it exits 2 under CI=true; on a laptop it warns and checks the migrations not
 * committed yet (HEAD as base), since treating all of history as new would fail on migrations that
 * can no longer be edited or acknowledged.
 * Exit 0 = pass (warnings allowed), 1 = blocking findings, 2 = cannot run.
 */

import { readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { MIGRATIONS_FOLDER } from "../src/config.js";
import { EXIT, exitCodeOf } from "../src/errors/exit-codes.js";
import { GuardBaseError } from "../src/errors/operational.js";
import { DOWN_SUFFIX } from "../src/migrate/downs.js";
import {
  ACK_SYNTAX,
  GUARD_RULES,
  type GuardFinding,
  type GuardInput,
  type GuardRule,
  guardMigrations,
  isBlocking,
} from "../src/migrate/guard.js";
import {
  type Base,
  git,
  isCi,
  laptopFallback,
  NO_BASE_MESSAGE,
  resolveBase,
} from "../src/migrate/guard-base.js";

/** The files of one journal entry the guard reads, in order: the migration, then its down. */
const migrationFiles = (tag: string): string[] => [`${tag}.sql`, `${tag}${DOWN_SUFFIX}`];

const tagsOf = (journal: string | null): string[] =>
  journal === null ? [] : (JSON.parse(journal) as { entries: { tag: string }[] }).entries.map((e) => e.tag);

const readOrUndefined = (path: string) => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
};

function inputs(folder: string, base: Base): GuardInput[] {
  const top = git(["rev-parse", "--show-toplevel"]) ?? process.cwd();
  const inRepo = (file: string) => relative(top, join(folder, file)).split("\\").join("/");
  const atBase = (file: string) =>
    base.sha === null
      ? undefined
      : (git(["show", `${base.sha}:${inRepo(file)}`], undefined, true) ?? undefined);
  const journal = readOrUndefined(join(folder, "meta", "_journal.json"));
  if (journal === undefined)
    throw new GuardBaseError(`no migration journal at ${join(folder, "meta", "_journal.json")}`);
  const tags = tagsOf(journal);
  // Entries only the base's journal has: a merged migration was deleted (reported as edited).
  for (const tag of tagsOf(atBase("meta/_journal.json") ?? null)) if (!tags.includes(tag)) tags.push(tag);
  const shown = relative(process.cwd(), folder) || ".";
  return tags.flatMap((tag) =>
    migrationFiles(tag).map((file) => ({
      name: `${shown}/${file}`,
      sql: readOrUndefined(join(folder, file)),
      baseSql: atBase(file),
    })),
  );
}

const VERDICT = (f: GuardFinding) => (f.acknowledged !== null ? "ack " : isBlocking(f) ? "FAIL" : "warn");

async function main(): Promise<number> {
  const folder = resolve(process.argv[2] ?? MIGRATIONS_FOLDER);
  let base = resolveBase();
  if (base === null) {
    if (isCi()) {
      console.error(`migrations guard: ${NO_BASE_MESSAGE} (CI=true: failing closed)`);
      return exitCodeOf(new GuardBaseError(NO_BASE_MESSAGE));
    }
    console.error(`migrations guard: warning: ${NO_BASE_MESSAGE}`);
    base = laptopFallback();
  }
  console.log(
    `migrations guard: ${relative(process.cwd(), folder) || "."} against ${base.label}${base.sha ? ` ${base.sha.slice(0, 10)}` : ""}`,
  );

  const results = await guardMigrations(inputs(folder, base));
  const failed = new Set<GuardRule>();
  for (const r of results) {
    if (r.status === "new" && r.findings.length === 0) console.log(`  ok   ${r.name} (new)`);
    for (const f of r.findings) {
      const where = f.line > 0 ? `${f.file}:${f.line}` : f.file;
      const ack = f.acknowledged !== null ? ` (acknowledged: ${f.acknowledged})` : "";
      console.log(`  ${VERDICT(f)} ${where} ${f.rule}: ${f.message}${ack}`);
      if (f.statement) console.log(`         ${f.statement}`);
      if (isBlocking(f)) failed.add(f.rule);
    }
  }
  if (failed.size > 0) {
    const count = results.flatMap((r) => r.findings).filter(isBlocking).length;
    console.error(`\nmigrations guard: ${count} blocking finding(s). What to do instead:`);
    for (const rule of failed) console.error(`  ${rule}: ${GUARD_RULES[rule].instead}`);
    if ([...failed].some((rule) => GUARD_RULES[rule].ackable))
      console.error(
        `If the change is intended and safe here, acknowledge that statement and rule on its own line directly before it:\n  ${ACK_SYNTAX}`,
      );
    console.error(
      'Never edit a migration already on main: write a new one. Rules and reasons: README, "Migration guard".',
    );
    return EXIT.error;
  }
  console.log("migrations guard: pass");
  return EXIT.ok;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`migrations guard: ${error instanceof GuardBaseError ? error.message : String(error)}`);
    // GuardBaseError: 2 (the checkout cannot show the base); anything unexpected: 2 as well, failing closed.
    process.exitCode = error instanceof GuardBaseError ? exitCodeOf(error) : EXIT.usage;
  },
);
