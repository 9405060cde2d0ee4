/**
 * The committed migrations as a whole: they build the schema on an empty server database, a run
 * against a database holding a conflicting object fails with PostgreSQL's error naming that object
 * and leaves the database exactly as it was, and the same migrations build the same catalog on PGlite.
 */

import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createDb, type DbOrTx, rows } from "../../src/db.js";
import { MigrationError } from "../../src/errors/index.js";
import { readCatalog } from "../../src/migrate/catalog.js";
import { readJournal } from "../../src/migrate/journal.js";
import { migrate } from "../../src/migrate/runner.js";
import { createEmptyDatabase, createTestDatabase, onServer } from "../support/test-db.js";

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Every relation, schema and function outside the system catalogs: what "unchanged" must cover. */
async function footprint(db: DbOrTx) {
  return rows(
    db,
    sql`SELECT n.nspname AS schema, c.relname AS name, c.relkind AS kind
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
        UNION ALL
        SELECT nspname, '', 'schema' FROM pg_namespace
         WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg_%'
        ORDER BY 1, 2, 3`,
  );
}

describe.runIf(onServer())("on a server", () => {
  it("builds the schema on an empty database and records each migration once", async () => {
    const empty = await createEmptyDatabase("apply");
    const handle = await createDb({ url: empty.url, max: 1 });
    cleanups.push(async () => {
      await handle.close();
      await empty.drop();
    });
    const applied = await migrate(handle.db);
    expect(applied.map((a) => a.tag)).toEqual(readJournal().map((m) => m.tag));
    expect((await readCatalog(handle.db)).size).toBe(45);
    expect(await migrate(handle.db)).toEqual([]);
  });

  it("fails on a conflicting object, names it, and leaves the database unchanged", async () => {
    const empty = await createEmptyDatabase("conflict");
    const handle = await createDb({ url: empty.url, max: 1 });
    cleanups.push(async () => {
      await handle.close();
      await empty.drop();
    });
    // A leftover table from the old hand-run SQL, with a different shape than migration 0000's.
    await handle.db.execute(sql`CREATE TABLE warehouses (id integer PRIMARY KEY, label text)`);
    const before = await footprint(handle.db);

    const error = await migrate(handle.db).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    const failure = error as MigrationError;
    expect(failure.tag).toBe(readJournal()[0]?.tag);
    expect(failure.message).toContain('relation "warehouses" already exists');
    expect(failure.message).toContain("0000_initial_schema.sql");
    expect(failure.statement).toContain('CREATE TABLE "warehouses"');

    expect(await footprint(handle.db)).toEqual(before);
    const [drizzleSchema] = await rows<{ n: number }>(
      handle.db,
      sql`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = 'drizzle'`,
    );
    expect(drizzleSchema?.n).toBe(0);
  });

  it("builds the same catalog on PGlite as on the server", async () => {
    const server = await createTestDatabase();
    const embedded = await createDb({ dataDir: "memory://" });
    cleanups.push(async () => {
      await embedded.close();
      await server.close();
    });
    await migrate(embedded.db);
    const onServerCatalog = await readCatalog(server.db);
    const onPglite = await readCatalog(embedded.db);
    expect([...onPglite.keys()].sort()).toEqual([...onServerCatalog.keys()].sort());
    for (const [name, table] of onServerCatalog) {
      const other = onPglite.get(name);
      expect(other?.columns, name).toEqual(table.columns);
      expect(other?.constraints, name).toEqual(table.constraints);
      expect(other?.indexes, name).toEqual(table.indexes);
    }
  });
});

describe("on PGlite", () => {
  it("applies every migration to an empty in-memory database", async () => {
    const embedded = await createDb({ dataDir: "memory://" });
    cleanups.push(() => embedded.close());
    const applied = await migrate(embedded.db);
    expect(applied.map((a) => a.tag)).toEqual(readJournal().map((m) => m.tag));
    expect((await readCatalog(embedded.db)).size).toBe(45);
  });

  it("rolls back a conflicting run completely", async () => {
    const embedded = await createDb({ dataDir: "memory://" });
    cleanups.push(() => embedded.close());
    await embedded.db.execute(sql`CREATE TABLE vendors (id integer PRIMARY KEY)`);
    const before = await footprint(embedded.db);
    await expect(migrate(embedded.db)).rejects.toThrow(/relation "vendors" already exists/);
    expect(await footprint(embedded.db)).toEqual(before);
  });
});
