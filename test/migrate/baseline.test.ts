/**
 * Adoption of the legacy production database. The fixture (test/fixtures/legacy/legacy-schema.sql)
 * is DDL transcribed by hand from the data-model document, not derived from drizzle/, so this test
 * fails when migration 0000 departs from the document. It is baselined to 0000 without running it,
 * as written and after a pg_dump / pg_restore round trip (production is restored from a dump); later
 * migrations then apply and no drift remains. The same fixture with differences is refused with
 * each one named and nothing written, not even the history table.
 */
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { uuid_ossp } from "@electric-sql/pglite/contrib/uuid_ossp";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import { afterAll, describe, expect, it } from "vitest";
import { createDb, type Database, type DbOrTx, rows } from "../../src/db.js";
import { EXIT } from "../../src/errors/exit-codes.js";
import { baseline } from "../../src/migrate/baseline.js";
import { readCatalog } from "../../src/migrate/catalog.js";
import { checkDrift, type DriftItem, type ReferenceTarget } from "../../src/migrate/drift.js";
import { historyExists, readHistory } from "../../src/migrate/history.js";
import { readJournal } from "../../src/migrate/journal.js";
import { migrate } from "../../src/migrate/runner.js";
import { migrationStatus, statusExitCode } from "../../src/migrate/status.js";
import * as schema from "../../src/schema/index.js";
import { parseSpec } from "../spec/spec-parser.js";
import { createEmptyDatabase, onServer, scratchName } from "../support/test-db.js";
import { cli, committedMigration, LEGACY_DUMP, loadDump, writeMigrationsFolder } from "./support.js";

const exec = promisify(execFile);
/** PostgreSQL's client tools; CI has them (a missing tool there fails the test instead of skipping it). */
const hasDumpTools =
  process.env.CI === "true" ||
  ["pg_dump", "pg_restore"].every((t) => spawnSync(t, ["--version"]).status === 0);
const disposers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const d of disposers.reverse()) await d();
});

const legacy = readFileSync(LEGACY_DUMP, "utf8");
const m0000 = committedMigration(0);
/** The real 0000 plus a small later migration: the adoption path whatever drizzle/ holds today. */
const scratchFolder = () =>
  writeMigrationsFolder([
    m0000,
    {
      tag: "0001_vendor_website",
      when: m0000.when + 1000,
      sql: "ALTER TABLE vendors ADD COLUMN website text;",
    },
  ]);

/** Replace `from` (which must occur once) in `text`. */
function edit(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`fixture edit: ${from} must occur once`);
  return text.replace(from, to);
}

/** The legacy schema with five differences from 0000, each of a different kind. */
const driftedLegacy = () =>
  [
    ["  phone VARCHAR(50),\n", "  phone VARCHAR(40),\n"],
    ["CREATE INDEX idx_assets_mgmt_ip ON assets(mgmt_ip);\n", ""],
    ["  path TEXT NOT NULL DEFAULT '/',\n", "  path TEXT NOT NULL DEFAULT '/',\n  legacy_code TEXT,\n"],
    ["  labor_cost NUMERIC(12,2) DEFAULT 0,\n", "  labor_cost NUMERIC(12,2) DEFAULT 1,\n"],
    [
      "  entity_type TEXT NOT NULL, -- repair_order, stock_document, spare_part, etc. (open: no CHECK)\n",
      "  entity_type TEXT NOT NULL CHECK (entity_type IN ('repair_order', 'stock_document', 'spare_part')),\n",
    ],
  ].reduce((text, [from, to]) => edit(text, from as string, to as string), legacy);

const DRIFTED = [
  "changed column vendors.phone",
  "missing index assets.idx_assets_mgmt_ip",
  "unexpected column locations.legacy_code",
  "changed column repair_orders.labor_cost",
  "unexpected constraint ops_events.ops_events_entity_type_check",
].sort();

async function footprint(db: DbOrTx) {
  return {
    catalog: await readCatalog(db),
    schemas: await rows(db, sql`SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' ORDER BY 1`),
  };
}

const named = (items: DriftItem[]) => items.map((i) => `${i.change} ${i.kind} ${i.table}.${i.name}`).sort();

describe("the legacy fixture is the document's DDL, not a copy of 0000", () => {
  const spec = parseSpec("docs/data-model.md");

  it("uses the legacy spellings: uuid-ossp defaults, DECIMAL DEFAULT 0, open lists without CHECK", () => {
    expect(legacy).toContain('CREATE EXTENSION IF NOT EXISTS "uuid-ossp";');
    expect(legacy.match(/DEFAULT uuid_generate_v4\(\)/g)).toHaveLength(42);
    expect(legacy).not.toContain("gen_random_uuid");
    expect(legacy).toContain("  labor_cost NUMERIC(12,2) DEFAULT 0,\n");
    expect(legacy).toContain("  total_cost DECIMAL(12,6) DEFAULT 0,\n");
    expect(legacy.match(/^ {2}field_type TEXT NOT NULL,/gm)).toHaveLength(2);
    expect(legacy).toMatch(
      /^ {2}entity_type TEXT NOT NULL, -- repair_order, stock_document, spare_part, etc\./m,
    );
    // Written as a team writes DDL, not as drizzle-kit or pg_dump do.
    expect(legacy).not.toContain("statement-breakpoint");
    expect(legacy).not.toContain("ALTER TABLE ONLY");
    expect(legacy).not.toMatch(/CONSTRAINT "/);
  });

  it("has every table of the document (plus chat_contexts) and exactly the document's indexes", () => {
    const tables = [...legacy.matchAll(/^CREATE TABLE (\w+) \(/gm)].map((m) => m[1]);
    expect(tables.sort()).toEqual([...spec.tables.map((t) => t.name), "chat_contexts"].sort());
    const indexes = [...legacy.matchAll(/^CREATE INDEX (\w+) ON (\w+)\(([^)]*)\);$/gm)].map((m) => ({
      name: m[1],
      table: m[2],
      columns: (m[3] ?? "").split(",").map((c) => {
        const [name = "", order] = c.trim().split(/\s+/);
        return { name, desc: order === "DESC" };
      }),
    }));
    const byName = (a: { name?: string }, b: { name?: string }) => (a.name ?? "").localeCompare(b.name ?? "");
    expect(indexes.sort(byName)).toEqual([...spec.indexes].sort(byName));
  });
});

describe.runIf(onServer())("baseline on a server", () => {
  async function legacyDatabase(label: string, text = legacy) {
    const e = await createEmptyDatabase(label);
    await loadDump(e.url, text);
    return open(e);
  }

  async function open(e: { url: string; drop(): Promise<void> }) {
    const handle = await createDb({ url: e.url, max: 2 });
    disposers.push(async () => {
      await handle.close();
      await e.drop();
    });
    const target: ReferenceTarget = { driver: "postgres", url: e.url };
    return { url: e.url, db: handle.db, target };
  }

  /** pg_dump (custom format) of `url` restored with pg_restore into a new database, as production was. */
  async function dumpAndRestore(url: string, label: string) {
    const file = join(mkdtempSync(join(tmpdir(), "netops-dump-")), "legacy.dump");
    await exec("pg_dump", [
      "--format=custom",
      "--schema-only",
      "--no-owner",
      "--no-acl",
      "--file",
      file,
      url,
    ]);
    const e = await createEmptyDatabase(label);
    await exec("pg_restore", ["--no-owner", "--no-acl", "--exit-on-error", "--dbname", e.url, file]);
    return open(e);
  }

  it("adopts the legacy database: records 0000 without running it, then migrate applies the rest", async () => {
    const { db, target } = await legacyDatabase("legacy");
    const folder = scratchFolder();
    const result = await baseline(db, target, {
      migrationsFolder: folder,
      scratchName: scratchName("baseref"),
    });
    expect(result).toEqual({ status: "baselined", recorded: [m0000.tag] });
    const status = await migrationStatus(db, { migrationsFolder: folder });
    expect(status.migrations.map((m) => [m.tag, m.state])).toEqual([
      [m0000.tag, "applied"],
      ["0001_vendor_website", "pending"],
    ]);
    expect((await readHistory(db)).map((h) => h.createdAt)).toEqual([m0000.when]);
    expect((await migrate(db, { migrationsFolder: folder })).map((r) => r.tag)).toEqual([
      "0001_vendor_website",
    ]);
    expect((await readCatalog(db)).get("vendors")?.columns.map((c) => c.name)).toContain("website");
    expect(statusExitCode(await migrationStatus(db, { migrationsFolder: folder }))).toBe(EXIT.ok);
    // A second baseline is refused: the database is under migration control now.
    expect((await baseline(db, target, { migrationsFolder: folder })).status).toBe("refused");
  });

  it("with the committed drizzle/: baseline, migrate every later migration, and no drift remains", async () => {
    const { db, target } = await legacyDatabase("legacy_real");
    expect(await baseline(db, target, { scratchName: scratchName("baseref") })).toMatchObject({
      status: "baselined",
    });
    const later = readJournal()
      .slice(1)
      .map((m) => m.tag);
    expect((await migrate(db)).map((r) => r.tag)).toEqual(later);
    expect(await checkDrift(db, target, { scratchName: scratchName("driftref") })).toEqual([]);
  });

  it.runIf(hasDumpTools)(
    "adopts the legacy database restored from a pg_dump, then migrates to head with no drift",
    async () => {
      const source = await legacyDatabase("legacy_src");
      const { db, target } = await dumpAndRestore(source.url, "legacy_restored");
      // The round trip changed how PostgreSQL prints the IN-list checks (ARRAY[('a'::varchar)::text]).
      const [printed] = await rows<{ def: string }>(
        db,
        sql`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'users_role_check'`,
      );
      expect(printed?.def).toContain("('user'::character varying)::text");
      expect(await baseline(db, target, { scratchName: scratchName("baseref") })).toMatchObject({
        status: "baselined",
      });
      await migrate(db);
      expect(await checkDrift(db, target, { scratchName: scratchName("driftref") })).toEqual([]);
    },
  );

  it("refuses the fixture with differences, naming each, and writes nothing (not even the history table)", async () => {
    const { db, target } = await legacyDatabase("legacy_drift", driftedLegacy());
    const before = await footprint(db);
    const result = await baseline(db, target, { scratchName: scratchName("baseref") });
    expect(result.status).toBe("drift");
    const drift = result.status === "drift" ? result.drift : [];
    expect(named(drift)).toEqual(DRIFTED);
    const byName = new Map(drift.map((i) => [`${i.table}.${i.name}`, i]));
    expect(byName.get("vendors.phone")?.differences).toEqual([
      { property: "type", expected: "character varying(50)", live: "character varying(40)" },
    ]);
    expect(byName.get("repair_orders.labor_cost")?.differences).toEqual([
      { property: "default", expected: "0", live: "1" },
    ]);
    expect(await footprint(db)).toEqual(before);
    expect(await historyExists(db)).toBe(false);
  });

  it("npm run db:baseline: exit 6 with the diff on drift, 0 on a match, 7 when already baselined", async () => {
    const drifted = await legacyDatabase("legacy_cli_drift", driftedLegacy());
    const refused = await cli(["baseline"], { DATABASE_URL: drifted.url });
    expect(refused.code, refused.stderr).toBe(EXIT.drift);
    expect(refused.stderr).toContain("table vendors\n  ~ column phone: differs");
    expect(refused.stderr).toContain("5 difference(s)); nothing was changed");

    const good = await legacyDatabase("legacy_cli");
    const adopted = await cli(["baseline"], { DATABASE_URL: good.url });
    expect(adopted.code, adopted.stderr).toBe(EXIT.ok);
    expect(adopted.stdout).toContain(`baselined: ${m0000.tag} recorded as applied`);
    expect(adopted.stdout).toContain(
      "note: extension uuid-ossp 1.1 (in schema public): no migration creates it; not compared",
    );
    expect((await cli(["baseline"], { DATABASE_URL: good.url })).code).toBe(EXIT.refused);
  });
});

describe("baseline on PGlite", () => {
  it("adopts the legacy schema loaded into PGlite (with its uuid-ossp extension)", async () => {
    const client = new PGlite({ extensions: { uuid_ossp } });
    disposers.push(() => client.close());
    await client.exec(legacy);
    const db = drizzle(client, { schema }) as unknown as Database;
    const folder = scratchFolder();
    expect(await baseline(db, { driver: "pglite" }, { migrationsFolder: folder })).toEqual({
      status: "baselined",
      recorded: [m0000.tag],
    });
    expect((await migrate(db, { migrationsFolder: folder })).map((r) => r.tag)).toEqual([
      "0001_vendor_website",
    ]);
  });
});
