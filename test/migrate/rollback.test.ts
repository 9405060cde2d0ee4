/**
 * Down migrations and db:rollback on a real database (server, or PGlite where one connection is
 * enough):
 *   - the round trip over every committed migration: for each k >= 1, the database at k rolled back
 *     one step has exactly the schema it had at k-1 (the drift check's comparison, zero
 *     differences), and migrating again gives exactly the schema at k;
 *   - refusals before anything runs: data loss (listed with row counts; --allow-data-loss
 *     proceeds), an irreversible down, a missing or edited down, 0000 and the baseline floor;
 *   - a down failing part-way leaves the schema and the history exactly as they were;
 *   - rollback and migrate take turns on the runner's advisory lock (server only).
 * Scratch migrations are appended to a copy of drizzle/ and found by tag, never by number.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER } from "../../src/config.js";
import { rows } from "../../src/db.js";
import { LockTimeoutError } from "../../src/errors/index.js";
import { baseline } from "../../src/migrate/baseline.js";
import { DOWN_RECORD_PATH, readDownRecord, writeDownRecord } from "../../src/migrate/downs.js";
import { compareSchemas, readSchema, type SchemaSnapshot } from "../../src/migrate/drift.js";
import { readHistory } from "../../src/migrate/history.js";
import { readJournal, sha256 } from "../../src/migrate/journal.js";
import { RollbackError, RollbackRefusedError, rollback } from "../../src/migrate/rollback.js";
import { migrate } from "../../src/migrate/runner.js";
import { MIGRATION_APPLICATION_NAME } from "../../src/migrate/session.js";
import { formatStatus, migrationStatus, statusJson } from "../../src/migrate/status.js";
import { onServer, scratchName } from "../support/test-db.js";
import { type FreshDatabase, freshDatabase } from "./support.js";

const files = readJournal();
const N = files.length;
const databases: FreshDatabase[] = [];
const scratch: string[] = [];

afterAll(async () => {
  for (const d of databases) await d.dispose();
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

async function database(label: string): Promise<FreshDatabase> {
  const d = await freshDatabase(label);
  databases.push(d);
  return d;
}

/** The differences between two schemas, one line each (empty = identical). */
const differences = (expected: SchemaSnapshot, actual: SchemaSnapshot) =>
  compareSchemas(expected, actual).items.map(
    (i) => `${i.change} ${i.kind} ${i.table ?? ""}.${i.name} ${JSON.stringify(i.differences ?? [])}`,
  );

/** A copy of drizzle/ with extra migrations (up, down) appended and their downs recorded. */
function folderWith(extra: { name: string; up: string; down: string | null }[]): {
  folder: string;
  tags: string[];
} {
  const dir = mkdtempSync(join(tmpdir(), "netops-rollback-"));
  scratch.push(dir);
  const folder = join(dir, "drizzle");
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalPath = join(folder, "meta/_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as {
    entries: { idx: number; version: string; when: number; tag: string; breakpoints: boolean }[];
  };
  const record = readDownRecord(folder);
  const tags: string[] = [];
  for (const m of extra) {
    const idx = journal.entries.length;
    const tag = `${String(idx).padStart(4, "0")}_${m.name}`;
    journal.entries.push({
      idx,
      version: "7",
      when: journal.entries.at(-1)!.when + 1000,
      tag,
      breakpoints: true,
    });
    writeFileSync(join(folder, `${tag}.sql`), m.up);
    if (m.down !== null) {
      writeFileSync(join(folder, `${tag}.down.sql`), m.down);
      record[tag] = { up: sha256(m.up), down: sha256(m.down) };
    }
    tags.push(tag);
  }
  writeFileSync(journalPath, JSON.stringify(journal, null, 2));
  writeDownRecord(folder, record);
  return { folder, tags };
}

/** The refusal a rollback ends with (fails the test when it succeeds or fails otherwise). */
async function refusal(attempt: Promise<unknown>): Promise<RollbackRefusedError> {
  const outcome = await attempt.then(
    () => new Error("the rollback ran"),
    (e: unknown) => e,
  );
  expect(outcome).toBeInstanceOf(RollbackRefusedError);
  return outcome as RollbackRefusedError;
}

const historyHashes = async (d: FreshDatabase) => (await readHistory(d.handle.db)).map((h) => h.hash);

describe("round trip over every committed migration", () => {
  it("each migration rolled back one step gives exactly the schema before it, and migrating again the schema at it", async () => {
    const d = await database("rt");
    const db = d.handle.db;
    // The schema at every k, as migrating up builds it.
    const at: SchemaSnapshot[] = [];
    for (const f of files) {
      await migrate(db, { to: f.tag });
      at.push(await readSchema(db));
    }
    // Every consecutive pair differs: otherwise the round trip below could not fail for it.
    for (let k = 1; k < N; k++)
      expect(differences(at[k - 1]!, at[k]!).length, files[k]!.tag).toBeGreaterThan(0);
    for (let k = N - 1; k >= 1; k--) {
      const tag = files[k]!.tag;
      const back = await rollback(db, { steps: 1 });
      expect(back.migrations.map((m) => m.tag)).toEqual([tag]);
      expect(differences(at[k - 1]!, await readSchema(db)), `${tag} rolled back`).toEqual([]);
      expect(await historyHashes(d)).toEqual(files.slice(0, k).map((f) => f.hash));
      await migrate(db, { to: tag });
      expect(differences(at[k]!, await readSchema(db)), `${tag} migrated again`).toEqual([]);
      await rollback(db, { steps: 1 });
    }
    expect(differences(at[0]!, await readSchema(db))).toEqual([]);
  }, 600_000);
});

describe("refusals, before anything runs", () => {
  const demo = {
    name: "rollback_demo",
    up:
      'CREATE TABLE "rollback_demo" ("id" integer PRIMARY KEY, "asset_id" uuid REFERENCES "assets"("id"));--> statement-breakpoint\n' +
      'ALTER TABLE "vendors" ADD COLUMN "demo_note" text;',
    down: 'ALTER TABLE "vendors" DROP COLUMN "demo_note";--> statement-breakpoint\nDROP TABLE "rollback_demo";\n',
  };

  it("a down that loses data is refused with each loss and its row count; --allow-data-loss proceeds", async () => {
    const { folder, tags } = folderWith([demo]);
    const d = await database("loss");
    const db = d.handle.db;
    await migrate(db, { migrationsFolder: folder });
    const before = await readSchema(db);
    const history = await historyHashes(d);
    await db.execute(sql`INSERT INTO rollback_demo (id) VALUES (1), (2), (3)`);
    await db.execute(
      sql`INSERT INTO vendors (name, demo_note) VALUES ('a', 'kept?'), ('b', 'kept?'), ('c', NULL)`,
    );

    const error = await refusal(rollback(db, { migrationsFolder: folder, steps: 1 }));
    expect(error.reason).toBe("data-loss");
    expect(error.losses.map((l) => [l.tag, l.statement, l.kind, l.table, l.column ?? null, l.rows])).toEqual([
      [tags[0], 1, "column", "vendors", "demo_note", 2],
      [tags[0], 2, "table", "rollback_demo", null, 3],
    ]);
    expect(error.message).toContain(
      `${tags[0]}.down.sql statement 1: DROP COLUMN vendors.demo_note: 2 non-null value(s)`,
    );
    expect(error.message).toContain(`${tags[0]}.down.sql statement 2: DROP TABLE rollback_demo: 3 row(s)`);
    expect(error.message).toContain("--allow-data-loss");
    // Nothing changed.
    expect(differences(before, await readSchema(db))).toEqual([]);
    expect(await historyHashes(d)).toEqual(history);

    const done = await rollback(db, { migrationsFolder: folder, steps: 1, allowDataLoss: true });
    expect(done.migrations.map((m) => m.tag)).toEqual(tags);
    expect(done.losses.map((l) => l.rows)).toEqual([2, 3]);
    const [gone] = await rows<{ t: string | null }>(db, sql`SELECT to_regclass('rollback_demo')::text AS t`);
    expect(gone?.t).toBeNull();
    expect(await historyHashes(d)).toEqual(history.slice(0, -1));
  });

  it("a down whose tables and columns hold nothing runs without --allow-data-loss", async () => {
    const { folder, tags } = folderWith([demo]);
    const d = await database("noloss");
    await migrate(d.handle.db, { migrationsFolder: folder });
    const done = await rollback(d.handle.db, { migrationsFolder: folder, to: files.at(-1)!.tag });
    expect(done.migrations.map((m) => m.tag)).toEqual(tags);
    expect(done.losses.map((l) => l.rows)).toEqual([0, 0]);
  });

  it("irreversible, missing, unwritten and edited downs are refused, each named; nothing runs", async () => {
    const { folder, tags } = folderWith([
      {
        name: "ok_one",
        up: 'CREATE INDEX "idx_demo_a" ON "vendors" ("phone");',
        down: 'DROP INDEX "idx_demo_a";',
      },
      {
        name: "backfill",
        up: 'UPDATE "vendors" SET "phone" = \'\' WHERE "phone" IS NULL;',
        down: "-- irreversible: the NULL phones were overwritten; nothing records which they were\n",
      },
    ]);
    const d = await database("irrev");
    const db = d.handle.db;
    await migrate(db, { migrationsFolder: folder });
    const before = await readSchema(db);
    const history = await historyHashes(d);
    const attempt = (steps: number) => refusal(rollback(db, { migrationsFolder: folder, steps }));

    let error = await attempt(2);
    expect(error.reason).toBe("down");
    expect(error.message).toContain(`${tags[1]}: irreversible: the NULL phones were overwritten`);
    // db:status says the same per applied migration.
    const status = await migrationStatus(db, { migrationsFolder: folder });
    const text = formatStatus(status);
    expect(text).toContain(`${files[0]!.tag}  (journal when`);
    expect(text).toMatch(
      new RegExp(`${files[0]!.tag} .*rollback: no \\(the first migration is never rolled back\\)`),
    );
    expect(text).toMatch(new RegExp(`${tags[0]} .*rollback: yes`));
    expect(text).toMatch(
      new RegExp(`${tags[1]} .*rollback: no \\(irreversible: the NULL phones were overwritten`),
    );
    const json = statusJson(status).migrations;
    expect(json.filter((m) => m.reversible).map((m) => m.tag)).toEqual([
      ...files.slice(1).map((f) => f.tag),
      tags[0],
    ]);

    // Edited after it was recorded.
    const down = join(folder, `${tags[1]}.down.sql`);
    writeFileSync(down, 'ALTER TABLE "vendors" ALTER COLUMN "phone" DROP DEFAULT;\n');
    error = await attempt(1);
    expect(error.message).toMatch(new RegExp(`${tags[1]}.down.sql changed after it was recorded`));
    // Missing.
    rmSync(down);
    error = await attempt(1);
    expect(error.message).toContain(`${tags[1]}.down.sql does not exist`);
    // Not recorded at all.
    writeFileSync(down, 'ALTER TABLE "vendors" ALTER COLUMN "phone" DROP DEFAULT;\n');
    const record = readDownRecord(folder);
    delete record[tags[1]!];
    writeDownRecord(folder, record);
    error = await attempt(1);
    expect(error.message).toContain(`not recorded in ${DOWN_RECORD_PATH}`);

    expect(differences(before, await readSchema(db))).toEqual([]);
    expect(await historyHashes(d)).toEqual(history);
  });

  it("0000 is never rolled back, nor anything at or below an adopted database's baseline", async () => {
    const d = await database("floor");
    const db = d.handle.db;
    await migrate(db);
    const error = await refusal(rollback(db, { steps: N }));
    expect(error.reason).toBe("floor");
    expect(error.message).toContain(`${files[0]!.tag} is the baseline schema and is never rolled back`);
    expect(await historyHashes(d)).toHaveLength(N);

    // An adopted database: built outside the migrations (here: migrated, then its history dropped),
    // baselined at N-2, then migrated. Rolling back N-2 itself is below its history.
    const adopted = await database("adopted");
    await migrate(adopted.handle.db, { to: files[N - 2]!.tag });
    await adopted.handle.db.execute(sql`DROP SCHEMA drizzle CASCADE`);
    const target = adopted.url
      ? ({ driver: "postgres", url: adopted.url } as const)
      : ({ driver: "pglite" } as const);
    const result = await baseline(adopted.handle.db, target, {
      to: files[N - 2]!.tag,
      ...(onServer() ? { scratchName: scratchName("rbbase") } : {}),
    });
    expect(result.status).toBe("baselined");
    await migrate(adopted.handle.db);
    const below = await refusal(rollback(adopted.handle.db, { steps: 2 }));
    expect(below.reason).toBe("floor");
    expect(below.message).toContain(`adopted (baselined) at ${files[N - 2]!.tag}`);
    const above = await rollback(adopted.handle.db, { steps: 1 });
    expect(above.migrations.map((m) => m.tag)).toEqual([files[N - 1]!.tag]);
  });
});

describe("history this checkout does not match", () => {
  it("refuses while an applied migration was edited, or the database ran migrations not here", async () => {
    const { folder, tags } = folderWith([
      {
        name: "edited_up",
        up: 'CREATE INDEX "idx_demo_e" ON "vendors" ("phone");',
        down: 'DROP INDEX "idx_demo_e";',
      },
    ]);
    const d = await database("history");
    const db = d.handle.db;
    await migrate(db, { migrationsFolder: folder });
    writeFileSync(
      join(folder, `${tags[0]}.sql`),
      'CREATE INDEX "idx_demo_e" ON "vendors" ("phone", "name");',
    );
    const edited = await refusal(rollback(db, { migrationsFolder: folder, steps: 1 }));
    expect(edited.reason).toBe("modified");
    expect(edited.message).toContain(`${tags[0]}.sql`);
    // The committed folder lacks the extra migration: its history row is unknown here.
    const unknown = await refusal(rollback(db, { steps: 1 }));
    expect(unknown.reason).toBe("unknown-history");
  });
});

describe("a no-transaction down (DROP INDEX CONCURRENTLY)", () => {
  it("is rolled back alone, outside a transaction; together with another it is refused", async () => {
    const { folder, tags } = folderWith([
      {
        name: "concurrent_index",
        up: '-- migrate:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS "idx_demo_concurrent" ON "vendors" ("phone");',
        down: '-- migrate:no-transaction\nDROP INDEX CONCURRENTLY IF EXISTS "idx_demo_concurrent";\n',
      },
    ]);
    const d = await database("notx");
    const db = d.handle.db;
    await migrate(db, { migrationsFolder: folder });
    const history = await historyHashes(d);
    const both = await refusal(rollback(db, { migrationsFolder: folder, steps: 2 }));
    expect(both.message).toContain(`${tags[0]}: its down runs outside a transaction`);
    expect(await historyHashes(d)).toEqual(history);

    const done = await rollback(db, { migrationsFolder: folder, steps: 1 });
    expect(done.migrations.map((m) => m.tag)).toEqual(tags);
    const [index] = await rows<{ i: string | null }>(
      db,
      sql`SELECT to_regclass('idx_demo_concurrent')::text AS i`,
    );
    expect(index?.i).toBeNull();
    expect(await historyHashes(d)).toEqual(history.slice(0, -1));
  });
});

describe("a failing down", () => {
  it("names the file and statement, and leaves the schema and the history as they were", async () => {
    const { folder, tags } = folderWith([
      {
        name: "breaks_later",
        up: 'CREATE INDEX "idx_demo_phone" ON "vendors" ("phone");',
        down: 'DROP INDEX "idx_demo_phone";--> statement-breakpoint\nALTER TABLE "vendors" DROP CONSTRAINT "no_such_constraint";\n',
      },
      {
        name: "fine",
        up: 'CREATE INDEX "idx_demo_name" ON "vendors" ("name");',
        down: 'DROP INDEX "idx_demo_name";\n',
      },
    ]);
    const d = await database("fail");
    const db = d.handle.db;
    await migrate(db, { migrationsFolder: folder });
    const before = await readSchema(db);
    const history = await readHistory(db);

    const error = await rollback(db, { migrationsFolder: folder, steps: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RollbackError);
    const failed = error as RollbackError;
    expect(failed.tag).toBe(tags[0]);
    expect(failed.statementNumber).toBe(2);
    expect(failed.message).toContain(`${tags[0]}.down.sql at statement 2 of 2`);
    expect(failed.message).toContain('constraint "no_such_constraint" of relation "vendors" does not exist');
    expect(failed.message).toContain("Nothing was rolled back");
    // The newer down (idx_demo_name) and the first statement (idx_demo_phone) were undone too.
    expect(differences(before, await readSchema(db))).toEqual([]);
    expect(await readHistory(db)).toEqual(history);
  });
});

describe.runIf(onServer())("rollback and migrate on the same database", () => {
  it("a down waiting for a table lock gives up after lock_timeout, names the blocker, changes nothing", async () => {
    const { folder, tags } = folderWith([
      {
        name: "plain_index",
        up: 'CREATE INDEX "idx_demo_blocked" ON "vendors" ("phone");',
        down: 'DROP INDEX "idx_demo_blocked";\n',
      },
    ]);
    const d = await database("locktimeout");
    const db = d.handle.db;
    await migrate(db, { migrationsFolder: folder });
    const history = await historyHashes(d);
    const postgres = (await import("postgres")).default;
    const reader = postgres(d.url!, { max: 1, connection: { application_name: "downs-test-reader" } });
    try {
      // A long transaction that read vendors: DROP INDEX needs ACCESS EXCLUSIVE on it.
      const holding = reader.begin(async (r) => {
        await r`SELECT count(*) FROM vendors`;
        await r`SELECT pg_sleep(2)`;
      });
      await new Promise((r) => setTimeout(r, 300));
      const error = await rollback(db, {
        migrationsFolder: folder,
        steps: 1,
        lockTimeoutMs: 200,
        retries: 0,
      }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(LockTimeoutError);
      expect((error as LockTimeoutError).message).toContain(`in ${tags[0]}.down.sql`);
      expect((error as LockTimeoutError).message).toContain("downs-test-reader");
      await holding;
    } finally {
      await reader.end();
    }
    expect(await historyHashes(d)).toEqual(history);
    const [index] = await rows<{ i: string | null }>(
      db,
      sql`SELECT to_regclass('idx_demo_blocked')::text AS i`,
    );
    expect(index?.i).toBe("idx_demo_blocked");
  }, 60_000);

  it("take turns on the runner's advisory lock", async () => {
    const { folder, tags } = folderWith([
      {
        name: "slow",
        up: 'SELECT pg_sleep(1.5);--> statement-breakpoint\nCREATE INDEX "idx_demo_slow" ON "vendors" ("phone");',
        down: 'SELECT pg_sleep(1.5);--> statement-breakpoint\nDROP INDEX "idx_demo_slow";\n',
      },
    ]);
    const d = await database("lock");
    const db = d.handle.db;
    await migrate(db, { migrationsFolder: folder, to: files.at(-1)!.tag });
    const { createDb } = await import("../../src/db.js");
    const other = await createDb({ url: d.url!, max: 2 });
    // Sessions waiting for the lock: the runner's session polls pg_try_advisory_lock (no ungranted
    // lock to see), so count migration sessions beyond the one holding it.
    const waiting = async () => {
      const [w] = await rows<{ n: number }>(
        other.db,
        sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = ${MIGRATION_APPLICATION_NAME}`,
      );
      return Math.max(0, (w?.n ?? 0) - 1);
    };
    const until = async (check: () => Promise<boolean>) => {
      for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 25));
    };
    try {
      // migrate holds the lock (sleeping in the slow migration); rollback waits, then undoes it.
      const migrating = migrate(db, { migrationsFolder: folder });
      await until(
        async () =>
          (
            await rows(
              other.db,
              sql`SELECT 1 FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(1.5)%' AND pid <> pg_backend_pid()`,
            )
          ).length > 0,
      );
      const rollingBack = rollback(other.db, { migrationsFolder: folder, steps: 1 });
      await until(async () => (await waiting()) === 1);
      expect(await waiting()).toBe(1);
      expect((await migrating).map((m) => m.tag)).toEqual(tags);
      expect((await rollingBack).migrations.map((m) => m.tag)).toEqual(tags);

      // The reverse: a rollback holds the lock; migrate waits, then applies it again.
      await migrate(db, { migrationsFolder: folder });
      const back = rollback(db, { migrationsFolder: folder, steps: 1 });
      await until(
        async () =>
          (
            await rows(
              other.db,
              sql`SELECT 1 FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(1.5)%' AND pid <> pg_backend_pid()`,
            )
          ).length > 0,
      );
      const again = migrate(other.db, { migrationsFolder: folder });
      await until(async () => (await waiting()) === 1);
      expect(await waiting()).toBe(1);
      expect((await back).migrations.map((m) => m.tag)).toEqual(tags);
      expect((await again).map((m) => m.tag)).toEqual(tags);
      expect((await readHistory(db)).map((h) => h.hash).at(-1)).toBe(
        sha256(readFileSync(join(folder, `${tags[0]}.sql`), "utf8")),
      );
    } finally {
      await other.close();
    }
  }, 60_000);
});
