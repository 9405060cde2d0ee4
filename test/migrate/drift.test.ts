/**
 * Drift check: a freshly migrated database has none; alterations are reported by object and
 * property, grouped by table, on the server (reference = scratch database) and on PGlite
 * (reference = in-memory PGlite). The property-by-property corpus is test/migrate/drift-corpus.test.ts;
 * the scratch database's lifecycle is test/migrate/drift-scratch.test.ts.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rows } from "../../src/db.js";
import { EXIT } from "../../src/errors/exit-codes.js";
import { readCatalog } from "../../src/migrate/catalog.js";
import {
  checkDrift,
  type DriftItem,
  driftReport,
  formatDrift,
  type ReferenceTarget,
} from "../../src/migrate/drift.js";
import { lineDiff } from "../../src/migrate/line-diff.js";
import { normalizeDefault, normalizeSql } from "../../src/migrate/sql-normalize.js";
import { createTestDatabase, onServer, scratchName, useTestDatabase } from "../support/test-db.js";
import { UUID_OSSP_IN_EXTENSIONS } from "./drift-corpus.js";
import { cli } from "./support.js";

const t = useTestDatabase();
let target: ReferenceTarget;
beforeAll(async () => {
  target = t.url ? { driver: "postgres", url: t.url } : { driver: "pglite" };
});

const drift = () => checkDrift(t.db, target, onServer() ? { scratchName: scratchName("driftref") } : {});
const names = (items: DriftItem[]) =>
  items.map((i) => `${i.change} ${i.kind} ${i.table ?? ""}.${i.name}`).sort();
const property = (item: DriftItem | undefined, name: string) =>
  item?.differences?.find((d) => d.property === name);

describe("drift", () => {
  it("finds none on a database migrated from drizzle/", async () => {
    expect(await drift()).toEqual([]);
  });

  it("names each alteration with its property", async () => {
    const catalog = await readCatalog(t.db);
    const plainIndex = [...catalog.values()].flatMap((tb) =>
      tb.indexes.filter((i) => !i.constraintBacked).map((i) => ({ table: tb.name, name: i.name })),
    )[0];
    expect(plainIndex, "migrations create at least one plain index").toBeDefined();

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
    await t.db.execute(sql`ALTER TABLE assets ENABLE REPLICA TRIGGER assets_set_updated_at`);
    await t.db.execute(sql`ALTER TABLE audit_logs SET UNLOGGED`);
    // The migrated body with one line changed (read back, so a later migration replacing the
    // function does not break this test).
    const [fn] = await rows<{ def: string }>(
      t.db,
      sql`SELECT pg_get_functiondef('set_updated_at'::regproc) AS def`,
    );
    expect(fn?.def).toContain("NEW.updated_at := now();");
    await t.db.execute(
      sql.raw((fn?.def ?? "").replace("NEW.updated_at := now();", "NEW.updated_at := clock_timestamp();")),
    );

    const items = await drift();
    expect(names(items)).toEqual(
      [
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
        "changed function .set_updated_at()",
        "unexpected trigger vendors.rogue_vendors_touch",
        "changed trigger assets.assets_set_updated_at",
        "changed table audit_logs.audit_logs",
      ].sort(),
    );

    const byName = new Map(items.map((i) => [`${i.table}.${i.name}`, i]));
    expect(byName.get("vendors.phone")?.differences).toEqual([
      { property: "type", expected: "character varying(50)", live: "character varying(80)" },
    ]);
    expect(property(byName.get("assets.serial_no"), "nullability")).toMatchObject({
      expected: "NULL",
      live: "NOT NULL",
    });
    expect(property(byName.get("assets.status"), "default")?.live).toMatch(/^'in_use'/);
    expect(property(byName.get("assets.assets_set_updated_at"), "enabled")).toMatchObject({
      expected: "origin",
      live: "replica",
    });
    expect(property(byName.get("audit_logs.audit_logs"), "persistence")).toMatchObject({
      expected: "permanent",
      live: "unlogged",
    });

    const report = formatDrift(items);
    expect(report).toContain("table vendors\n");
    expect(report).toMatch(
      /table vendors\n(?: {2}.*\n)*? {2}~ column phone: differs\n {6}type: character varying\(50\) -> character varying\(80\)/,
    );
    expect(report).toContain("functions\n");
    expect(report).toContain("  + function rogue_touch(): unexpected");
    // A changed body is shown as a line diff, not as "definition differs".
    expect(report).toContain("  ~ function set_updated_at(): differs\n      body: (- expected, + live)\n");
    expect(report).toContain(
      "        -     NEW.updated_at := now();\n        +     NEW.updated_at := clock_timestamp();",
    );
  });
});

describe.runIf(onServer())("drift on a server", () => {
  it("uuid-ossp in schema extensions, every key defaulting to extensions.uuid_generate_v4(): no drift", async () => {
    const other = await createTestDatabase();
    try {
      await other.db.execute(sql.raw(UUID_OSSP_IN_EXTENSIONS));
      const [changed] = await rows<{ n: number }>(
        other.db,
        sql`SELECT count(*)::int AS n FROM pg_attrdef WHERE pg_get_expr(adbin, adrelid) LIKE '%uuid_generate_v4()%'`,
      );
      expect(changed?.n, "the managed-service layout is in place").toBe(42);
      const report = await driftReport(
        other.db,
        { driver: "postgres", url: other.url! },
        { scratchName: scratchName("driftref") },
      );
      expect(report.items).toEqual([]);
      expect(report.notes).toEqual([
        "schema extensions: no migration creates objects in it; not compared",
        "extension uuid-ossp 1.1 (in schema extensions): no migration creates it; not compared",
      ]);
    } finally {
      await other.close();
    }
  });

  it("uuid-ossp in public (the legacy layout) with public.uuid_generate_v4() defaults: no drift", async () => {
    const other = await createTestDatabase();
    try {
      await other.db.execute(sql`CREATE EXTENSION IF NOT EXISTS "uuid-ossp" SCHEMA public`);
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

  it("a unique index left INVALID by a failed CREATE UNIQUE INDEX CONCURRENTLY is drift", async () => {
    const other = await createTestDatabase();
    try {
      const index = "idx_asset_assignments_asset_id_open";
      await other.db.execute(sql.raw(`DROP INDEX ${index}`));
      await other.db.execute(
        sql`WITH a AS (INSERT INTO assets (asset_code) VALUES ('A-1') RETURNING id)
            INSERT INTO asset_assignments (asset_id, assignee_type, assignee_id, assignee_name)
            SELECT id, 'person', p, p FROM a, (VALUES ('u1'), ('u2')) v(p)`,
      );
      await expect(
        other.db.execute(
          sql.raw(
            `CREATE UNIQUE INDEX CONCURRENTLY ${index} ON asset_assignments (asset_id) WHERE returned_at IS NULL`,
          ),
        ),
      ).rejects.toThrow();
      const items = await checkDrift(
        other.db,
        { driver: "postgres", url: other.url! },
        { scratchName: scratchName("driftref") },
      );
      expect(items).toEqual([
        {
          kind: "index",
          schema: "public",
          table: "asset_assignments",
          tableKind: "table",
          name: index,
          change: "changed",
          // The build failed before the index was marked ready, so it is neither valid nor ready.
          differences: [
            { property: "valid", expected: "yes", live: "no" },
            { property: "ready", expected: "yes", live: "no" },
          ],
        },
      ]);
    } finally {
      await other.close();
    }
  });

  it("npm run db:drift exits 6 with the diff, 0 when there is none; --json carries the items and notes", async () => {
    const clean = await createTestDatabase();
    try {
      const ok = await cli(["drift"], { DATABASE_URL: clean.url });
      expect(ok.stdout, ok.stderr).toContain("no drift");
      expect(ok.code).toBe(EXIT.ok);
      await clean.db.execute(sql`ALTER TABLE vendors ADD COLUMN fax text`);
      await clean.db.execute(sql`CREATE SCHEMA reporting`);
      const drifted = await cli(["drift"], { DATABASE_URL: clean.url });
      expect(drifted.code, drifted.stderr).toBe(EXIT.drift);
      expect(drifted.stdout).toContain("table vendors\n  + column fax: unexpected");
      expect(drifted.stdout).toContain(
        "note: schema reporting: no migration creates objects in it; not compared",
      );
      const json = await cli(["drift", "--json"], { DATABASE_URL: clean.url });
      expect(json.code).toBe(EXIT.drift);
      expect(JSON.parse(json.stdout)).toMatchObject({
        drift: [{ kind: "column", schema: "public", table: "vendors", name: "fax", change: "unexpected" }],
        notes: ["schema reporting: no migration creates objects in it; not compared"],
      });
    } finally {
      await clean.close();
    }
  });
});

describe("normalisation (sql-normalize.ts)", () => {
  const ctx = { ignoredQualifiers: new Set(["public", "pg_catalog", "extensions"]) };
  const same = (a: string, b: string) => normalizeSql(a, ctx) === normalizeSql(b, ctx);

  it("equates layout, public./extension-schema qualification and the uuid generators", () => {
    expect(same("public.uuid_generate_v4()", "gen_random_uuid()")).toBe(true);
    expect(same("other_schema.uuid_generate_v4()", "gen_random_uuid()")).toBe(true);
    expect(same("extensions.citext", "citext")).toBe(true);
    expect(
      same(
        "CREATE INDEX x ON public.assets USING btree (a,\n   b)",
        "CREATE INDEX x ON assets USING btree (a, b)",
      ),
    ).toBe(true);
    expect(same('"assets"."status"', "assets.status")).toBe(true);
    expect(same("app.assets", "assets")).toBe(false);
    expect(same('"Assets"', "assets")).toBe(false);
  });

  it("never touches what is inside a literal", () => {
    expect(same("'public.  x'::text", "'public. x'::text")).toBe(false);
    expect(same("'public.x'::text", "'x'::text")).toBe(false);
    expect(same("'uuid_generate_v4()'::text", "'gen_random_uuid()'::text")).toBe(false);
    expect(same("$$a  b$$", "$$a b$$")).toBe(false);
    expect(same("E'a\\'  b'", "E'a\\' b'")).toBe(false);
    expect(normalizeSql("x <> 'public.  x'", ctx)).toContain("'public.  x'");
  });

  it("equates the IN-list array spellings before and after a pg_dump round trip, not other arrays", () => {
    const before = "((s)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))";
    const after = "((s)::text = ANY (ARRAY[('a'::character varying)::text, ('b'::character varying)::text]))";
    expect(same(before, after)).toBe(true);
    expect(
      same(
        before,
        "((s)::text = ANY (ARRAY[('a'::character varying)::text, ('c'::character varying)::text]))",
      ),
    ).toBe(false);
    // varchar(1) would truncate 'ab': not the same value, not equated.
    expect(same("(ARRAY['ab'::character varying(1)])::text[]", "ARRAY['ab'::text]")).toBe(false);
  });

  it("compares literal defaults by the value they give the column's type", () => {
    const eq = (a: string, b: string, type: string) =>
      normalizeDefault(a, type, ctx) === normalizeDefault(b, type, ctx);
    expect(eq("0", "'0'::numeric", "numeric(12,2)")).toBe(true);
    expect(eq("0", "'0.00'::numeric", "numeric(12,6)")).toBe(true);
    expect(eq("0", "'0.001'::numeric", "numeric(12,6)")).toBe(false);
    expect(eq("0", "0.001", "numeric(12,2)")).toBe(true); // numeric(12,2) stores 0.001 as 0.00
    expect(eq("1", "'0'::numeric", "numeric(12,2)")).toBe(false);
    expect(eq("'-5'::integer", "-5", "integer")).toBe(true);
    expect(eq("'x'::text", "'x'::character varying", "character varying(20)")).toBe(true);
    expect(eq("'x'::text", "'y'::character varying", "character varying(20)")).toBe(false);
    expect(eq("true", "'t'::boolean", "boolean")).toBe(true);
    expect(eq("'{}'::jsonb", "'{}'", "jsonb")).toBe(true);
    expect(eq("'{}'::json", "'{}'::jsonb", "jsonb")).toBe(false);
    expect(eq("now()", "CURRENT_TIMESTAMP", "timestamp with time zone")).toBe(false);
  });
});

it("lineDiff shows the changed lines with context", () => {
  expect(lineDiff("a\nb\nc\nd", "a\nB\nc\nd", 1)).toEqual(["@@ line 1 @@", "  a", "- b", "+ B", "  c"]);
  expect(lineDiff("same", "same")).toEqual([]);
});
