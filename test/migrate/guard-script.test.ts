/**
 * `npm run migrations:guard` (scripts/migrations-guard.ts) as CI runs it, in real git repositories
 * and clones made by git itself: the output names file, line, statement and rule; the base is found
 * in a full clone and a --depth 1 clone of main; a single-branch shallow clone of another branch
 * fails closed under CI=true and only warns on a laptop.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { GUARD_RULES, type GuardRule } from "../../src/migrate/guard.js";
import { NO_BASE_MESSAGE } from "../../src/migrate/guard-base.js";
import { RULE_FIXTURES } from "./guard-fixtures.js";
import { committedMigration, run, type ScratchMigration, writeMigrationsFolder } from "./support.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = (label: string) => {
  const dir = mkdtempSync(join(tmpdir(), `netops-guard-${label}-`));
  dirs.push(dir);
  return dir;
};

const gitIn =
  (dir: string) =>
  (...args: string[]) =>
    execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], {
      cwd: dir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });

/** The committed migrations 0000-0004, as on main. */
const onMain: ScratchMigration[] = [0, 1, 2, 3, 4].map((i) => committedMigration(i));

/** A repository whose main holds `main` migrations; `feature` (if given) branches off with more. */
function repository(main: ScratchMigration[], feature?: ScratchMigration[]) {
  const dir = tempDir("repo");
  const git = gitIn(dir);
  git("init", "-q", "-b", "main");
  writeMigrationsFolder(main, join(dir, "drizzle"));
  git("add", ".");
  git("commit", "-qm", "main");
  if (feature) {
    git("checkout", "-qb", "feature");
    writeMigrationsFolder([...main, ...feature], join(dir, "drizzle"));
    git("add", ".");
    git("commit", "-qm", "feature");
  }
  return { dir, git };
}

const clone = (args: string[], source: string) => {
  const dir = tempDir("clone");
  rmSync(dir, { recursive: true });
  execFileSync("git", ["clone", "-q", ...args, source, dir], { stdio: "ignore" });
  return dir;
};

const tsx = resolve("node_modules/.bin/tsx");
const script = resolve("scripts/migrations-guard.ts");
/** The guard as `npm run migrations:guard` runs it in `dir`; CI and GUARD_BASE unset unless given. */
const guard = (dir: string, env: Record<string, string | undefined> = {}) =>
  run(tsx, [script], { CI: undefined, GUARD_BASE: undefined, ...env }, dir);

const migration = (n: number, name: string, sql: string): ScratchMigration => ({
  tag: `${String(n).padStart(4, "0")}_${name}`,
  when: 1_900_000_000_000 + n,
  sql,
});
const dropReminders = migration(5, "drop_reminders", `DROP TABLE "reminders";`);

describe("the script's report", () => {
  // One migration per rule fixture (and its earlier ones), on a feature branch.
  const files: ScratchMigration[] = [];
  const expected: string[] = [];
  for (const fx of RULE_FIXTURES) {
    for (const earlier of fx.earlier ?? []) files.push(migration(5 + files.length, "earlier", earlier));
    const m = migration(5 + files.length, fx.rules[0]!.replace(/-/g, "_"), fx.sql);
    files.push(m);
    const line = fx.sql.slice(0, fx.sql.indexOf("{ack}")).split("\n").length + 1;
    for (const rule of fx.rules) expected.push(`drizzle/${m.tag}.sql:${line} ${rule}`);
  }
  const withAck = (ack: (rules: GuardRule[]) => string) =>
    files.map((f) => {
      const fx = RULE_FIXTURES.find((x) => x.sql === f.sql);
      return { ...f, sql: f.sql.replace("{ack}", fx ? ack(fx.rules) : "") };
    });

  it("fails every rule with file:line, rule, message and statement, then passes acknowledged", async () => {
    const { dir } = repository(
      onMain,
      withAck(() => ""),
    );
    const failed = await guard(dir);
    expect(failed.code, failed.stdout + failed.stderr).toBe(1);
    expect(failed.stdout).toContain("against main (merge-base with HEAD)");
    const reported = [...failed.stdout.matchAll(/^ {2}FAIL (\S+) ([a-z-]+): /gm)].map(
      (m) => `${m[1]} ${m[2]}`,
    );
    expect(reported.sort()).toEqual([...expected].sort());
    // The statement follows its finding, e.g. the issue-11 case:
    expect(failed.stdout).toMatch(
      /FAIL drizzle\/\d{4}_not_null\.sql:3 not-null: SET NOT NULL on vendors\.phone: .*SET DEFAULT does not fill existing rows\n {9}ALTER TABLE "vendors" ALTER COLUMN "phone" SET NOT NULL\n/,
    );
    for (const rule of new Set(expected.map((e) => e.split(" ")[1] as GuardRule)))
      expect(failed.stderr).toContain(`  ${rule}: ${GUARD_RULES[rule].instead}`);
    expect(failed.stderr).toContain("-- guard:allow <rule> <reason>");

    writeMigrationsFolder(
      [
        ...onMain,
        ...withAck((rules) => rules.map((r) => `-- guard:allow ${r} staging copy only, reviewed`).join("\n")),
      ],
      join(dir, "drizzle"),
    );
    const acked = await guard(dir);
    expect(acked.code, acked.stdout + acked.stderr).toBe(0);
    expect(acked.stdout.match(/^ {2}ack {2}/gm)).toHaveLength(expected.length);
    expect(acked.stdout).toContain("(acknowledged: staging copy only, reviewed)");
    expect(acked.stdout).toContain("migrations guard: pass");
  });

  it("an edited migration of main fails; GUARD_BASE picks another base; a bad one exits 2", async () => {
    const { dir } = repository(onMain, [dropReminders]);
    expect((await guard(dir, { GUARD_BASE: "main" })).code).toBe(1);
    const bad = await guard(dir, { GUARD_BASE: "no-such-ref" });
    expect([bad.code, bad.stderr.trim()]).toEqual([
      2,
      "migrations guard: GUARD_BASE=no-such-ref does not resolve to a commit here",
    ]);

    writeFileSync(
      join(dir, "drizzle", "0005_drop_reminders.sql"),
      `-- guard:allow drop-table replaced by tasks\nDROP TABLE "reminders";`,
    );
    writeFileSync(join(dir, "drizzle", "0001_timestamps_not_null.sql"), "SELECT 1;");
    const edited = await guard(dir);
    expect(edited.code).toBe(1);
    expect(edited.stdout).toContain(
      "FAIL drizzle/0001_timestamps_not_null.sql edited: is on the base branch and was edited",
    );
    expect(edited.stderr).toContain("edited: restore the file and write a new migration");
  });

  it("outside a git checkout it cannot run (exit 2)", async () => {
    const dir = tempDir("nogit");
    writeMigrationsFolder(onMain, join(dir, "drizzle"));
    const result = await guard(dir, { GIT_CEILING_DIRECTORIES: tmpdir() });
    expect([result.code, result.stderr.trim()]).toEqual([2, "migrations guard: not inside a git checkout"]);
  });
});

describe("the base in the clones CI makes (fail closed)", () => {
  it("a clean clone of main passes under CI=true: full clone (local main) and --depth 1 clone", async () => {
    const { dir } = repository([...onMain, dropReminders]);
    for (const args of [[], ["--depth", "1"]]) {
      const copy = clone(args, `file://${dir}`);
      const result = await guard(copy, { CI: "true" });
      expect(result.code, `${args.join(" ")}: ${result.stdout}${result.stderr}`).toBe(0);
      expect(result.stdout).toContain("against origin/main (merge-base with HEAD)");
    }
  });

  it("a --depth 1 --single-branch clone of a feature branch: CI=true exits 2; a laptop warns and checks what is not committed", async () => {
    const { dir } = repository(onMain, [dropReminders]);
    const shallow = clone(["--depth", "1", "--single-branch", "--branch", "feature"], `file://${dir}`);
    expect(gitIn(shallow)("branch", "-a")).not.toContain("main");

    const ci = await guard(shallow, { CI: "true" });
    expect([ci.code, ci.stdout, ci.stderr.trim()]).toEqual([
      2,
      "",
      `migrations guard: ${NO_BASE_MESSAGE} (CI=true: failing closed)`,
    ]);

    const laptop = await guard(shallow, { CI: "false" });
    expect(laptop.code, laptop.stdout + laptop.stderr).toBe(0);
    expect(laptop.stderr).toContain(`warning: ${NO_BASE_MESSAGE}`);
    expect(laptop.stdout).toContain(
      "against HEAD (no base branch here: only migrations not committed yet are checked)",
    );
    // CI unset: the same warning, and a migration not committed yet is checked.
    writeMigrationsFolder(
      [...onMain, dropReminders, migration(6, "drop_column", `ALTER TABLE assets DROP COLUMN notes;`)],
      join(shallow, "drizzle"),
    );
    const uncommitted = await guard(shallow);
    expect(uncommitted.code).toBe(1);
    expect(uncommitted.stderr).toContain(`warning: ${NO_BASE_MESSAGE}`);
    expect(uncommitted.stdout).toContain(
      "FAIL drizzle/0006_drop_column.sql:1 drop-column: DROP COLUMN assets.notes",
    );
  });

  it("that clone after `git fetch --depth 1 origin main` (no merge-base): main's tip is the base", async () => {
    const { dir } = repository(onMain, [dropReminders]);
    const shallow = clone(["--depth", "1", "--single-branch", "--branch", "feature"], `file://${dir}`);
    gitIn(shallow)("fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main");
    const result = await guard(shallow, { CI: "true" });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toContain("against origin/main's tip (no merge-base in this history)");
    expect(result.stdout).toContain(
      "FAIL drizzle/0005_drop_reminders.sql:1 drop-table: DROP TABLE reminders",
    );
    expect(result.stdout).not.toContain("0004_foreign_key_indexes");
  });
});
