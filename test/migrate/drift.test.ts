/**
 * Drift check: a freshly migrated database has none; each alteration of it is reported by name,
 * grouped by table; uuid_generate_v4() defaults and uuid-ossp's functions are not drift. Runs on the
 * server (reference = scratch database) and on PGlite (reference = in-memory PGlite).
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCatalog } from "../../src/migrate/catalog.js";
import {
  checkDrift,
  type DriftItem,
  formatDrift,
  normalizeDefinition,
  type ReferenceTarget,
} from "../../src/migrate/drift.js";
import { EXIT } from "../../src/migrate/exit-codes.js";
import { createTestDatabase, onServer, scratchName, type TestDatabase } from "../support/test-db.js";
import { cli } from "./support.js";

let t: TestDatabase;
let target: ReferenceTarget;
beforeAll(async () => {
  t = await createTestDatabase();
  target = t.url ? { driver: "postgres", url: t.url } : { driver: "pglite" };
});
afterAll(async () => {
  await t?.close();
});

const drift = () => checkDrift(t.db, target, onServer() ? { scratchName: scratchName("driftref") } : {});
const names = (items: DriftItem[]) =>
  items.map((i) => `${i.change} ${i.kind} ${i.table ?? ""}.${i.name}`).sort();

describe("drift", () => {
  it("finds none on a database migrated from drizzle/", async () => {
    expect(await drift()).toEqual([]);
  });

  it("names each alteration", async () => {
    const catalog = await readCatalog(t.db);
    const plainIndex = [...catalog.values()].flatMap((tb) =>
      tb.indexes.filter((i) => !i.constraintBacked).map((i) => ({ table: tb.name, name: i.name })),
    )[0];
    expect(plainIndex, "migrations create at least one plain index").toBeDefined();
    const trigger = [...catalog.values()].flatMap((tb) =>
      tb.triggers.map((tr) => ({ table: tb.name, name: tr.name })),
    )[0];

    await t.db.execute(sql`ALTER TABLE vendors ALTER COLUMN phone TYPE varchar(80)`);
    await t.db.execute(sql`ALTER TABLE assets ALTER COLUMN serial_no SET NOT NULL`);
    await t.db.execute(sql`ALTER TABLE assets ALTER COLUMN status SET DEFAULT 'in_use'`);
    await t.db.execute(sql`ALTER TABLE vendors ADD COLUMN fax text`);
    await t.db.execute(sql`ALTER TABLE inventory_items DROP CONSTRAINT inventory_items_status_check`);
    await t.db.execute(
      sql`ALTER TABLE inventory_items ADD CONSTRAINT inventory_items_status_check CHECK (status IN ('found', 'missing'))`,
    );
    await t.db.execute(sql`ALTER TABLE assets DROP CONSTRAINT assets_status_check`);
    await t.db.execute(sql.raw(`DROP INDEX "${plainIndex!.name}"`));
    await t.db.execute(sql`CREATE INDEX rogue_vendors_email ON vendors (lower(email))`);
    await t.db.execute(sql`CREATE TABLE rogue_notes (id integer PRIMARY KEY, body text)`);
    await t.db.execute(
      sql.raw(
        `CREATE FUNCTION rogue_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`,
      ),
    );
    await t.db.execute(
      sql`CREATE TRIGGER rogue_vendors_touch BEFORE INSERT ON vendors FOR EACH ROW EXECUTE FUNCTION rogue_touch()`,
    );
    if (trigger) await t.db.execute(sql.raw(`DROP TRIGGER "${trigger.name}" ON "${trigger.table}"`));

    const items = await drift();
    const expected = [
      "changed column vendors.phone",
      "changed column assets.serial_no",
      "changed column assets.status",
      "unexpected column vendors.fax",
      "changed constraint inventory_items.inventory_items_status_check",
      "missing constraint assets.assets_status_check",
      `missing index ${plainIndex!.table}.${plainIndex!.name}`,
      "unexpected index vendors.rogue_vendors_email",
      "unexpected table rogue_notes.rogue_notes",
      "unexpected function .rogue_touch()",
      "unexpected trigger vendors.rogue_vendors_touch",
      ...(trigger ? [`missing trigger ${trigger.table}.${trigger.name}`] : []),
    ];
    expect(names(items)).toEqual(expected.sort());

    const byName = new Map(items.map((i) => [`${i.table}.${i.name}`, i]));
    expect(byName.get("vendors.phone")?.details).toEqual([
      "type: character varying(50) -> character varying(80)",
    ]);
    expect(byName.get("assets.serial_no")?.details).toEqual(["nullability: NULL -> NOT NULL"]);
    expect(byName.get("assets.status")?.details?.[0]).toMatch(/^default: 'in_stock'.* -> 'in_use'/);

    const report = formatDrift(items);
    expect(report).toContain("table vendors\n");
    expect(report).toMatch(
      /table vendors\n(?: {2}.*\n)*? {2}~ column phone: differs\n {6}type: character varying\(50\) -> character varying\(80\)/,
    );
    expect(report).toContain("functions\n  + function rogue_touch(): unexpected");
  });
});

describe.runIf(onServer())("drift on a server", () => {
  it("treats uuid_generate_v4() defaults as gen_random_uuid() and ignores uuid-ossp's functions", async () => {
    const other = await createTestDatabase();
    try {
      await other.db.execute(sql`CREATE EXTENSION IF NOT EXISTS "uuid-ossp"`);
      await other.db.execute(sql`ALTER TABLE vendors ALTER COLUMN id SET DEFAULT uuid_generate_v4()`);
      await other.db.execute(sql`ALTER TABLE assets ALTER COLUMN id SET DEFAULT public.uuid_generate_v4()`);
      const items = await checkDrift(
        other.db,
        { driver: "postgres", url: other.url! },
        { scratchName: scratchName("driftref") },
      );
      expect(items).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it("npm run db:drift exits 6 with the diff, 0 when there is none", async () => {
    const clean = await createTestDatabase();
    try {
      const ok = await cli(["drift"], { DATABASE_URL: clean.url });
      expect(ok.stdout, ok.stderr).toContain("no drift");
      expect(ok.code).toBe(EXIT.ok);
      await clean.db.execute(sql`ALTER TABLE vendors ADD COLUMN fax text`);
      const drifted = await cli(["drift"], { DATABASE_URL: clean.url });
      expect(drifted.code, drifted.stderr).toBe(EXIT.drift);
      expect(drifted.stdout).toContain("table vendors\n  + column fax: unexpected");
    } finally {
      await clean.close();
    }
  });
});

describe("normalizeDefinition", () => {
  it("equates the uuid generators, schema qualification and whitespace", () => {
    expect(normalizeDefinition("public.uuid_generate_v4()")).toBe("gen_random_uuid()");
    expect(normalizeDefinition("CREATE INDEX x ON public.assets USING btree (a,\n   b)")).toBe(
      "CREATE INDEX x ON assets USING btree (a, b)",
    );
    expect(normalizeDefinition("'in_stock'::character varying")).not.toBe(
      normalizeDefinition("'in_use'::character varying"),
    );
  });
});
