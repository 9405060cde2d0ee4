/**
 * Demo data set against a real database: refuses non-local hosts unless forced, is deterministic
 * from its seed, and everything it writes is valid: model specs and CI attribute sets pass their
 * dynamic validators, asset codes/IPs/MACs are unique and well-formed, location paths follow the
 * tree, and the CMDB graph reaches from a service endpoint down to a physical host.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { DemoRefusedError, seedDemo } from "../../seed/index.js";
import { rows } from "../../src/db.js";
import { checkLedgerInvariant } from "../../src/queries/index.js";
import { assetModels, assets, cmdbCiAttrValues, cmdbCis, locations } from "../../src/schema/index.js";
import {
  attrDefsOfVersion,
  isMac,
  normaliseMac,
  parseFields,
  specDefsOfVersion,
} from "../../src/validation/index.js";
import { type TestDatabase, useTestDatabase } from "../support/test-db.js";

const t = useTestDatabase();
const other = useTestDatabase();

const count = async (db: TestDatabase["db"], table: string) =>
  (await rows<{ n: number }>(db, sql.raw(`SELECT count(*)::int AS n FROM "${table}"`)))[0]?.n ?? 0;

/** What must not differ between two runs with the same seed (ids and timestamps aside). */
const fingerprint = (db: TestDatabase["db"]) =>
  rows(
    db,
    sql`SELECT a.asset_code, a.serial_no, a.mac_address, host(a.mgmt_ip) AS ip, a.status, a.vlan_id,
               a.purchase_date::text, m.model, m.spec, l.path
          FROM assets a LEFT JOIN asset_models m ON m.id = a.model_id LEFT JOIN locations l ON l.id = a.location_id
         ORDER BY a.asset_code`,
  );

describe("seedDemo", () => {
  it("refuses a non-local host without --force and writes nothing", async () => {
    await expect(
      seedDemo(t.db, { url: "postgres://app@db.prod.example.com:5432/netops" }),
    ).rejects.toBeInstanceOf(DemoRefusedError);
    expect(await count(t.db, "assets")).toBe(0);
    expect(await count(t.db, "asset_categories")).toBe(0);
  });

  it("loads ~500 assets and the rest of the data set; a second run is a no-op; same seed = same data", async () => {
    // force + a remote-looking URL: the override works (the database itself is the local clone).
    const first = await seedDemo(t.db, {
      url: "postgres://app@db.prod.example.com:5432/netops",
      force: true,
    });
    expect(first.skipped).toBe(false);
    expect(first.inserted.assets).toBeGreaterThanOrEqual(480);
    for (const table of [
      "locations",
      "vendors",
      "asset_models",
      "asset_assignments",
      "cmdb_cis",
      "cmdb_ci_attr_values",
      "cmdb_relationships",
      "cmdb_services",
      "cmdb_service_members",
      "warehouses",
      "spare_parts",
      "spare_part_stock",
      "repair_orders",
      "inventory_sessions",
      "inventory_items",
    ]) {
      expect({ table, n: await count(t.db, table) }).toEqual({ table, n: first.inserted[table] });
      expect(first.inserted[table]).toBeGreaterThan(0);
    }
    const again = await seedDemo(t.db, { url: t.url });
    expect(again.skipped).toBe(true);
    expect(again.reference.totals.inserted + again.reference.totals.updated).toBe(0);
    expect(await count(t.db, "assets")).toBe(first.inserted.assets);

    await seedDemo(other.db, { url: other.url });
    expect(await fingerprint(other.db)).toEqual(await fingerprint(t.db));
    // Three demo loads through the domain operations: 34 s in CI on an idle 2-core machine, over
    // a minute under load, so this test gets more than the suite's 60 s (a bound, not a timing).
  }, 240_000);

  it("every model spec passes its spec version's validator", async () => {
    const models = await t.db.select().from(assetModels);
    expect(models.length).toBeGreaterThan(20);
    for (const m of models) {
      const defs = await specDefsOfVersion(t.db, m.specVersionId as string);
      expect(defs.length).toBeGreaterThan(0);
      expect(() => parseFields(defs, m.spec)).not.toThrow();
    }
  });

  it("every CI attribute set passes its type version's validator", async () => {
    // Through drizzle: createDb() hands jsonb over as text so a JSON string such as "12" stays a
    // string (the drivers and drizzle would otherwise parse it twice, into the number 12).
    const values = await t.db.select().from(cmdbCiAttrValues);
    const byCi = new Map<string, { versionId: string; attrs: Record<string, unknown> }>();
    for (const v of values) {
      const entry = byCi.get(v.ciId as string) ?? { versionId: v.versionId as string, attrs: {} };
      entry.attrs[v.key] = v.value;
      byCi.set(v.ciId as string, entry);
    }
    const cis = await t.db.select().from(cmdbCis);
    expect(byCi.size).toBe(cis.length);
    for (const { versionId, attrs } of byCi.values()) {
      const defs = await attrDefsOfVersion(t.db, versionId);
      expect(() => parseFields(defs, attrs)).not.toThrow();
    }
  });

  it("asset codes, IPs and MACs are unique and well-formed; statuses are plausible", async () => {
    const list = await t.db.select().from(assets);
    const codes = list.map((a) => a.assetCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(/^DEMO-[A-Z]+-\d{4}$/);
    const ips = list.map((a) => a.mgmtIp).filter((v) => v !== null);
    expect(ips.length).toBeGreaterThan(150);
    expect(new Set(ips).size).toBe(ips.length);
    const macs = list.map((a) => a.macAddress).filter((v): v is string => v !== null);
    expect(new Set(macs).size).toBe(macs.length);
    for (const m of macs) expect(isMac(m) && normaliseMac(m) === m).toBe(true);
    const statuses = new Map<string, number>();
    for (const a of list) statuses.set(a.status ?? "", (statuses.get(a.status ?? "") ?? 0) + 1);
    expect((statuses.get("in_use") ?? 0) / list.length).toBeGreaterThan(0.6);
    expect(statuses.get("in_repair") ?? 0).toBeGreaterThan(0);
    // One open assignment at most per asset, only for assets in use.
    const [bad] = await rows<{ n: number }>(
      t.db,
      sql`SELECT count(*)::int AS n FROM asset_assignments aa JOIN assets a ON a.id = aa.asset_id
           WHERE aa.returned_at IS NULL AND a.status <> 'in_use'`,
    );
    expect(bad?.n).toBe(0);
  });

  it("location paths follow the tree (site / building / floor / room)", async () => {
    const all = await t.db.select().from(locations);
    const byId = new Map(all.map((l) => [l.id, l]));
    for (const l of all) {
      const parent = l.parentId ? byId.get(l.parentId) : undefined;
      expect(l.path).toBe(`${parent ? parent.path : "/"}${l.name}/`);
    }
    expect(Math.max(...all.map((l) => l.path.split("/").length - 2))).toBe(4);
  });

  it("the CMDB graph reaches endpoint -> load balancer -> app -> database -> host, and stock matches the ledger", async () => {
    const [path] = await rows<{ n: number }>(
      t.db,
      sql`SELECT count(*)::int AS n
            FROM cmdb_relationships r1
            JOIN cmdb_relationship_types t1 ON t1.id = r1.rel_type_id AND t1.code = 'depends_on'
            JOIN cmdb_relationships r2 ON r2.from_ci_id = r1.to_ci_id
            JOIN cmdb_relationship_types t2 ON t2.id = r2.rel_type_id AND t2.code = 'load_balances'
            JOIN cmdb_relationships r3 ON r3.from_ci_id = r2.to_ci_id
            JOIN cmdb_relationship_types t3 ON t3.id = r3.rel_type_id AND t3.code = 'depends_on'
            JOIN cmdb_relationships r4 ON r4.from_ci_id = r3.to_ci_id
            JOIN cmdb_relationship_types t4 ON t4.id = r4.rel_type_id AND t4.code = 'runs_on'
            JOIN cmdb_cis host ON host.id = r4.to_ci_id
            JOIN cmdb_ci_types ht ON ht.id = host.type_id AND ht.code = 'physical_server'
            JOIN cmdb_cis ep ON ep.id = r1.from_ci_id
            JOIN cmdb_ci_types et ON et.id = ep.type_id AND et.code = 'business_service_endpoint'`,
    );
    expect(path?.n).toBeGreaterThan(0);
    const [open] = await rows<{ n: number }>(
      t.db,
      sql`SELECT count(*)::int AS n FROM repair_orders WHERE status IN ('open', 'diagnosing', 'waiting_parts')`,
    );
    expect(open?.n).toBeGreaterThan(0);
  });

  it("is built through the domain: stock agrees with its ledger, every asset in repair has an open repair order, every repair part a posted document", async () => {
    expect(await checkLedgerInvariant(t.db)).toEqual([]);
    const [issued] = await rows<{ n: number }>(
      t.db,
      sql`SELECT count(*)::int AS n FROM spare_part_movements WHERE movement_type = 'out'`,
    );
    expect(issued?.n).toBeGreaterThan(0);
    const inRepair = await rows<{ asset_code: string; orders: number }>(
      t.db,
      sql`SELECT a.asset_code, (SELECT count(*)::int FROM repair_orders ro
                                 WHERE ro.asset_id = a.id AND ro.status IN ('open', 'diagnosing', 'waiting_parts', 'repaired')) AS orders
            FROM assets a WHERE a.status = 'in_repair'`,
    );
    expect(inRepair.length).toBeGreaterThan(0);
    expect(inRepair.filter((a) => a.orders !== 1)).toEqual([]);
    const parts = await rows<{ id: string; doc_status: string | null; doc_type: string | null }>(
      t.db,
      sql`SELECT p.id, d.status AS doc_status, d.doc_type FROM repair_order_parts p
            LEFT JOIN stock_documents d ON d.id = p.stock_document_id`,
    );
    expect(parts.length).toBeGreaterThan(0);
    expect(parts.filter((p) => p.doc_status !== "posted" || p.doc_type !== "issue")).toEqual([]);
    // Every asset reached its status through the lifecycle: a created event, and a status_changed
    // (or assigned) event for every asset that is not in_stock.
    const [silent] = await rows<{ n: number }>(
      t.db,
      sql`SELECT count(*)::int AS n FROM assets a
           WHERE NOT EXISTS (SELECT 1 FROM asset_events e WHERE e.asset_id = a.id AND e.event_type = 'created')
              OR (a.status <> 'in_stock' AND NOT EXISTS (
                    SELECT 1 FROM asset_events e WHERE e.asset_id = a.id AND e.event_type IN ('status_changed', 'assigned')))`,
    );
    expect(silent?.n).toBe(0);
  });
});
