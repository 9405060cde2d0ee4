/**
 * A database built by 0000 only (a production database baselined to the documented schema) that
 * holds data the integrity migrations forbid: `migrate` fails with an error naming the constraint
 * (or, for NOT NULL, the table and column), and the whole run rolls back, so the catalog and the
 * migration history are exactly what they were.
 */

import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { createDb, type Database, rows } from "../../src/db.js";
import { MigrationError } from "../../src/errors/index.js";
import { readCatalog } from "../../src/migrate/catalog.js";
import { readHistory } from "../../src/migrate/history.js";
import { readJournal } from "../../src/migrate/journal.js";
import { migrate } from "../../src/migrate/runner.js";
import {
  assetAssignments,
  assets,
  cmdbCis,
  cmdbRelationships,
  cmdbRelationshipTypes,
  locations,
  sparePartStock,
} from "../../src/schema/index.js";
import { makeRow } from "../support/rows.js";
import { createEmptyDatabase, onServer } from "../support/test-db.js";

const BASELINE = "0000_initial_schema";
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

/** A database at 0000 only: a scratch server database, or an in-memory PGlite one. */
/**
 * The integrity migrations run all or nothing (`singleTransaction`), which refuses a
 * `-- migrate:no-transaction` file: stop at the last migration before the first such file
 * (0008_search_indexes); every integrity check comes before it.
 */
const LAST_TRANSACTIONAL = (() => {
  const files = readJournal();
  const firstNoTransaction = files.findIndex((f) => f.noTransaction);
  const last = files[(firstNoTransaction === -1 ? files.length : firstNoTransaction) - 1];
  if (!last) throw new Error("no transactional migration after the baseline");
  return last.tag;
})();

async function baselineDatabase(): Promise<Database> {
  if (onServer()) {
    const empty = await createEmptyDatabase("viol");
    const handle = await createDb({ url: empty.url, max: 1 });
    cleanup = async () => {
      await handle.close();
      await empty.drop();
    };
    await migrate(handle.db, { to: BASELINE });
    return handle.db;
  }
  const handle = await createDb({ dataDir: "memory://" });
  cleanup = handle.close;
  await migrate(handle.db, { to: BASELINE });
  return handle.db;
}

const snapshot = async (db: Database) => ({
  catalog: [...(await readCatalog(db)).entries()],
  history: await readHistory(db),
  functions: await rows(db, sql`SELECT proname FROM pg_proc WHERE proname = 'set_updated_at'`),
});

const cases: [string, (db: Database) => Promise<unknown>, RegExp][] = [
  [
    "negative on_hand",
    (db) => makeRow(db, sparePartStock, { onHand: -3, reserved: null }),
    /spare_part_stock_on_hand_check/,
  ],
  [
    "negative reserved",
    (db) => makeRow(db, sparePartStock, { onHand: null, reserved: -1 }),
    /spare_part_stock_reserved_check/,
  ],
  [
    "reserved above on_hand",
    (db) => makeRow(db, sparePartStock, { onHand: 1, reserved: 2 }),
    /"spare_part_stock_reserved_within_on_hand_check"/,
  ],
  ["VLAN 5000", (db) => makeRow(db, assets, { vlanId: 5000 }), /assets_vlan_id_check/],
  [
    "a location that is its own parent",
    async (db) => {
      const loc = await makeRow(db, locations);
      await db.execute(sql`UPDATE locations SET parent_id = id WHERE id = ${loc.id}`);
    },
    /locations_parent_not_self_check/,
  ],
  [
    "a CI related to itself",
    async (db) => {
      const ci = await makeRow(db, cmdbCis);
      await makeRow(db, cmdbRelationships, { fromCiId: ci.id, toCiId: ci.id });
    },
    /cmdb_relationships_not_self_check/,
  ],
  [
    "a duplicated relationship",
    async (db) => {
      const [a, b, type] = [
        await makeRow(db, cmdbCis),
        await makeRow(db, cmdbCis),
        await makeRow(db, cmdbRelationshipTypes),
      ];
      const rel = { relTypeId: type.id, fromCiId: a.id, toCiId: b.id };
      await makeRow(db, cmdbRelationships, rel);
      await makeRow(db, cmdbRelationships, rel);
    },
    /cmdb_relationships_rel_type_id_from_ci_id_to_ci_id_key/,
  ],
  [
    "two open assignments of one asset",
    async (db) => {
      const asset = await makeRow(db, assets);
      await makeRow(db, assetAssignments, { assetId: asset.id });
      await makeRow(db, assetAssignments, { assetId: asset.id });
    },
    /idx_asset_assignments_asset_id_open/,
  ],
  [
    "a NULL created_at",
    (db) => db.execute(sql`INSERT INTO vendors (name, created_at) VALUES ('legacy', NULL)`),
    /column "created_at" of relation "vendors" contains null values/,
  ],
];

describe("integrity migrations over violating data", () => {
  it("the baseline really stops at 0000", async () => {
    const db = await baselineDatabase();
    expect((await readHistory(db)).length).toBe(1);
    expect(readJournal().length).toBeGreaterThan(1);
  });

  it.each(cases)("%s: migrate fails naming it and changes nothing", async (_label, violate, names) => {
    const db = await baselineDatabase();
    await violate(db);
    const before = await snapshot(db);
    // All or nothing, so "nothing" can be compared; by default the migrations before it stay applied.
    const error = await migrate(db, { singleTransaction: true, to: LAST_TRANSACTIONAL }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).message).toMatch(names);
    expect((error as MigrationError).message).toMatch(/rolled back/);
    expect(await snapshot(db)).toEqual(before);
  });

  it("the same data minus the violation migrates to the end", async () => {
    const db = await baselineDatabase();
    await makeRow(db, sparePartStock, { onHand: 2, reserved: 2 });
    await makeRow(db, assets, { vlanId: 4094 });
    const applied = await migrate(db);
    expect(applied.map((a) => a.tag)).toEqual(
      readJournal()
        .slice(1)
        .map((m) => m.tag),
    );
  });
});
