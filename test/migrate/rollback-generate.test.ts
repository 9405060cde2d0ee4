/**
 * Generated downs, end to end, in a temporary copy of the project (package files, src/, seed/, scripts/,
 * drizzle/, drizzle.config.ts; node_modules linked), as an engineer works: a schema change in
 * src/schema, `npm run db:generate`, then the migration and its generated down on a real database.
 * The change: a column added to assets, a table with a foreign key to assets, a value added to the
 * asset status list (a CHECK rewritten) and an index. Its down must take the database back to
 * exactly the schema before it (drift check, zero differences) and migrating again must give the
 * schema of the whole chain; with rows in the new table and column the CLI refuses and lists them
 * with their counts (exit 7), and `--allow-data-loss` proceeds. Also: a custom migration gets a
 * template that migrations:check refuses until it is written, and an edited down fails the check.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rows } from "../../src/db.js";
import { readDownRecord } from "../../src/migrate/downs.js";
import { compareSchemas, readSchema, referenceSchema, type SchemaSnapshot } from "../../src/migrate/drift.js";
import { readJournal } from "../../src/migrate/journal.js";
import { migrate } from "../../src/migrate/runner.js";
import { onServer, scratchName } from "../support/test-db.js";
import { type FreshDatabase, freshDatabase, npmIn } from "./support.js";

const ROOT = resolve(".");
const N = readJournal().length;
const TABLES = "src/schema/assets/tables.ts";
let repo: string;
let tag: string;
const databases: FreshDatabase[] = [];

const npm = npmIn(() => repo);
const folder = () => join(repo, "drizzle");

function edit(path: string, from: string, to: string): void {
  const full = join(repo, path);
  const text = readFileSync(full, "utf8");
  expect(text.includes(from), `${from} in ${path}`).toBe(true);
  writeFileSync(full, text.replace(from, to));
}

const differences = (expected: SchemaSnapshot, actual: SchemaSnapshot) =>
  compareSchemas(expected, actual).items.map((i) => `${i.change} ${i.kind} ${i.table ?? ""}.${i.name}`);

beforeAll(async () => {
  repo = mkdtempSync(join(tmpdir(), "netops-downs-"));
  for (const f of ["package.json", "tsconfig.json", "drizzle.config.ts", "src", "seed", "scripts", "drizzle"])
    cpSync(join(ROOT, f), join(repo, f), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(repo, "node_modules"));

  edit(
    TABLES,
    '    notes: text("notes"),\n',
    '    notes: text("notes"),\n    rackUnit: integer("rack_unit"),\n',
  );
  edit(
    TABLES,
    '    index("idx_assets_mgmt_ip").on(t.mgmtIp),\n',
    '    index("idx_assets_mgmt_ip").on(t.mgmtIp),\n    index("idx_assets_hostname").on(t.hostname),\n',
  );
  edit(TABLES, '"disposed", "lost"] as const;', '"disposed", "lost", "on_loan"] as const;');
  writeFileSync(
    join(repo, TABLES),
    `${readFileSync(join(repo, TABLES), "utf8")}
export const assetLabels = pgTable("asset_labels", {
  id: uuid("id").primaryKey().defaultRandom(),
  assetId: uuid("asset_id")
    .notNull()
    .references(() => assets.id, { onDelete: "cascade" }),
  label: text("label").notNull(),
});
`,
  );
  const generated = await npm("db:generate", ["--name", "labels_and_rack_unit"]);
  expect(generated.code, generated.stdout + generated.stderr).toBe(0);
  tag = /wrote drizzle\/(\S+)\.sql;/.exec(generated.stdout)![1]!;
  expect(generated.stdout).toContain(
    `wrote drizzle/${tag}.down.sql (generated from the snapshots; review it)`,
  );
}, 180_000);

afterAll(async () => {
  for (const d of databases) await d.dispose();
  if (repo) rmSync(repo, { recursive: true, force: true });
});

describe("a generated down", () => {
  it("undoes each part of the change, and is recorded with its up", () => {
    const down = readFileSync(join(folder(), `${tag}.down.sql`), "utf8");
    expect(down).toContain('DROP TABLE "asset_labels"');
    expect(down).toContain('DROP INDEX "idx_assets_hostname"');
    expect(down).toMatch(/ALTER TABLE "assets" DROP COLUMN "rack_unit"/);
    expect(down).toMatch(/ADD CONSTRAINT "assets_status_check" CHECK .*'lost'\)/);
    expect(down).not.toContain("on_loan");
    expect(Object.keys(readDownRecord(folder()))).toContain(tag);
  });

  it("round-trips on a real database: back to exactly the schema before it, then forward again", async () => {
    const d = await freshDatabase("gendown");
    databases.push(d);
    const db = d.handle.db;
    const target = d.url ? ({ driver: "postgres", url: d.url } as const) : ({ driver: "pglite" } as const);
    const scratch = onServer() ? { scratchName: scratchName("gendownref") } : {};
    const before = await referenceSchema(target, {
      migrationsFolder: folder(),
      to: readJournal(folder())[N - 1]!.tag,
      ...scratch,
    });
    await migrate(db, { migrationsFolder: folder() });
    const after = await readSchema(db);
    expect(differences(before, after).length).toBeGreaterThan(3);

    // Rows in the new table and column: the CLI refuses and lists them (a server: the CLI needs a URL).
    const [asset] = await rows<{ id: string }>(
      db,
      sql`INSERT INTO assets (asset_code, rack_unit) VALUES ('A-1', 7) RETURNING id`,
    );
    await db.execute(
      sql`INSERT INTO asset_labels (asset_id, label) VALUES (${asset!.id}, 'x'), (${asset!.id}, 'y')`,
    );
    if (d.url) {
      const refused = await npm("db:rollback", ["--steps", "1"], { DATABASE_URL: d.url });
      expect(refused.code, refused.stdout + refused.stderr).toBe(7);
      expect(refused.stderr).toContain(`${tag}.down.sql statement`);
      expect(refused.stderr).toMatch(/DROP TABLE asset_labels: 2 row\(s\)/);
      expect(refused.stderr).toMatch(/DROP COLUMN assets\.rack_unit: 1 non-null value\(s\)/);
      expect(differences(after, await readSchema(db))).toEqual([]);
      const done = await npm("db:rollback", ["--steps", "1", "--allow-data-loss"], { DATABASE_URL: d.url });
      expect(done.code, done.stdout + done.stderr).toBe(0);
      expect(done.stdout).toContain(`rolled back 1 migration(s): ${tag}`);
    } else {
      const { rollback } = await import("../../src/migrate/rollback.js");
      await expect(rollback(db, { migrationsFolder: folder(), steps: 1 })).rejects.toThrow(
        /DROP TABLE asset_labels: 2 row/,
      );
      await rollback(db, { migrationsFolder: folder(), steps: 1, allowDataLoss: true });
    }
    expect(differences(before, await readSchema(db))).toEqual([]);
    await migrate(db, { migrationsFolder: folder() });
    expect(differences(after, await readSchema(db))).toEqual([]);
  }, 180_000);
});

describe("migrations:check and the downs", () => {
  it("a custom migration gets a template the check refuses until it is written and recorded", async () => {
    const custom = await npm("db:generate", ["--custom", "--name", "demo_function"]);
    expect(custom.code, custom.stdout + custom.stderr).toBe(0);
    const customTag = /wrote drizzle\/(\S+)\.sql/.exec(custom.stdout)![1]!;
    expect(custom.stdout).toContain(
      `wrote drizzle/${customTag}.down.sql: a custom migration, write its down by hand`,
    );
    const check = await npm("migrations:check");
    expect(check.code).toBe(1);
    expect(check.stderr).toContain(`${customTag}: unwritten`);

    writeFileSync(
      join(folder(), `${customTag}.sql`),
      "CREATE FUNCTION demo_one() RETURNS int LANGUAGE sql AS 'SELECT 1';\n",
    );
    writeFileSync(join(folder(), `${customTag}.down.sql`), "DROP FUNCTION demo_one();\n");
    const recorded = await npm("db:generate");
    expect(recorded.code, recorded.stderr).toBe(0);
    expect(recorded.stdout).toContain(`recorded drizzle/${customTag}.down.sql`);

    // Edited after it was recorded: refused until accepted.
    writeFileSync(join(folder(), `${customTag}.down.sql`), "DROP FUNCTION IF EXISTS demo_one();\n");
    const edited = await npm("db:generate");
    expect(edited.code).toBe(1);
    expect(edited.stderr).toContain(`--accept-down ${customTag}`);
    const accepted = await npm("db:generate", ["--accept-down", customTag]);
    expect(accepted.code, accepted.stderr).toBe(0);
  }, 180_000);
});
