/**
 * The runner's semantics on scratch migration folders, on the server and on PGlite: the merge case
 * of drizzle-orm #5769, checksum refusal and --accept-modified, a failing migration (rolled back
 * alone by default, everything with --single-transaction), and status classification with its exit codes.
 */

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { afterAll, describe, expect, it } from "vitest";
import { type DbOrTx, rows } from "../../src/db.js";
import { EXIT } from "../../src/errors/exit-codes.js";
import { MigrationError, ModifiedMigrationError } from "../../src/errors/index.js";
import { readCatalog } from "../../src/migrate/catalog.js";
import { readHistory } from "../../src/migrate/history.js";
import { readJournal } from "../../src/migrate/journal.js";
import { migrate } from "../../src/migrate/runner.js";
import { migrationStatus, statusExitCode, statusJson } from "../../src/migrate/status.js";
import { freshDatabase, type ScratchMigration, when, writeMigrationsFolder } from "./support.js";

const disposers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const d of disposers.reverse()) await d();
});

async function fresh(label: string) {
  const f = await freshDatabase(label);
  disposers.push(f.dispose);
  return f.handle.db;
}

const A: ScratchMigration = { tag: "0000_a", when: when(1), sql: "CREATE TABLE a (id integer PRIMARY KEY);" };
const B: ScratchMigration = { tag: "0001_b", when: when(2), sql: "CREATE TABLE b (id integer PRIMARY KEY);" };
const C: ScratchMigration = { tag: "0002_c", when: when(3), sql: "CREATE TABLE c (id integer PRIMARY KEY);" };

const tableExists = async (db: DbOrTx, name: string) =>
  (await rows<{ ok: boolean }>(db, sql`SELECT to_regclass(${`public.${name}`}) IS NOT NULL AS ok`))[0]?.ok ===
  true;

describe("merge case (drizzle-orm #5769): an older migration arriving after a newer one ran", () => {
  it("is applied, in journal order, and recorded once", async () => {
    const db = await fresh("merge");
    const folder = writeMigrationsFolder([A, C]);
    expect((await migrate(db, { migrationsFolder: folder })).map((r) => r.tag)).toEqual(["0000_a", "0002_c"]);
    // The merge brings B, whose `when` is older than C's (drizzle's migrator would skip it).
    writeMigrationsFolder([A, B, C], folder);
    const status = await migrationStatus(db, { migrationsFolder: folder });
    expect(status.migrations.map((m) => [m.tag, m.state])).toEqual([
      ["0000_a", "applied"],
      ["0001_b", "pending"],
      ["0002_c", "applied"],
    ]);
    expect(statusExitCode(status)).toBe(EXIT.pending);
    expect((await migrate(db, { migrationsFolder: folder })).map((r) => r.tag)).toEqual(["0001_b"]);
    expect(await tableExists(db, "b")).toBe(true);
    expect((await readHistory(db)).map((h) => h.createdAt)).toEqual([A.when, C.when, B.when]);
    expect(statusExitCode(await migrationStatus(db, { migrationsFolder: folder }))).toBe(EXIT.ok);
    expect(await migrate(db, { migrationsFolder: folder })).toEqual([]);
  });
});

describe("checksum safety", () => {
  it("reports an edited applied migration, refuses to migrate naming the file, and --accept-modified re-records it", async () => {
    const db = await fresh("modified");
    const folder = writeMigrationsFolder([A]);
    await migrate(db, { migrationsFolder: folder });
    const historyBefore = await readHistory(db);

    // Someone edits the applied migration and adds a new one.
    writeMigrationsFolder([{ ...A, sql: `${A.sql}\nCREATE INDEX a_id ON a (id);` }, C], folder);
    const status = await migrationStatus(db, { migrationsFolder: folder });
    expect(status.migrations.map((m) => [m.tag, m.state])).toEqual([
      ["0000_a", "modified"],
      ["0002_c", "pending"],
    ]);
    expect(status.migrations[0]?.recordedHash).toBe(historyBefore[0]?.hash);
    expect(statusExitCode(status)).toBe(EXIT.modified);
    expect(statusJson(status).migrations[0]).toMatchObject({ tag: "0000_a", state: "modified" });

    const refusal = await migrate(db, { migrationsFolder: folder }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ModifiedMigrationError);
    expect((refusal as Error).message).toContain(join(folder, "0000_a.sql"));
    expect((refusal as ModifiedMigrationError).modified.map((m) => m.tag)).toEqual(["0000_a"]);
    expect(await tableExists(db, "c")).toBe(false);
    expect(await readHistory(db)).toEqual(historyBefore);

    await expect(migrate(db, { migrationsFolder: folder, acceptModified: ["0002_c"] })).rejects.toThrow(
      /--accept-modified 0002_c: 0002_c is not an applied migration whose file changed/,
    );

    const applied = await migrate(db, { migrationsFolder: folder, acceptModified: ["0000_a"] });
    expect(applied.map((r) => r.tag)).toEqual(["0002_c"]);
    const after = await migrationStatus(db, { migrationsFolder: folder });
    expect(after.migrations.map((m) => m.state)).toEqual(["applied", "applied"]);
    expect(statusExitCode(after)).toBe(EXIT.ok);
    // Re-recorded on the same row (same id and created_at), not a second row.
    expect((await readHistory(db)).map((h) => [h.id, h.createdAt])).toEqual([
      [historyBefore[0]?.id, A.when],
      [expect.any(Number), C.when],
    ]);
  });

  it("status reports recorded migrations that have no file (exit 5)", async () => {
    const db = await fresh("unknown");
    const folder = writeMigrationsFolder([A]);
    await migrate(db, { migrationsFolder: folder });
    await db.execute(
      sql`INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('deadbeef', ${when(9)})`,
    );
    const status = await migrationStatus(db, { migrationsFolder: folder });
    expect(status.unknown.map((u) => u.hash)).toEqual(["deadbeef"]);
    expect(statusExitCode(status)).toBe(EXIT.unknownRecorded);
  });
});

describe("a failing migration", () => {
  const failing: ScratchMigration = {
    tag: "0003_fails",
    when: when(4),
    sql: "CREATE TABLE d (id integer PRIMARY KEY);\n--> statement-breakpoint\nALTER TABLE a ADD COLUMN x integer REFERENCES missing_table(id);",
  };

  it("by default: is rolled back alone, the migrations before it stay committed, and the error says so", async () => {
    const db = await fresh("failing");
    const folder = writeMigrationsFolder([A]);
    await migrate(db, { migrationsFolder: folder });
    const historyBefore = await readHistory(db);

    writeMigrationsFolder([A, C, failing], folder);
    const error = await migrate(db, { migrationsFolder: folder }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    const failure = error as MigrationError;
    expect(failure.tag).toBe("0003_fails");
    expect(failure.statementIndex).toBe(1);
    expect(failure.message).toMatch(/Migration 0003_fails\.sql failed at statement 2 of 2: .*missing_table/);
    expect(failure.message).toContain("ALTER TABLE a ADD COLUMN x integer REFERENCES missing_table(id)");
    expect(failure.message).toContain("Committed before it in this run: 0002_c. 0003_fails was rolled back.");

    expect(await tableExists(db, "c")).toBe(true);
    expect(await tableExists(db, "d")).toBe(false);
    expect((await readHistory(db)).map((h) => h.createdAt)).toEqual([
      ...historyBefore.map((h) => h.createdAt),
      C.when,
    ]);
    const status = await migrationStatus(db, { migrationsFolder: folder });
    expect(status.migrations.map((m) => m.state)).toEqual(["applied", "applied", "pending"]);
  });

  it("statements after the failing one, sent with it in one batch, leave nothing either", async () => {
    const db = await fresh("failing_batch");
    const folder = writeMigrationsFolder([A]);
    await migrate(db, { migrationsFolder: folder });
    const historyBefore = await readHistory(db);
    // Each statement alone would succeed but the second; the runner sends all three (and the history
    // row) before the first answer comes back.
    const middle: ScratchMigration = {
      tag: "0001_middle_fails",
      when: when(2),
      sql: [
        "CREATE TABLE d (id integer PRIMARY KEY);",
        "INSERT INTO a VALUES (1), (1);",
        "CREATE TABLE e (id integer PRIMARY KEY);",
      ].join("\n--> statement-breakpoint\n"),
    };
    writeMigrationsFolder([A, middle], folder);
    const error = await migrate(db, { migrationsFolder: folder }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    const failure = error as MigrationError;
    expect(failure.tag).toBe("0001_middle_fails");
    expect(failure.statementIndex).toBe(1);
    expect(failure.message).toMatch(
      /^Migration 0001_middle_fails\.sql failed at statement 2 of 3: duplicate key value violates unique constraint "a_pkey" \[23505\]\n {2}statement: INSERT INTO a VALUES \(1\), \(1\);\n0001_middle_fails was rolled back\.$/,
    );
    for (const table of ["d", "e"]) expect(await tableExists(db, table)).toBe(false);
    const [count] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM a`);
    expect(count?.n).toBe(0);
    expect(await readHistory(db)).toEqual(historyBefore);
  });

  it("a migration whose history row cannot be written is rolled back, and the error says that step failed", async () => {
    const db = await fresh("failing_record");
    const folder = writeMigrationsFolder([A]);
    await migrate(db, { migrationsFolder: folder });
    const historyBefore = await readHistory(db);
    const dropsHistory: ScratchMigration = {
      tag: "0001_drops_history",
      when: when(2),
      sql: "CREATE TABLE d (id integer PRIMARY KEY);\n--> statement-breakpoint\nDROP TABLE drizzle.__drizzle_migrations;",
    };
    writeMigrationsFolder([A, dropsHistory], folder);
    const error = await migrate(db, { migrationsFolder: folder }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).statementIndex).toBe(2);
    expect((error as Error).message).toMatch(
      /^Migration 0001_drops_history\.sql ran, but recording it in the history failed: .*__drizzle_migrations.* does not exist \[42P01\]\n {2}statement: INSERT INTO "drizzle"\."__drizzle_migrations"/,
    );
    expect(await tableExists(db, "d")).toBe(false);
    expect(await readHistory(db)).toEqual(historyBefore);
  });

  it("--single-transaction on a migrated database: same catalog, same history", async () => {
    const db = await fresh("failing_single");
    const folder = writeMigrationsFolder([A]);
    await migrate(db, { migrationsFolder: folder });
    const catalogBefore = await readCatalog(db);
    const historyBefore = await readHistory(db);

    writeMigrationsFolder([A, C, failing], folder);
    const error = await migrate(db, { migrationsFolder: folder, singleTransaction: true }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).message).toContain(
      "Nothing was applied: the whole run was rolled back.",
    );
    expect(await readCatalog(db)).toEqual(catalogBefore);
    expect(await readHistory(db)).toEqual(historyBefore);
    expect(await tableExists(db, "c")).toBe(false);
  });

  it("--single-transaction on an empty database: no tables and no drizzle schema are left behind", async () => {
    const db = await fresh("failing_empty");
    const folder = writeMigrationsFolder([A, failing]);
    await expect(migrate(db, { migrationsFolder: folder, singleTransaction: true })).rejects.toBeInstanceOf(
      MigrationError,
    );
    expect((await readCatalog(db)).size).toBe(0);
    const [schema] = await rows<{ present: boolean }>(
      db,
      sql`SELECT to_regnamespace('drizzle') IS NOT NULL AS present`,
    );
    expect(schema?.present).toBe(false);
  });

  it("by default, when the first migration fails on an empty database: nothing is left, not even the history table", async () => {
    const db = await fresh("failing_first");
    const folder = writeMigrationsFolder([{ ...failing, tag: "0000_fails", when: when(0) }]);
    await expect(migrate(db, { migrationsFolder: folder })).rejects.toBeInstanceOf(MigrationError);
    expect((await readCatalog(db)).size).toBe(0);
    const [schema] = await rows<{ present: boolean }>(
      db,
      sql`SELECT to_regnamespace('drizzle') IS NOT NULL AS present`,
    );
    expect(schema?.present).toBe(false);
  });
});

it("hashes files exactly as drizzle-orm's readMigrationFiles does (CRLF included)", async () => {
  const folder = writeMigrationsFolder([A, B]);
  writeFileSync(
    join(folder, "0001_b.sql"),
    "CREATE TABLE b (id integer PRIMARY KEY);\r\n--> statement-breakpoint\r\nSELECT 1;\r\n",
  );
  expect(readJournal(folder).map((m) => m.hash)).toEqual(
    readMigrationFiles({ migrationsFolder: folder }).map((m) => m.hash),
  );
});
