/**
 * The destructive-change guard: the pure check over SQL text, and the script in a scratch git
 * repository (base ref resolution, new vs on-base migrations, acknowledgement, edited files).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkMigrationSql, guardMigrations, splitStatements } from "../../src/migrate/guard.js";
import { readJournal } from "../../src/migrate/journal.js";
import { run, type ScratchMigration, writeMigrationsFolder } from "./support.js";

const rules = (text: string, earlier: string[] = []) =>
  checkMigrationSql(text, earlier).findings.map((f) => `${f.rule}: ${f.message}`);

const committed = readJournal().map((m) => readFileSync(m.path, "utf8"));

describe("checkMigrationSql", () => {
  it("passes every committed migration and purely additive SQL", () => {
    for (const [i, text] of committed.entries()) expect(rules(text, committed.slice(0, i))).toEqual([]);
    expect(
      rules(`CREATE TABLE "x" ("id" uuid PRIMARY KEY, "n" integer NOT NULL);
ALTER TABLE "x" ADD COLUMN "label" text;--> statement-breakpoint
ALTER TABLE "x" ADD COLUMN "rank" integer DEFAULT 0 NOT NULL;
ALTER TABLE "x" DROP CONSTRAINT "x_n_check";
CREATE INDEX "x_n" ON "x" ("n");`),
    ).toEqual([]);
  });

  it("flags drop table, drop column, type change and NOT NULL without default, by name", () => {
    expect(
      rules(`DROP TABLE "vendors" CASCADE;--> statement-breakpoint
ALTER TABLE "assets" DROP COLUMN "notes";
ALTER TABLE public.assets DROP hostname;
ALTER TABLE "assets" ALTER COLUMN "vlan_id" SET DATA TYPE bigint;
ALTER TABLE assets ALTER mac_address TYPE macaddr USING mac_address::macaddr;
ALTER TABLE "vendors" ADD COLUMN "country" text NOT NULL;
ALTER TABLE "vendors" ALTER COLUMN "phone" SET NOT NULL;
TRUNCATE reminders;`),
    ).toEqual([
      "drop-table: DROP TABLE vendors",
      "drop-column: DROP COLUMN assets.notes",
      "drop-column: DROP COLUMN assets.hostname",
      "alter-type: ALTER COLUMN assets.vlan_id TYPE bigint",
      "alter-type: ALTER COLUMN assets.mac_address TYPE macaddr USING mac_address::macaddr",
      "not-null: ADD COLUMN vendors.country NOT NULL without a DEFAULT",
      "not-null: SET NOT NULL on vendors.phone, which has no default and is not backfilled (UPDATE vendors) in this migration",
      "drop-table: TRUNCATE reminders",
    ]);
  });

  it("SET NOT NULL is fine on a column with a default (earlier or same migration) or with a backfill", () => {
    const m0000 = committed[0]!;
    // created_at has DEFAULT now() since 0000.
    expect(rules(`ALTER TABLE "assets" ALTER COLUMN "created_at" SET NOT NULL;`, [m0000])).toEqual([]);
    expect(
      rules(`ALTER TABLE "vendors" ALTER COLUMN "phone" SET DEFAULT '';
ALTER TABLE "vendors" ALTER COLUMN "phone" SET NOT NULL;`),
    ).toEqual([]);
    expect(
      rules(`UPDATE vendors SET phone = '' WHERE phone IS NULL;
ALTER TABLE "vendors" ALTER COLUMN "phone" SET NOT NULL;`),
    ).toEqual([]);
    // A default dropped earlier no longer counts.
    expect(
      rules(`ALTER TABLE "assets" ALTER COLUMN "created_at" SET NOT NULL;`, [
        m0000,
        `ALTER TABLE assets ALTER COLUMN created_at DROP DEFAULT;`,
      ]),
    ).toHaveLength(1);
  });

  it("ignores comments, string literals and function bodies", () => {
    expect(
      rules(`-- DROP TABLE vendors;
/* ALTER TABLE assets DROP COLUMN notes; */
COMMENT ON TABLE assets IS 'we never DROP TABLE assets; really';
CREATE FUNCTION purge() RETURNS void LANGUAGE plpgsql AS $body$ BEGIN DROP TABLE tmp_x; END $body$;`),
    ).toEqual([]);
    expect(splitStatements("SELECT ';';\nSELECT $$;$$;")).toEqual(["SELECT ';'", "SELECT $$;$$"]);
  });

  it("the acknowledgement comment needs a reason", () => {
    const sqlText = "ALTER TABLE assets DROP COLUMN notes;";
    expect(
      checkMigrationSql(`-- guard:allow-destructive notes moved to asset_events in 0007\n${sqlText}`)
        .acknowledgement,
    ).toBe("notes moved to asset_events in 0007");
    expect(checkMigrationSql(`-- guard:allow-destructive\n${sqlText}`).acknowledgement).toBeNull();
  });
});

describe("guardMigrations", () => {
  it("checks new files, blocks unacknowledged ones and any edit of a file already on the base", () => {
    const results = guardMigrations([
      { name: "0000.sql", sql: "CREATE TABLE a (id int);", baseSql: "CREATE TABLE a (id int);" },
      { name: "0001.sql", sql: "CREATE TABLE b (id int);", baseSql: "CREATE TABLE b (id bigint);" },
      { name: "0002.sql", sql: "ALTER TABLE a DROP COLUMN id;" },
      { name: "0003.sql", sql: "-- guard:allow-destructive b is unused since v2\nDROP TABLE b;" },
    ]);
    expect(results.map((r) => [r.name, r.isNew, r.blocking, r.findings.map((f) => f.rule)])).toEqual([
      ["0000.sql", false, false, []],
      ["0001.sql", false, true, ["edited"]],
      ["0002.sql", true, true, ["drop-column"]],
      ["0003.sql", true, false, ["drop-table"]],
    ]);
  });
});

describe("scripts/migrations-guard.ts in a git repository", () => {
  const repos: string[] = [];
  afterAll(() => {
    for (const r of repos) rmSync(r, { recursive: true, force: true });
  });
  const tsx = resolve("node_modules/.bin/tsx");
  const script = resolve("scripts/migrations-guard.ts");

  function repo(): { dir: string; git: (...args: string[]) => string } {
    const dir = mkdtempSync(join(tmpdir(), "netops-guard-"));
    repos.push(dir);
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], {
        cwd: dir,
        encoding: "utf8",
      });
    git("init", "-q", "-b", "main");
    return { dir, git };
  }
  const first: ScratchMigration = { tag: "0000_init", when: 1, sql: "CREATE TABLE a (id int, note text);" };
  const guard = (dir: string, env: Record<string, string | undefined> = {}) =>
    run(tsx, [script, "drizzle"], { GUARD_BASE: undefined, ...env }, dir);

  it("passes on main, fails a new destructive migration, passes it acknowledged, fails an edit", async () => {
    const { dir, git } = repo();
    writeMigrationsFolder([first], join(dir, "drizzle"));
    git("add", ".");
    git("commit", "-qm", "init");
    const onMain = await guard(dir);
    expect(onMain.code, onMain.stderr).toBe(0);
    expect(onMain.stdout).toContain("merge-base of HEAD and main");

    git("checkout", "-qb", "feature");
    const drop: ScratchMigration = { tag: "0001_drop_note", when: 2, sql: "ALTER TABLE a DROP COLUMN note;" };
    writeMigrationsFolder([first, drop], join(dir, "drizzle"));
    git("add", ".");
    git("commit", "-qm", "drop");
    const failed = await guard(dir);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(
      /FAIL {5}0001_drop_note\.sql \(new\)\n {11}drop-column: DROP COLUMN a\.note/,
    );
    expect(failed.stderr).toContain("-- guard:allow-destructive <reason");
    // The same check against an explicit base; and against the feature branch itself it is "on base".
    expect((await guard(dir, { GUARD_BASE: "main" })).code).toBe(1);
    expect((await guard(dir, { GUARD_BASE: "feature" })).code).toBe(0);

    writeFileSync(
      join(dir, "drizzle", "0001_drop_note.sql"),
      `-- guard:allow-destructive note was never written\n${drop.sql}`,
    );
    const acked = await guard(dir);
    expect(acked.code, acked.stdout).toBe(0);
    expect(acked.stdout).toContain("acknowledged: note was never written");

    writeFileSync(join(dir, "drizzle", "0000_init.sql"), "CREATE TABLE a (id bigint, note text);");
    const edited = await guard(dir);
    expect(edited.code).toBe(1);
    expect(edited.stdout).toContain("edited: 0000_init.sql is already on the base branch and was edited");
  });

  it("a clean clone of main passes (origin/main is the base); a bad GUARD_BASE exits 2", async () => {
    const { dir, git } = repo();
    writeMigrationsFolder([first, { tag: "0001_drop", when: 2, sql: "DROP TABLE a;" }], join(dir, "drizzle"));
    git("add", ".");
    git("commit", "-qm", "everything is on main already");
    const clone = mkdtempSync(join(tmpdir(), "netops-guard-clone-"));
    repos.push(clone);
    execFileSync("git", ["clone", "-q", dir, clone]);
    const result = await guard(clone);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("against origin/main");
    expect((await guard(clone, { GUARD_BASE: "no-such-ref" })).code).toBe(2);
  });
});
