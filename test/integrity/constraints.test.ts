/**
 * The integrity migrations (0001-0004) on a migrated database: each new CHECK, UNIQUE and partial
 * unique index refuses exactly what it should (and accepts the boundary cases), and every foreign
 * key column that drizzle declares is the leading column of some index.
 */
import { sql } from "drizzle-orm";
import { getTableConfig } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { readCatalog } from "../../src/migrate/catalog.js";
import {
  assetAssignments,
  assets,
  cmdbRelationships,
  inventoryItems,
  locations,
  reminders,
  sparePartStock,
} from "../../src/schema/index.js";
import { allTables, constraintOf, makeRow, pgErrorOf } from "../support/rows.js";
import { useTestDatabase } from "../support/test-db.js";

const t = useTestDatabase();

const violation = async (promise: Promise<unknown>) => {
  const e = await pgErrorOf(promise);
  return { code: e?.code, constraint: constraintOf(e) };
};

describe("spare_part_stock quantities", () => {
  it.each([
    // reserved NULL isolates the on_hand check (any on_hand < 0 with reserved >= 0 also fails reserved <= on_hand).
    [{ onHand: -1, reserved: null }, "23514", "spare_part_stock_on_hand_check"],
    [{ onHand: 0, reserved: -1 }, "23514", "spare_part_stock_reserved_check"],
    [{ onHand: 2, reserved: 3 }, "23514", "spare_part_stock_reserved_within_on_hand_check"],
  ])("refuses %o (%s %s)", async (values, code, constraint) => {
    expect(await violation(makeRow(t.db, sparePartStock, values))).toEqual({ code, constraint });
  });

  it("accepts reserved = on_hand and zero stock, and refuses an update below zero", async () => {
    const row = await makeRow(t.db, sparePartStock, { onHand: 5, reserved: 5 });
    await makeRow(t.db, sparePartStock, { onHand: 0, reserved: 0 });
    const oversell = t.db.execute(
      sql`UPDATE spare_part_stock SET on_hand = on_hand - 1 WHERE id = ${row.id}`,
    );
    expect(await violation(oversell)).toEqual({
      code: "23514",
      constraint: "spare_part_stock_reserved_within_on_hand_check",
    });
    const release = t.db.execute(
      sql`UPDATE spare_part_stock SET reserved = 0, on_hand = -1 WHERE id = ${row.id}`,
    );
    expect((await violation(release)).constraint).toMatch(/^spare_part_stock_(on_hand_)?check$/);
  });
});

describe("cmdb_relationships", () => {
  it("refuses a relationship from a CI to itself", async () => {
    const from = await makeRow(t.db, getTable("cmdb_cis"));
    const to = await makeRow(t.db, getTable("cmdb_cis"));
    const type = await makeRow(t.db, getTable("cmdb_relationship_types"));
    const selfLoop = makeRow(t.db, cmdbRelationships, {
      relTypeId: type.id,
      fromCiId: from.id,
      toCiId: from.id,
    });
    expect(await violation(selfLoop)).toEqual({
      code: "23514",
      constraint: "cmdb_relationships_not_self_check",
    });
    await makeRow(t.db, cmdbRelationships, { relTypeId: type.id, fromCiId: from.id, toCiId: to.id });
    // The reverse direction is a different relationship; the same (type, from, to) twice is not.
    await makeRow(t.db, cmdbRelationships, { relTypeId: type.id, fromCiId: to.id, toCiId: from.id });
    const duplicate = makeRow(t.db, cmdbRelationships, {
      relTypeId: type.id,
      fromCiId: from.id,
      toCiId: to.id,
    });
    expect(await violation(duplicate)).toEqual({
      code: "23505",
      constraint: "cmdb_relationships_rel_type_id_from_ci_id_to_ci_id_key",
    });
  });
});

describe("asset_assignments", () => {
  it("allows one open assignment per asset, any number of returned ones", async () => {
    const asset = await makeRow(t.db, assets);
    const first = await makeRow(t.db, assetAssignments, { assetId: asset.id });
    const second = makeRow(t.db, assetAssignments, { assetId: asset.id });
    expect(await violation(second)).toEqual({
      code: "23505",
      constraint: "idx_asset_assignments_asset_id_open",
    });
    await t.db.execute(sql`UPDATE asset_assignments SET returned_at = now() WHERE id = ${first.id}`);
    await makeRow(t.db, assetAssignments, { assetId: asset.id });
    await makeRow(t.db, assetAssignments, { assetId: asset.id, returnedAt: new Date() });
    const [count] = (await t.db
      .select({ n: sql<number>`count(*)::int` })
      .from(assetAssignments)
      .where(sql`asset_id = ${asset.id}`)) as { n: number }[];
    expect(count?.n).toBe(3);
  });
});

describe("assets.vlan_id", () => {
  it.each([1, 4094, null])("accepts %s", async (vlanId) => {
    await makeRow(t.db, assets, { vlanId });
  });
  it.each([0, 4095, -1])("refuses %s", async (vlanId) => {
    expect(await violation(makeRow(t.db, assets, { vlanId }))).toEqual({
      code: "23514",
      constraint: "assets_vlan_id_check",
    });
  });
});

describe("locations", () => {
  it("refuses a location that is its own parent", async () => {
    const loc = await makeRow(t.db, locations);
    const self = t.db.execute(sql`UPDATE locations SET parent_id = id WHERE id = ${loc.id}`);
    expect(await violation(self)).toEqual({ code: "23514", constraint: "locations_parent_not_self_check" });
  });
});

describe("inventory_items and reminders", () => {
  it("counts an asset once per inventory session; unknown scans (no asset) repeat freely", async () => {
    const session = await makeRow(t.db, getTable("inventory_sessions"));
    const asset = await makeRow(t.db, assets);
    await makeRow(t.db, inventoryItems, { sessionId: session.id, assetId: asset.id });
    const again = makeRow(t.db, inventoryItems, { sessionId: session.id, assetId: asset.id });
    expect(await violation(again)).toEqual({
      code: "23505",
      constraint: "inventory_items_session_id_asset_id_key",
    });
    await makeRow(t.db, inventoryItems, { sessionId: session.id, assetId: null, status: "unknown" });
    await makeRow(t.db, inventoryItems, { sessionId: session.id, assetId: null, status: "unknown" });
  });

  it("keeps one reminder per asset, type and due date", async () => {
    const asset = await makeRow(t.db, assets);
    const dueAt = new Date("2030-01-01T00:00:00Z");
    await makeRow(t.db, reminders, { assetId: asset.id, reminderType: "warranty_expiring", dueAt });
    await makeRow(t.db, reminders, { assetId: asset.id, reminderType: "maintenance_due", dueAt });
    const again = makeRow(t.db, reminders, { assetId: asset.id, reminderType: "warranty_expiring", dueAt });
    expect(await violation(again)).toEqual({
      code: "23505",
      constraint: "reminders_asset_id_reminder_type_due_at_key",
    });
  });
});

describe("timestamps", () => {
  it("refuses NULL created_at and updated_at", async () => {
    const e1 = await pgErrorOf(makeRow(t.db, locations, { createdAt: sql`NULL` }));
    expect(e1?.code).toBe("23502");
    const asset = await makeRow(t.db, assets);
    const e2 = await pgErrorOf(t.db.execute(sql`UPDATE assets SET updated_at = NULL WHERE id = ${asset.id}`));
    expect(e2?.code).toBe("23502");
  });
});

describe("foreign key indexes", () => {
  it("every foreign key column leads some index (declared index or unique/primary key)", async () => {
    const live = await readCatalog(t.db);
    const missing: string[] = [];
    for (const table of allTables) {
      const config = getTableConfig(table);
      const leading = new Set(
        (live.get(config.name)?.indexes ?? []).map((i) => i.columns[0]).filter((c): c is string => !!c),
      );
      for (const fk of config.foreignKeys) {
        const column = fk.reference().columns[0]?.name;
        if (column && !leading.has(column)) missing.push(`${config.name}.${column}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("cmdb_relationships is indexed in both directions", async () => {
    const live = await readCatalog(t.db);
    const leads = (live.get("cmdb_relationships")?.indexes ?? []).map((i) => i.columns[0]);
    expect(leads).toContain("from_ci_id");
    expect(leads).toContain("to_ci_id");
  });
});

function getTable(name: string) {
  const table = allTables.find((x) => getTableConfig(x).name === name);
  if (!table) throw new Error(name);
  return table;
}
