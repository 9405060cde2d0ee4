/**
 * `-- migrate:no-transaction` migrations: the marker (one definition, read by the runner and the
 * guard), a CREATE INDEX CONCURRENTLY applied outside any transaction, a run that stops part-way
 * (a UNIQUE index failing on duplicates leaves it INVALID, as PostgreSQL documents) reported by
 * status and completed by the next run, --single-transaction refusing such a run, and
 * `drizzle-kit migrate` refusing to start while such a migration is pending.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { type DbOrTx, rows } from "../../src/db.js";
import { EXIT } from "../../src/errors/exit-codes.js";
import { MigrationError } from "../../src/errors/index.js";
import { guardMigrations, isBlocking } from "../../src/migrate/guard.js";
import { readHistory } from "../../src/migrate/history.js";
import { isNoTransaction, readJournal } from "../../src/migrate/journal.js";
import { indexesCreatedConcurrently } from "../../src/migrate/leftovers.js";
import { migrate } from "../../src/migrate/runner.js";
import { formatStatus, migrationStatus, statusExitCode } from "../../src/migrate/status.js";
import { onServer } from "../support/test-db.js";
import {
  committedMigration,
  freshDatabase,
  run,
  type ScratchMigration,
  when,
  writeMigrationsFolder,
} from "./support.js";

const disposers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const d of disposers.reverse()) await d();
});

const TABLE: ScratchMigration = {
  tag: "0000_t",
  when: when(0),
  sql: "CREATE TABLE t (id integer PRIMARY KEY, a integer, b integer);",
};
const CONCURRENT: ScratchMigration = {
  tag: "0001_t_indexes",
  when: when(1),
  sql: [
    "-- migrate:no-transaction",
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_t_a ON t (a);",
    "--> statement-breakpoint",
    'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "idx_t_b" ON public.t (b);',
  ].join("\n"),
};
const AFTER: ScratchMigration = { tag: "0002_u", when: when(2), sql: "CREATE TABLE u (id integer);" };

const indexes = (db: DbOrTx) =>
  rows<{ name: string; valid: boolean }>(
    db,
    sql`SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
         WHERE i.indrelid = 'public.t'::regclass AND NOT i.indisprimary ORDER BY 1`,
  );

describe("the marker", () => {
  it("is the exact first line (trailing blanks and CR ignored), nowhere else", () => {
    expect(isNoTransaction("-- migrate:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);")).toBe(true);
    expect(isNoTransaction("-- migrate:no-transaction  \r\nSELECT 1;")).toBe(true);
    expect(isNoTransaction("SELECT 1;\n-- migrate:no-transaction")).toBe(false);
    expect(isNoTransaction(" -- migrate:no-transaction\nSELECT 1;")).toBe(false);
    expect(isNoTransaction("-- migrate:no-transactions\nSELECT 1;")).toBe(false);
    const folder = writeMigrationsFolder([TABLE, CONCURRENT]);
    expect(readJournal(folder).map((f) => f.noTransaction)).toEqual([false, true]);
  });

  it("is what the guard reads: CONCURRENTLY passes with it and fails without it", async () => {
    const guard = async (text: string) =>
      (
        await guardMigrations([
          { name: "drizzle/0000_t.sql", sql: TABLE.sql, baseSql: TABLE.sql },
          { name: "drizzle/0001_t_indexes.sql", sql: text, baseSql: undefined },
        ])
      ).flatMap((r) => r.findings);
    expect((await guard(CONCURRENT.sql)).filter(isBlocking)).toEqual([]);
    const without = await guard(CONCURRENT.sql.replace("-- migrate:no-transaction\n", ""));
    expect(without.filter(isBlocking).map((f) => f.rule)).toContain("concurrently-in-transaction");
  });

  it("the indexes a migration creates concurrently are read from its statements", () => {
    expect(
      indexesCreatedConcurrently([
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_t_a ON t (a);",
        'CREATE UNIQUE INDEX CONCURRENTLY "Idx_B" ON ONLY public."T" (b); CREATE INDEX CONCURRENTLY ON t (a);',
        "CREATE INDEX idx_plain ON t (a); -- CREATE INDEX CONCURRENTLY idx_comment ON t (a)",
        "SELECT 'CREATE INDEX CONCURRENTLY idx_string ON t (a)';",
      ]),
    ).toEqual([
      { name: "idx_t_a", table: "t" },
      { name: "Idx_B", table: 'public."T"' },
    ]);
  });
});

describe.runIf(onServer())("no-transaction migrations on a server", () => {
  it("CREATE INDEX CONCURRENTLY is applied outside a transaction and recorded", async () => {
    const f = await freshDatabase("notx_apply");
    disposers.push(f.dispose);
    const folder = writeMigrationsFolder([TABLE, CONCURRENT, AFTER]);
    const lines: string[] = [];
    const applied = await migrate(f.handle.db, { migrationsFolder: folder, log: (l) => lines.push(l) });
    expect(applied.map((a) => a.tag)).toEqual([TABLE.tag, CONCURRENT.tag, AFTER.tag]);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^applied 0001_t_indexes \(no transaction\) \(\d+ ms\)$/),
      ]),
    );
    expect(await indexes(f.handle.db)).toEqual([
      { name: "idx_t_a", valid: true },
      { name: "idx_t_b", valid: true },
    ]);
    expect((await readHistory(f.handle.db)).length).toBe(3);
  });

  it("a run that stops part-way leaves the earlier statements and an INVALID index; status says so; the next run completes it", async () => {
    const f = await freshDatabase("notx_partial");
    disposers.push(f.dispose);
    const db = f.handle.db;
    const folder = writeMigrationsFolder([TABLE]);
    await migrate(db, { migrationsFolder: folder });
    await db.execute(sql`INSERT INTO t VALUES (1, 1, 7), (2, 2, 7)`);
    writeMigrationsFolder([TABLE, CONCURRENT, AFTER], folder);

    const error = await migrate(db, { migrationsFolder: folder }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    const failure = error as MigrationError;
    expect(failure.tag).toBe(CONCURRENT.tag);
    expect(failure.message).toContain("could not create unique index");
    expect(failure.message).toContain(
      "0001_t_indexes runs without a transaction: its statements 1-1 stayed applied; the next db:migrate drops the INVALID indexes it left and runs it again from the top.",
    );
    // PostgreSQL's documented outcome of a failed CREATE INDEX CONCURRENTLY: the index stays, INVALID.
    expect(await indexes(db)).toEqual([
      { name: "idx_t_a", valid: true },
      { name: "idx_t_b", valid: false },
    ]);
    const status = await migrationStatus(db, { migrationsFolder: folder });
    expect(status.migrations.map((m) => [m.tag, m.state])).toEqual([
      [TABLE.tag, "applied"],
      [CONCURRENT.tag, "pending"],
      [AFTER.tag, "pending"],
    ]);
    expect(status.migrations[1]?.leftovers).toEqual(["public.idx_t_b"]);
    expect(statusExitCode(status)).toBe(EXIT.pending);
    expect(formatStatus(status)).toContain(
      "pending   0001_t_indexes  (no transaction; stopped part-way before: INVALID index public.idx_t_b, dropped and rebuilt by db:migrate)",
    );

    await db.execute(sql`UPDATE t SET b = 8 WHERE id = 2`);
    const lines: string[] = [];
    const applied = await migrate(db, { migrationsFolder: folder, log: (l) => lines.push(l) });
    expect(applied.map((a) => a.tag)).toEqual([CONCURRENT.tag, AFTER.tag]);
    expect(lines).toContain(
      "dropped INVALID index public.idx_t_b left by an earlier run of 0001_t_indexes that stopped part-way",
    );
    expect(await indexes(db)).toEqual([
      { name: "idx_t_a", valid: true },
      { name: "idx_t_b", valid: true },
    ]);
    expect((await readHistory(db)).length).toBe(3);
    expect(statusExitCode(await migrationStatus(db, { migrationsFolder: folder }))).toBe(EXIT.ok);
  });

  it("--single-transaction refuses a run that includes one, before applying anything", async () => {
    const f = await freshDatabase("notx_single");
    disposers.push(f.dispose);
    const folder = writeMigrationsFolder([TABLE, CONCURRENT]);
    await expect(migrate(f.handle.db, { migrationsFolder: folder, singleTransaction: true })).rejects.toThrow(
      /--single-transaction: 0001_t_indexes must run outside a transaction .* Nothing was applied\./,
    );
    expect(await readHistory(f.handle.db)).toEqual([]);
    expect(
      (await rows<{ ok: boolean }>(f.handle.db, sql`SELECT to_regclass('public.t') IS NULL AS ok`))[0]?.ok,
    ).toBe(true);
  });

  it("drizzle-kit migrate refuses while one is pending (naming npm run db:migrate), and runs once it is applied", async () => {
    const f = await freshDatabase("notx_kit");
    disposers.push(f.dispose);
    // A project directory whose drizzle/ holds the committed migrations plus a no-transaction one.
    const dir = mkdtempSync(join(tmpdir(), "netops-kit-notx-"));
    disposers.push(async () => rmSync(dir, { recursive: true, force: true }));
    for (const entry of ["node_modules", "src", "package.json", "tsconfig.json", "drizzle.config.ts"])
      symlinkSync(resolve(entry), join(dir, entry));
    mkdirSync(join(dir, "drizzle"));
    const committed = readJournal().map((_, i) => committedMigration(i));
    const last = committed[committed.length - 1]!;
    const loose: ScratchMigration = {
      tag: `${String(committed.length).padStart(4, "0")}_vendors_name_concurrently`,
      when: last.when + 60_000,
      sql: "-- migrate:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_vendors_name_test ON vendors (name);",
    };
    writeMigrationsFolder([...committed, loose], join(dir, "drizzle"));
    const env = { DATABASE_URL: f.url };

    const kit = await run("npx", ["drizzle-kit", "migrate"], env, dir);
    expect(kit.code, kit.stdout + kit.stderr).toBe(1);
    // It names every pending no-transaction migration: committed ones too (e.g. search_indexes).
    expect(kit.stderr).toMatch(
      new RegExp(
        `error: drizzle-kit migrate cannot apply (\\S+, )*${loose.tag}: its first line is -- migrate:no-transaction`,
      ),
    );
    expect(kit.stderr).toContain("Use `npm run db:migrate`. Nothing was applied.");
    expect(await readHistory(f.handle.db)).toEqual([]);

    const ours = await run(resolve("node_modules/.bin/tsx"), ["src/cli.ts", "migrate"], env, dir);
    expect(ours.code, ours.stderr).toBe(EXIT.ok);
    expect(ours.stdout).toContain(`applied ${loose.tag} (no transaction)`);

    const again = await run("npx", ["drizzle-kit", "migrate"], env, dir);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect((await readHistory(f.handle.db)).length).toBe(committed.length + 1);
  });
});
