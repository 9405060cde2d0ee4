/**
 * Every relation declared with relations() resolves: drizzle validates relation configs only when a
 * query uses them, so each table is queried with all of its relations loaded, and the documented
 * example (assets with model and location) is checked on real rows.
 */
import { eq, One } from "drizzle-orm";
import { getTableConfig } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { assetModels, assets, locations } from "../../src/schema/index.js";
import { allTables, makeRow } from "../support/rows.js";
import { useTestDatabase } from "../support/test-db.js";

const t = useTestDatabase();

type QueryApi = Record<
  string,
  { findMany(config: { with: Record<string, true>; limit: number }): Promise<unknown[]> }
>;

describe("every table's relations load", () => {
  it("covers the 45 tables", () => {
    expect(Object.keys(t.db._.schema ?? {})).toHaveLength(45);
  });

  it("findMany({ with: <every relation> }) succeeds on each table", async () => {
    const schema = t.db._.schema ?? {};
    const query = t.db.query as unknown as QueryApi;
    let relationCount = 0;
    for (const [tableKey, table] of Object.entries(schema) as [string, { relations: object }][]) {
      const withAll = Object.fromEntries(Object.keys(table.relations).map((r) => [r, true as const]));
      relationCount += Object.keys(withAll).length;
      await expect(query[tableKey]?.findMany({ with: withAll, limit: 1 })).resolves.toBeDefined();
    }
    // One side per foreign key (54) plus the reverse sides declared in the relations.ts files.
    expect(relationCount).toBe(100);
  });
});

it("every foreign key has a one() relation on its table", () => {
  const schema = Object.values(t.db._.schema ?? {}) as {
    dbName: string;
    relations: Record<string, unknown>;
  }[];
  const missing: string[] = [];
  let foreignKeys = 0;
  for (const table of allTables) {
    const config = getTableConfig(table);
    const relations = schema.find((s) => s.dbName === config.name)?.relations ?? {};
    for (const fk of config.foreignKeys) {
      foreignKeys++;
      const column = fk.reference().columns[0]?.name;
      const covered = Object.values(relations).some(
        (r) => r instanceof One && r.config?.fields.some((f) => f.name === column),
      );
      if (!covered) missing.push(`${config.name}.${column}`);
    }
  }
  expect(foreignKeys).toBe(54);
  expect(missing).toEqual([]);
});

it("db.query.assets.findMany({ with: { model: true, location: true } }) returns the parents", async () => {
  const site = await makeRow(t.db, locations, { name: "HQ", path: "/hq" });
  const room = await makeRow(t.db, locations, { name: "Room 1", parentId: site.id, path: "/hq/room-1" });
  const model = await makeRow(t.db, assetModels, { model: "Catalyst 9300" });
  const asset = await makeRow(t.db, assets, { modelId: model.id, locationId: room.id });

  const [found] = await t.db.query.assets.findMany({
    where: eq(assets.id, asset.id as string),
    with: { model: true, location: { with: { parent: true } } },
  });
  expect(found?.model?.model).toBe("Catalyst 9300");
  expect(found?.location?.name).toBe("Room 1");
  expect(found?.location?.parent?.name).toBe("HQ");

  const hq = await t.db.query.locations.findFirst({
    where: eq(locations.id, site.id as string),
    with: { children: true },
  });
  expect(hq?.children.map((c) => c.name)).toEqual(["Room 1"]);
});
