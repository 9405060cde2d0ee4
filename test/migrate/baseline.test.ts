/**
 * Adoption of a legacy database: the fixture (a pg_dump --schema-only of the production schema,
 * uuid-ossp defaults) is loaded, baselined to 0000 without running it, and later migrations then
 * apply; a drifted dump is refused with its differences and the database is left untouched.
 */
import { readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { uuid_ossp } from "@electric-sql/pglite/contrib/uuid_ossp";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import { afterAll, describe, expect, it } from "vitest";
import { createDb, type Database, type DbOrTx, rows } from "../../src/db.js";
import { baseline } from "../../src/migrate/baseline.js";
import { readCatalog } from "../../src/migrate/catalog.js";
import { checkDrift, type DriftItem, type ReferenceTarget } from "../../src/migrate/drift.js";
import { EXIT } from "../../src/migrate/exit-codes.js";
import { historyExists, readHistory } from "../../src/migrate/history.js";
import { readJournal } from "../../src/migrate/journal.js";
import { migrate } from "../../src/migrate/runner.js";
import { migrationStatus, statusExitCode } from "../../src/migrate/status.js";
import * as schema from "../../src/schema/index.js";
import { createEmptyDatabase, onServer, scratchName } from "../support/test-db.js";
import { cli, committedMigration, LEGACY_DUMP, loadDump, writeMigrationsFolder } from "./support.js";

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

/** A legacy dump with drift: a narrower column, a lost index, an extra column. */
function driftedDump(): string {
  const index = /^CREATE INDEX (\w+) ON public\.(\w+) .*;$/m.exec(legacy);
  if (!index) throw new Error("the fixture has no CREATE INDEX");
  const vendors = /CREATE TABLE public\.vendors \(\n([\s\S]*?)\n\);/.exec(legacy);
  if (!vendors?.[1]?.includes("phone character varying(50)"))
    throw new Error("fixture vendors.phone changed");
  return legacy
    .replace(index[0], "")
    .replace(vendors[0], vendors[0].replace("phone character varying(50)", "phone character varying(40)"))
    .replace("CREATE TABLE public.locations (\n", "CREATE TABLE public.locations (\n    legacy_code text,\n");
}

async function footprint(db: DbOrTx) {
  return {
    catalog: await readCatalog(db),
    schemas: await rows(db, sql`SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' ORDER BY 1`),
  };
}

const named = (items: DriftItem[]) => items.map((i) => `${i.change} ${i.kind} ${i.table}.${i.name}`).sort();

it("the fixture is a pg_dump --schema-only of the legacy schema", () => {
  expect(legacy).toContain('CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA public;');
  expect(legacy).toMatch(
    /CREATE TABLE public\.assets \(\n {4}id uuid DEFAULT public\.uuid_generate_v4\(\) NOT NULL,/,
  );
  expect(legacy).toMatch(
    /ALTER TABLE ONLY public\.assets\n {4}ADD CONSTRAINT assets_pkey PRIMARY KEY \(id\);/,
  );
  expect(legacy).toMatch(/^CREATE INDEX idx_\w+ ON public\.\w+ USING btree/m);
  expect(legacy).not.toContain("gen_random_uuid");
  expect(legacy.match(/^CREATE TABLE /gm)).toHaveLength(45);
});

describe.runIf(onServer())("baseline on a server", () => {
  async function legacyDatabase(label: string, dump = legacy) {
    const e = await createEmptyDatabase(label);
    await loadDump(e.url, dump);
    const handle = await createDb({ url: e.url, max: 2 });
    disposers.push(async () => {
      await handle.close();
      await e.drop();
    });
    const target: ReferenceTarget = { driver: "postgres", url: e.url };
    return { url: e.url, db: handle.db, target };
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

  it("refuses a drifted dump, naming each difference, and changes nothing", async () => {
    const { db, target } = await legacyDatabase("legacy_drift", driftedDump());
    const before = await footprint(db);
    const result = await baseline(db, target, {
      migrationsFolder: scratchFolder(),
      scratchName: scratchName("baseref"),
    });
    expect(result.status).toBe("drift");
    const index = /^CREATE INDEX (\w+) ON public\.(\w+) /m.exec(legacy)!;
    expect(named(result.status === "drift" ? result.drift : [])).toEqual(
      [
        "changed column vendors.phone",
        `missing index ${index[2]}.${index[1]}`,
        "unexpected column locations.legacy_code",
      ].sort(),
    );
    expect(await footprint(db)).toEqual(before);
    expect(await historyExists(db)).toBe(false);
  });

  it("npm run db:baseline: exit 6 with the diff on drift, 0 on a match, 7 when already baselined", async () => {
    const drifted = await legacyDatabase("legacy_cli_drift", driftedDump());
    const refused = await cli(["baseline"], { DATABASE_URL: drifted.url });
    expect(refused.code, refused.stderr).toBe(EXIT.drift);
    expect(refused.stderr).toContain("table vendors\n  ~ column phone: differs");
    expect(refused.stderr).toContain("nothing was changed");

    const good = await legacyDatabase("legacy_cli");
    const adopted = await cli(["baseline"], { DATABASE_URL: good.url });
    expect(adopted.code, adopted.stderr).toBe(EXIT.ok);
    expect(adopted.stdout).toContain(`baselined: ${m0000.tag} recorded as applied`);
    expect((await cli(["baseline"], { DATABASE_URL: good.url })).code).toBe(EXIT.refused);
  });
});

describe("baseline on PGlite", () => {
  it("adopts the legacy dump loaded into PGlite (with its uuid-ossp extension)", async () => {
    const client = new PGlite({ extensions: { uuid_ossp } });
    disposers.push(() => client.close());
    await client.exec(
      legacy
        .split("\n")
        .filter((l) => !l.startsWith("\\"))
        .join("\n"),
    );
    // The dump empties search_path for its session; PGlite has only that session.
    await client.exec('SET search_path TO "$user", public');
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
