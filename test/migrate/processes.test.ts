/**
 * Separate processes on one server database (server only: PGlite has one connection):
 * four `tsx src/cli.ts migrate` queued on the advisory lock at once; drizzle-kit migrate and this runner sharing one history;
 * the CLI's exit codes for status and a refused migrate; and the CLI on a scratch PGlite directory.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER } from "../../src/config.js";
import { createDb, rows } from "../../src/db.js";
import { EXIT } from "../../src/errors/exit-codes.js";
import { LOCK_KEYS } from "../../src/locks.js";
import { readHistory } from "../../src/migrate/history.js";
import { readJournal } from "../../src/migrate/journal.js";
import { migrate } from "../../src/migrate/runner.js";
import { MIGRATION_APPLICATION_NAME } from "../../src/migrate/session.js";
import { migrationStatus, statusExitCode } from "../../src/migrate/status.js";
import { createEmptyDatabase, onServer } from "../support/test-db.js";
import { cli, run, type ScratchMigration, writeMigrationsFolder } from "./support.js";

const disposers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const d of disposers.reverse()) await d();
});

async function empty(label: string) {
  const e = await createEmptyDatabase(label);
  const handle = await createDb({ url: e.url, max: 2 });
  disposers.push(async () => {
    await handle.close();
    await e.drop();
  });
  return { url: e.url, db: handle.db };
}

describe.runIf(onServer())("several processes on one database (server only)", () => {
  it("four concurrent `migrate` runs all exit 0 and record each migration once", async () => {
    const { url, db } = await empty("concurrent");
    // Hold the runner's lock so all four start and queue on it, then let them go at once.
    const holder = postgres(url, { max: 1, onnotice: () => {} });
    disposers.push(() => holder.end());
    const conn = await holder.reserve();
    await conn`BEGIN`;
    await conn`SELECT pg_advisory_xact_lock(${LOCK_KEYS.migration.toString()}::bigint)`;
    const pending = Promise.all([1, 2, 3, 4].map(() => cli(["migrate"], { DATABASE_URL: url })));
    await expect
      .poll(
        async () =>
          (
            await rows<{ n: number }>(
              db,
              // Waiters poll pg_try_advisory_lock (a blocked pg_advisory_lock deadlocks with
              // CREATE INDEX CONCURRENTLY): count their migration sessions instead.
              sql`SELECT count(*)::int AS n FROM pg_stat_activity
                 WHERE datname = current_database() AND application_name = ${MIGRATION_APPLICATION_NAME}`,
            )
          )[0]?.n,
        { timeout: 60_000, interval: 200 },
      )
      .toBe(4);
    await conn`COMMIT`;
    conn.release();
    const runs = await pending;
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const journal = readJournal();
    const history = await readHistory(db);
    expect(history.map((h) => h.hash).sort()).toEqual(journal.map((m) => m.hash).sort());
    // Exactly one process applied everything; the three that waited for the lock found nothing.
    const appliers = runs.filter((r) => r.stdout.includes(`applied ${journal[0]!.tag}`));
    const idle = runs.filter((r) => r.stdout.includes("nothing to apply"));
    expect([appliers.length, idle.length]).toEqual([1, 3]);
    expect(appliers[0]!.stdout).toMatch(new RegExp(`applied ${journal.length} migration\\(s\\) in \\d+ ms`));
  });

  it("drizzle-kit migrate, then this runner: status is up to date and nothing is re-applied", async () => {
    const { url, db } = await empty("kit_first");
    const kit = await run("npx", ["drizzle-kit", "migrate"], { DATABASE_URL: url });
    // drizzle-kit cannot run a no-transaction migration (drizzle.config.ts refuses, see
    // no-transaction.test.ts): once drizzle/ has one, the deploy command is db:migrate.
    const loose = readJournal().filter((f) => f.noTransaction);
    if (loose.length > 0) {
      expect(kit.code, kit.stderr + kit.stdout).toBe(1);
      expect(kit.stderr).toContain(`drizzle-kit migrate cannot apply ${loose.map((f) => f.tag).join(", ")}`);
      expect(await readHistory(db)).toEqual([]);
      await migrate(db);
      const after = await run("npx", ["drizzle-kit", "migrate"], { DATABASE_URL: url });
      expect(after.code, after.stderr + after.stdout).toBe(0);
    } else expect(kit.code, kit.stderr + kit.stdout).toBe(0);
    const status = await migrationStatus(db);
    expect(status.migrations.every((m) => m.state === "applied")).toBe(true);
    expect(statusExitCode(status)).toBe(EXIT.ok);
    expect(await migrate(db)).toEqual([]);
    const cliStatus = await cli(["status"], { DATABASE_URL: url });
    expect(cliStatus.code, cliStatus.stdout).toBe(EXIT.ok);
    expect(cliStatus.stdout).toContain("up to date");
  });

  it("this runner, then drizzle-kit migrate: drizzle-kit finds nothing to do", async () => {
    const { url, db } = await empty("runner_first");
    await migrate(db);
    const before = await readHistory(db);
    const kit = await run("npx", ["drizzle-kit", "migrate"], { DATABASE_URL: url });
    expect(kit.code, kit.stderr + kit.stdout).toBe(0);
    expect(await readHistory(db)).toEqual(before);
  });

  it("CLI exit codes: status 3 pending / 4 modified / 0, migrate 4 on an edited migration, --json", async () => {
    const { url, db } = await empty("cli_codes");
    const A: ScratchMigration = {
      tag: "0000_a",
      when: 1_700_000_000_000,
      sql: "CREATE TABLE a (id integer);",
    };
    const B: ScratchMigration = {
      tag: "0001_b",
      when: 1_700_000_100_000,
      sql: "CREATE TABLE b (id integer);",
    };
    const folder = writeMigrationsFolder([A, B]);
    const env = { DATABASE_URL: url };

    const pending = await cli(["status", "--migrations", folder, "--json"], env);
    expect(pending.code).toBe(EXIT.pending);
    const json = JSON.parse(pending.stdout) as {
      upToDate: boolean;
      migrations: { tag: string; state: string }[];
    };
    expect(json.upToDate).toBe(false);
    expect(json.migrations.map((m) => m.state)).toEqual(["pending", "pending"]);

    const migrated = await cli(["migrate", "--migrations", folder], env);
    expect(migrated.code, migrated.stderr).toBe(EXIT.ok);
    expect(migrated.stdout).toMatch(/applied 0000_a \(\d+ ms\)\n.*applied 0001_b \(\d+ ms\)/);
    expect((await cli(["status", "--migrations", folder], env)).code).toBe(EXIT.ok);

    writeMigrationsFolder([{ ...A, sql: "CREATE TABLE a (id bigint);" }, B], folder);
    const modified = await cli(["status", "--migrations", folder], env);
    expect(modified.code).toBe(EXIT.modified);
    expect(modified.stdout).toContain("MODIFIED  0000_a");
    const refused = await cli(["migrate", "--migrations", folder], env);
    expect(refused.code).toBe(EXIT.modified);
    expect(refused.stderr).toContain(`${folder}/0000_a.sql`);
    const accepted = await cli(["migrate", "--migrations", folder, "--accept-modified", "0000_a"], env);
    expect(accepted.code, accepted.stderr).toBe(EXIT.ok);
    expect((await cli(["status", "--migrations", folder], env)).code).toBe(EXIT.ok);
    const [count] = await rows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`,
    );
    expect(count?.n).toBe(2);

    const usage = await cli(["status", "--bogus"], env);
    expect(usage.code).toBe(EXIT.usage);
  });
});

describe("the CLI on the embedded PGlite database", () => {
  it("status 3 -> migrate -> status 0 -> drift 0, in a scratch working directory", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "netops-cli-pglite-"));
    disposers.push(async () => rmSync(cwd, { recursive: true, force: true }));
    const tsx = resolve("node_modules/.bin/tsx");
    const entry = resolve("src/cli.ts");
    const folder = resolve(MIGRATIONS_FOLDER);
    const embedded = (...args: string[]) =>
      run(tsx, [entry, ...args, "--migrations", folder], { DATABASE_URL: undefined }, cwd);

    const before = await embedded("status");
    expect(before.code, before.stderr).toBe(EXIT.pending);
    expect(before.stdout).toContain("migration status of pglite:./.data/pglite");
    const migrated = await embedded("migrate");
    expect(migrated.code, migrated.stderr).toBe(EXIT.ok);
    expect(migrated.stdout).toMatch(/applied \d+ migration\(s\) in \d+ ms/);
    expect((await embedded("status")).code).toBe(EXIT.ok);
    const drift = await embedded("drift");
    expect(drift.code, drift.stdout + drift.stderr).toBe(EXIT.ok);
    expect(drift.stdout).toContain("no drift");
  });
});
