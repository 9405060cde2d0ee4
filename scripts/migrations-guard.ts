/**
 * CI destructive-change guard: `npm run migrations:guard` (tsx scripts/migrations-guard.ts [folder]).
 *
 * Which migrations are "not yet on main": every journal entry whose file does not exist at the base
 * ref. The base ref is
 *   1. $GUARD_BASE when set (any commit-ish: a branch, origin/main, a SHA); it must resolve;
 *   2. else origin/main when that ref exists (a CI clone, a developer's checkout);
 *   3. else the merge-base of HEAD and the local `main` branch when it exists;
 *   4. else HEAD (a bare clone of main with no remote: only uncommitted migrations are new).
 * On a clean checkout of main every committed migration is on the base, so the guard passes.
 * New migrations are checked by src/migrate/guard.ts; migrations already on the base must be
 * unchanged. Exit 0 = pass, 1 = blocking findings, 2 = cannot run (not a git checkout, bad base).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { MIGRATIONS_FOLDER } from "../src/config.js";
import { ACK_MARKER, type GuardInput, guardMigrations } from "../src/migrate/guard.js";
import { readJournal } from "../src/migrate/journal.js";

/** git's stdout (untrimmed when `raw`, for file contents), or null when the command fails. */
const git = (args: string[], raw = false): string | null => {
  try {
    const out = execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return raw ? out : out.trim();
  } catch {
    return null;
  }
};

function resolveBase(): { ref: string; sha: string; why: string } {
  const configured = process.env.GUARD_BASE?.trim();
  if (configured) {
    const sha = git(["rev-parse", "--verify", "--quiet", `${configured}^{commit}`]);
    if (!sha) throw new Error(`GUARD_BASE=${configured} does not resolve to a commit`);
    return { ref: configured, sha, why: "GUARD_BASE" };
  }
  const origin = git(["rev-parse", "--verify", "--quiet", "origin/main^{commit}"]);
  if (origin) {
    const mergeBase = git(["merge-base", "HEAD", origin]);
    return { ref: "origin/main", sha: mergeBase ?? origin, why: "origin/main (merge-base with HEAD)" };
  }
  const main = git(["rev-parse", "--verify", "--quiet", "main^{commit}"]);
  const mergeBase = main ? git(["merge-base", "HEAD", main]) : null;
  if (mergeBase) return { ref: "main", sha: mergeBase, why: "merge-base of HEAD and main" };
  const head = git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]);
  if (!head) throw new Error("not a git checkout with at least one commit");
  return { ref: "HEAD", sha: head, why: "HEAD (no origin/main or main branch)" };
}

function main(): number {
  const folder = resolve(process.argv[2] ?? MIGRATIONS_FOLDER);
  const top = git(["rev-parse", "--show-toplevel"]);
  if (!top) throw new Error("not inside a git checkout");
  const base = resolveBase();
  console.log(
    `migrations guard: ${relative(process.cwd(), folder) || "."} against ${base.why} (${base.sha.slice(0, 10)})`,
  );

  const inputs: GuardInput[] = readJournal(folder).map((m) => {
    const inRepo = relative(top, resolve(m.path)).split("\\").join("/");
    const baseSql = git(["show", `${base.sha}:${inRepo}`], true);
    return { name: `${m.tag}.sql`, sql: readFileSync(m.path, "utf8"), baseSql: baseSql ?? undefined };
  });

  let blocking = 0;
  for (const r of guardMigrations(inputs)) {
    if (!r.isNew && r.findings.length === 0) continue;
    const label = r.isNew ? "new" : "on base";
    if (r.findings.length === 0) {
      console.log(`  ok       ${r.name} (${label})`);
      continue;
    }
    const verdict = r.blocking ? "FAIL" : "ack";
    console.log(
      `  ${verdict.padEnd(8)} ${r.name} (${label})${r.acknowledgement ? ` acknowledged: ${r.acknowledgement}` : ""}`,
    );
    for (const f of r.findings)
      console.log(`           ${f.rule}: ${f.message}${f.statement ? `\n             ${f.statement}` : ""}`);
    if (r.blocking) blocking++;
  }
  if (blocking > 0) {
    console.error(
      `\n${blocking} migration(s) make destructive changes without acknowledgement. If intended, add a line\n` +
        `  -- ${ACK_MARKER} <reason: why it is safe, what happens to the data>\n` +
        "to the migration file (never edit a migration that is already on main: write a new one).",
    );
    return 1;
  }
  console.log("migrations guard: pass");
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`migrations guard: ${(error as Error).message}`);
  process.exitCode = 2;
}
